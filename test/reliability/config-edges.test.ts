import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, tempDir, zyda } from '../helpers.js';

function setup(dir: string, extra: string[]): string {
  const input = join(dir, 'in');
  mkdirSync(input, { recursive: true });
  writeFileSync(join(input, 'a.jsonl'), '{"text":"a document"}\n');
  const cfg = join(dir, 'pipeline.yaml');
  writeFileSync(cfg, [`output: ${join(dir, 'out')}`, 'sources:', '  - name: s', `    paths: [${input}]`, ...extra].join('\n') + '\n');
  return cfg;
}

test('a YAML alias bomb is a bad config (exit 2) naming the file and line, not a crash', () => {
  const dir = tempDir();
  try {
    const levels = 'abcdefghi'.split('');
    const bomb = levels.map((name, i) => (i === 0 ? `${name}: &${name} [${Array(9).fill('"lol"').join(',')}]` : `${name}: &${name} [${Array(9).fill(`*${levels[i - 1]}`).join(',')}]`));
    const cfg = setup(dir, ['x_bomb:', ...bomb.map((l) => `  ${l}`)]);
    for (const cmd of ['validate', 'run']) {
      const r = zyda([cmd, cfg]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /pipeline\.yaml:\d+:\d+: invalid YAML: .*alias/i);
    }
    assert.ok(!existsSync(join(dir, 'out')));
  } finally {
    cleanup(dir);
  }
});

test('a zero task_bytes, shard_max_bytes, max_doc_bytes, row_group_bytes or batch_bytes is refused with exit 2', () => {
  const dir = tempDir();
  try {
    const cases: [string, string[]][] = [
      ['task_bytes', ['task_bytes: 0']],
      ['max_doc_bytes', ['max_doc_bytes: "0 MB"']],
      ['batch_bytes', ['batch_bytes: 0']],
      ['write.shard_max_bytes', ['write:', '  shard_max_bytes: 0']],
      ['write.row_group_bytes', ['write:', '  row_group_bytes: 0']],
    ];
    for (const [key, extra] of cases) {
      const r = zyda(['validate', setup(dir, extra)]);
      assert.equal(r.code, 2, `${key}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`pipeline\\.yaml:\\d+: ${key.replace('.', '\\.')}: must be more than 0 bytes`));
    }
    const r = zyda(['tokens', '--input', join(dir, 'in'), '--source', 's', '-o', join(dir, 'flag-out'), '--task-bytes', '0']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /task_bytes: must be more than 0 bytes/);
  } finally {
    cleanup(dir);
  }
});
