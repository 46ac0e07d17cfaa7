import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI, cleanup, sampleConfig, tempDir, zyda } from '../helpers.js';

test('two runs on one workdir: the second exits at once with 75; a stale lock is taken over with a warning', async () => {
  const dir = tempDir();
  try {
    const cfg = sampleConfig(dir, join(dir, 'out'));
    const lock = join(dir, 'out', '.zyda', 'lock');
    const first = spawn(process.execPath, [CLI, 'run', cfg], { stdio: 'ignore' });
    const firstExit = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 200 && !existsSync(lock); i++) await sleep(25);
    assert.ok(existsSync(lock), 'the first run holds the lock');
    // Exit 75 while the lock is held is giving up: a run that waited would get the lock and exit 0.
    const second = zyda(['run', cfg]);
    assert.equal(second.code, 75, second.stderr);
    assert.match(second.stderr, new RegExp(`in use by another zyda run \\(pid ${first.pid} on ${hostname()}`));
    assert.equal(await firstExit, 0);
    assert.ok(!existsSync(lock), 'the lock goes with its run');

    // A lock left by a killed run on this host: its pid is gone.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), started_at: '2026-01-01T00:00:00Z' }));
    let r = zyda(['run', cfg, '--force']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`warning: taking over a stale lock .*pid ${dead}`));

    // Another host's lock is never second-guessed.
    mkdirSync(join(dir, 'out', '.zyda'), { recursive: true });
    writeFileSync(lock, JSON.stringify({ pid: dead, host: 'some-other-host', started_at: '2026-01-01T00:00:00Z' }));
    r = zyda(['run', cfg]);
    assert.equal(r.code, 75);
    assert.match(r.stderr, /on some-other-host/);
  } finally {
    cleanup(dir);
  }
});
