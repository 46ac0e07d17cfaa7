import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { cleanup, ROOT, sampleConfig, tempDir, zyda } from '../helpers.js';
import { pausedRun } from './paused-run.js';

test('two runs on one workdir: the second exits at once with 75; a stale lock is taken over with a warning', async () => {
  const dir = tempDir();
  try {
    const cfg = sampleConfig(dir, join(dir, 'out'));
    const lock = join(dir, 'out', '.zyda', 'lock');
    const first = await pausedRun(cfg, join(dir, 'out'));
    assert.ok(existsSync(lock), 'the first run holds the lock');
    // Exit 75 while the lock is held is giving up: a run that waited would get the lock and exit 0.
    const second = zyda(['run', cfg]);
    assert.equal(second.code, 75, second.stderr);
    assert.match(second.stderr, new RegExp(`in use by another zyda run \\(pid ${first.pid} on ${hostname()}`));
    process.kill(first.pid, 'SIGTERM');
    assert.equal(await first.exit, 143);
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

/** A child's stdout as lines, one at a time. */
function linesOf(child: ChildProcess): () => Promise<string> {
  const it = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return async () => {
    const next = await it.next();
    return next.done ? '(exited)' : next.value;
  };
}

/** The start time of a live process (clock ticks since boot, /proc/<pid>/stat field 22) and this machine's boot id. */
function identity(pid: number): { pid_start: number; boot_id: string } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return { pid_start: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]), boot_id: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() };
}

test('two configs with one output (or one keep_rejected) and two workdirs: the second run exits 75 naming the output and its holder', async () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const first = sampleConfig(dir, out);
    const otherWorkdir = join(dir, 'other.yaml');
    writeFileSync(otherWorkdir, readFileSync(first, 'utf8') + `workdir: ${join(dir, 'work2')}\n`);
    const otherOutput = join(dir, 'other-output.yaml');
    writeFileSync(otherOutput, readFileSync(first, 'utf8').replace(/^output: .*$/m, `output: ${join(dir, 'out2')}`) + `workdir: ${join(dir, 'work3')}\n`);

    const held = await pausedRun(first, out);
    let r = zyda(['run', otherWorkdir]);
    assert.equal(r.code, 75, r.stderr);
    assert.match(r.stderr, new RegExp(`output ${out} is in use by another zyda run \\(pid ${held.pid} on ${hostname()}`));
    r = zyda(['run', otherOutput]);
    assert.equal(r.code, 75, r.stderr);
    assert.match(r.stderr, new RegExp(`keep_rejected output ${out}-rejected is in use by another zyda run \\(pid ${held.pid}`));
    // The runs that gave up took nothing with them: the held run's own locks are still there.
    for (const lock of [join(out, '.zyda', 'lock'), join(out, '.zyda.lock'), join(out + '-rejected', '.zyda.lock')]) assert.ok(existsSync(lock), lock);
    assert.ok(!existsSync(join(dir, 'work2', 'lock')) && !existsSync(join(dir, 'out2', '.zyda.lock')), 'a run that exits 75 releases the locks it did take');

    process.kill(held.pid, 'SIGTERM');
    assert.equal(await held.exit, 143);
    r = zyda(['run', otherWorkdir]);
    assert.equal(r.code, 0, r.stderr);
  } finally {
    cleanup(dir);
  }
});

test('zyda commit holds the output lock: with a live run holding it, commit exits 75 and writes nothing', () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const cfg = sampleConfig(dir, out);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, '.zyda.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started_at: '2026-01-01T00:00:00Z', ...identity(process.pid) }));
    const r = zyda(['commit', cfg]);
    assert.equal(r.code, 75, r.stderr);
    assert.match(r.stderr, new RegExp(`output ${out} is in use by another zyda run \\(pid ${process.pid}`));
    assert.ok(!existsSync(join(out, 'manifest.json')));
  } finally {
    cleanup(dir);
  }
});

/** The sample config writing to <dir>/out, and its workdir, made ready for a planted lock. */
function sampleWithWorkdir(dir: string): { cfg: string; workdir: string } {
  const workdir = join(dir, 'out', '.zyda');
  mkdirSync(workdir, { recursive: true });
  return { cfg: sampleConfig(dir, join(dir, 'out')), workdir };
}

