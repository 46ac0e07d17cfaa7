import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compress } from 'zstd-napi';
import { zstdFrameStarts } from '../../io/readers/zstd-frames.js';
import { cleanup, tempDir } from '../helpers.js';

test('frame starts come from the headers; a truncated or foreign file has none', () => {
  const dir = tempDir();
  try {
    const a = compress(Buffer.from('{"text":"a"}\n'.repeat(5000)));
    const b = compress(Buffer.from('{"text":"b"}\n'.repeat(10)));
    const file = join(dir, 'x.zst');
    const starts = (bytes: Buffer) => {
      writeFileSync(file, bytes);
      return zstdFrameStarts(file, bytes.length);
    };
    assert.deepEqual(starts(Buffer.concat([a, b, a])), [0, a.length, a.length + b.length]);
    assert.equal(starts(Buffer.concat([a, b]).subarray(0, a.length + b.length - 1)), undefined);
    assert.equal(starts(Buffer.from('{"text":"plain"}\n')), undefined);
  } finally {
    cleanup(dir);
  }
});
