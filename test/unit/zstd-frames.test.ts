import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compress } from 'zstd-napi';
import { zstdContentSize, zstdFrameStarts } from '../../io/readers/zstd-frames.js';
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

test('content size: the frame headers\' sizes in all their widths, none when a frame does not state it', () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'x.zst');
    const size = (bytes: Buffer) => {
      writeFileSync(file, bytes);
      return zstdContentSize(file, bytes.length);
    };
    // 1-, 2- and 4-byte size fields (the 2-byte one holds the size less 256), and several frames with a skippable one.
    const texts = [100, 300, 70_000, 2_000_000].map((n) => Buffer.from('{"text":"abc"}\n'.repeat(Math.ceil(n / 15)).slice(0, n)));
    for (const t of texts) assert.equal(size(compress(t)), t.length);
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18]), Buffer.from(new Uint32Array([4]).buffer), Buffer.alloc(4)]);
    assert.equal(size(Buffer.concat([compress(texts[1]), skippable, compress(texts[2])])), texts[1].length + texts[2].length);
    // A stream compressed without knowing its end leaves the size out (as `--no-content-size` makes the CLI do).
    const piped = execFileSync('zstd', ['-c', '-q', '--no-content-size'], { input: texts[3] });
    assert.equal(size(piped), undefined);
    assert.equal(size(Buffer.concat([compress(texts[0]), piped])), undefined);
    const whole = compress(texts[3]);
    // Truncated: what its frame header states, which is all a reader could get from it.
    assert.equal(size(whole.subarray(0, whole.length - 1)), texts[3].length);
    assert.equal(size(Buffer.from('{"text":"plain"}\n')), undefined);
  } finally {
    cleanup(dir);
  }
});
