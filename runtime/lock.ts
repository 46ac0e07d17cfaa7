import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { tempPathFor } from '../core/atomic.js';
import { LockedError } from '../core/errors.js';
import { bootId, processStartTime } from './process-identity.js';

/**
 * One run per workdir and per output: <workdir>/lock and <output>/.zyda.lock hold the owner's identity. A lock
 * file only ever appears whole (written under a temp name, then hard-linked into place, which fails if the
 * name exists), so two runs cannot both create it. A second run exits at once (LockedError, exit 75).
 *
 * A lock whose owner is gone on this same host is stale (a killed run) and is taken over with a warning. Its
 * owner is gone when its pid is not alive, or when the machine rebooted since (boot id) or the pid now belongs
 * to a process started at another time (a container restarted with the same pid 1). A lock from another host
 * is never guessed about.
 */
interface LockOwner {
  pid: number;
  host: string;
  started_at: string;
  /** /proc/sys/kernel/random/boot_id of the owner's machine; absent in locks from older versions. */
  boot_id?: string;
  /** The owner's start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  pid_start?: number;
  /** Makes every lock's content unique, so a takeover names exactly the lock it replaces. */
  nonce?: string;
}

export interface Lock {
  release(): void;
}

export function lockPath(workdir: string): string {
  return join(workdir, 'lock');
}

export function outputLockPath(output: string): string {
  return join(output, '.zyda.lock');
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file `path`, which guards `what` (named in the message another run gets). */
export function acquireLock(path: string, what: string, warn: (line: string) => void): Lock {
  const made = mkdirSync(dirname(path), { recursive: true });
  const me = JSON.stringify(currentOwner()) + '\n';
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createWhole(path, me)) return ownLock(path, me, made);
    const held = readLock(path);
    if (held === undefined) continue; // released meanwhile
    const owner = parseOwner(held);
    if (owner && !ownerGone(owner)) {
      throw new LockedError(`${what} is in use by another zyda run (pid ${owner.pid} on ${owner.host}, since ${owner.started_at}); ${path} is its lock`);
    }
    if (!replaceStale(path, held, me)) continue;
    warn(`warning: taking over a stale lock ${path}${owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.started_at}, is gone)` : ' (unreadable)'}`);
    return ownLock(path, me, made);
  }
  removeEmptyDirs(dirname(path), made);
  throw new LockedError(`${what}: other runs kept taking the lock ${path} while this one tried to take it`);
}

/** Several locks, taken in the given order and released in reverse; if one is held, those already taken are released. */
export function acquireLocks(paths: { path: string; what: string }[], warn: (line: string) => void): Lock {
  const held: Lock[] = [];
  const release = () => {
    for (const l of held.splice(0).reverse()) l.release();
  };
  try {
    for (const p of paths) held.push(acquireLock(p.path, p.what, warn));
  } catch (err) {
    release();
    throw err;
  }
  return { release };
}

function currentOwner(): LockOwner {
  return { pid: process.pid, host: hostname(), started_at: new Date().toISOString(), boot_id: bootId(), pid_start: processStartTime(process.pid), nonce: randomBytes(8).toString('hex') };
}

/** `made`: the first folder taking the lock created, if any; the folders the run left empty go with the lock. */
function ownLock(path: string, content: string, made: string | undefined): Lock {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Only our own lock: a run that took over a lock we held (thinking it stale) must keep it.
      if (readLock(path) === content) rmSync(path, { force: true });
      removeEmptyDirs(dirname(path), made);
    },
  };
}

function removeEmptyDirs(dir: string, upTo: string | undefined): void {
  if (upTo === undefined) return;
  for (let d = dir; d.startsWith(upTo); d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

/** Creates `path` holding `content`, whole, if no file has that name; false if one does. */
function createWhole(path: string, content: string): boolean {
  const tmp = tempPathFor(path);
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    // ENOENT: the run that holds this folder removed our temp file as a leftover before we linked it.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOENT') throw err;
    return false;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Replaces the stale lock `path`, whose content was `stale`, with `content`. Racers for the same stale lock
 * first create a claim file named after that lock's content: only one creates it, and only the claimant
 * replaces the lock, after checking it still holds `stale`. A later racer that still read `stale` finds the
 * lock replaced once it holds the claim, and backs off. A claimant that died mid-takeover leaves a stale claim,
 * which is taken over the same way. False when the lock is no longer `stale` or someone else is replacing it.
 */
function replaceStale(path: string, stale: string, content: string): boolean {
  const claim = `${path}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
  if (!createWhole(claim, content)) {
    const held = readLock(claim);
    if (held === undefined) return false;
    const claimant = parseOwner(held);
    if (claimant && !ownerGone(claimant)) return false;
    if (!replaceStale(claim, held, content)) return false;
  }
  try {
    if (readLock(path) !== stale) return false;
    const tmp = tempPathFor(path);
    writeFileSync(tmp, content);
    renameSync(tmp, path);
    return true;
  } finally {
    rmSync(claim, { force: true });
  }
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as LockOwner;
    return typeof o?.pid === 'number' && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a lock's owner is certainly gone: only ever judged for this host. */
function ownerGone(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  const boot = bootId();
  if (owner.boot_id !== undefined && boot !== undefined && owner.boot_id !== boot) return true;
  if (!processAlive(owner.pid)) return true;
  if (owner.pid_start === undefined) return false;
  const start = processStartTime(owner.pid);
  return start !== undefined && start !== owner.pid_start;
}