test('a live pid with another start time or boot id is a restarted container, not the owner: its lock is taken over', () => {
  const dir = tempDir();
  try {
    const { cfg, workdir } = sampleWithWorkdir(dir);
    // This test's own process stands for "pid 1 of the restarted container": alive, on this host.
    const me = { pid: process.pid, host: hostname(), started_at: '2026-01-01T00:00:00Z', ...identity(process.pid) };
    writeFileSync(join(workdir, 'lock'), JSON.stringify(me));
    let r = zyda(['run', cfg]);
    assert.equal(r.code, 75, 'the same pid with the same start time is the live owner');

    for (const stale of [{ ...me, pid_start: me.pid_start + 1 }, { ...me, boot_id: '00000000-0000-0000-0000-000000000000' }]) {
      writeFileSync(join(workdir, 'lock'), JSON.stringify(stale));
      r = zyda(['run', cfg, '--force']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`warning: taking over a stale lock .*pid ${process.pid} on ${hostname()}.*is gone`));
      assert.ok(!existsSync(join(workdir, 'lock')));
    }
  } finally {
    cleanup(dir);
  }
});

test('a takeover claim on a stale lock: a live claimant makes the run exit 75, a dead one is taken over in turn', () => {
  const dir = tempDir();
  try {
    const { cfg, workdir } = sampleWithWorkdir(dir);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = JSON.stringify({ pid: dead, host: hostname(), started_at: '2026-01-01T00:00:00Z' });
    // The claim on a stale lock is named after the stale lock's content.
    const claim = join(workdir, `lock.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`);
    writeFileSync(join(workdir, 'lock'), stale);
    writeFileSync(claim, JSON.stringify({ pid: process.pid, host: hostname(), started_at: '2026-01-01T00:00:01Z', ...identity(process.pid) }));
    let r = zyda(['run', cfg]);
    assert.equal(r.code, 75, 'another run is taking the stale lock over');

    writeFileSync(claim, JSON.stringify({ pid: dead, host: hostname(), started_at: '2026-01-01T00:00:01Z' }));
    r = zyda(['run', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`warning: taking over a stale lock .*pid ${dead}`));
    assert.deepEqual(readdirSync(workdir).filter((f) => f.startsWith('lock')), [], 'the lock and every claim are gone');
  } finally {
    cleanup(dir);
  }
});

test('50 pairs of processes race for one stale lock: exactly one of each pair takes it', async () => {
  const dir = tempDir();
  try {
    // Each racer takes the lock when told to go, says whether it got it, and holds it until told to let go,
    // so both answers are in before either racer releases.
    const racer = join(dir, 'racer.mjs');
    writeFileSync(
      racer,
      `import { createInterface } from 'node:readline';
import { acquireLock } from ${JSON.stringify(join(ROOT, 'dist', 'runtime', 'lock.js'))};
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
console.log('ready');
await lines.next();
let lock;
try {
  lock = acquireLock(process.argv[2], 'the racers folder', () => {});
  console.log('won');
} catch (err) {
  console.log(err.name === 'LockedError' ? 'locked' : 'error: ' + err.message);
}
await lines.next();
lock?.release();
`,
    );
    const lock = join(dir, 'work', 'lock');
    mkdirSync(join(dir, 'work'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    for (let pair = 0; pair < 50; pair++) {
      writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), started_at: `2026-01-01T00:00:${String(pair).padStart(2, '0')}Z` }));
      const racers = [0, 1].map(() => spawn(process.execPath, [racer, lock], { stdio: ['pipe', 'pipe', 'inherit'] }));
      const exits = racers.map((c) => new Promise((resolve) => c.on('exit', resolve)));
      const next = racers.map(linesOf);
      assert.deepEqual(await Promise.all(next.map((n) => n())), ['ready', 'ready']);
      for (const c of racers) c.stdin!.write('go\n');
      const results = (await Promise.all(next.map((n) => n()))).sort();
      for (const c of racers) c.stdin!.end('release\n');
      await Promise.all(exits);
      assert.deepEqual(results, ['locked', 'won'], `pair ${pair}`);
      assert.ok(!existsSync(lock), 'the winner released its lock');
      assert.deepEqual(readdirSync(join(dir, 'work')), [], 'no claim or temp file is left');
    }
  } finally {
    cleanup(dir);
  }
});
