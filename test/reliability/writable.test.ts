import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cannotDropPrivileges, cleanup, tempDir, zydaAsNobody } from '../helpers.js';

test('an output or workdir this user cannot write: one line, exit 2, from run, a stage command and validate', { skip: cannotDropPrivileges() }, () => {
  const dir = tempDir();
  try {
    chmodSync(dir, 0o777);
    const input = join(dir, 'a.jsonl');
    writeFileSync(input, '{"text": "a short document"}\n');
    chmodSync(input, 0o644);
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    const config = (name: string, lines: string[]) => {
      const path = join(dir, name);
      writeFileSync(path, [...lines, 'sources: [{name: web, paths: a.jsonl}]', ''].join('\n'));
      chmodSync(path, 0o644);
      return path;
    };
    const badOutput = config('out.yaml', ['output: locked/out']);
    for (const command of ['run', 'validate']) {
      const r = zydaAsNobody([command, badOutput]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `zyda: output ${join(locked, 'out')}: cannot be created: ${locked} is not writable by this user (EACCES); choose another output or change the permissions\n`);
    }
    const stage = zydaAsNobody(['tokens', '-i', input, '-o', locked]);
    assert.equal(stage.code, 2);
    assert.equal(stage.stderr, `zyda: output ${locked}: not writable by this user (EACCES); choose another output or change the permissions\n`);

    const badWorkdir = config('wd.yaml', ['output: out', 'workdir: locked/wd']);
    for (const command of ['run', 'validate']) {
      const r = zydaAsNobody([command, badWorkdir]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^zyda: workdir \S+\/locked\/wd: cannot be created: \S+\/locked is not writable by this user \(EACCES\); choose another workdir/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.ok(!existsSync(join(dir, 'out')), 'nothing was written before the refusal');

    const ok = zydaAsNobody(['run', config('ok.yaml', ['output: out'])]);
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    cleanup(dir);
  }
});
