import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockedError } from './errors.js';

/**
 * One run per workdir: <workdir>/lock holds the owner's pid, host and start time, created with O_EXCL so two
 * runs cannot both take it. A second run exits at once (LockedError, exit 75). A lock whose pid is gone on
 * this same host is stale (a killed run) and is taken over with a warning; one from another host is never
 * guessed about.
 */
interface LockOwner {
  pid: number;
  host: string;
  started_at: string;
}

export interface Lock {
  release(): void;
}

export function lockPath(workdir: string): string {
  return join(workdir, 'lock');
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

export function acquireLock(workdir: string, warn: (line: string) => void): Lock {
  mkdirSync(workdir, { recursive: true });
  const path = lockPath(workdir);
  const me: LockOwner = { pid: process.pid, host: hostname(), started_at: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      return {
        release() {
          // Only our own lock: a run that took over a lock we thought was ours must keep it.
          if (readOwner(path)?.pid === me.pid) rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(path);
    if (owner && (owner.host !== me.host || processAlive(owner.pid))) {
      throw new LockedError(`${workdir} is in use by another zyda run (pid ${owner.pid} on ${owner.host}, since ${owner.started_at}); ${path} is its lock`);
    }
    warn(`warning: taking over a stale lock ${path}${owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.started_at}, is gone)` : ' (unreadable)'}`);
    rmSync(path, { force: true });
  }
  throw new LockedError(`${workdir}: another run took the lock while this one was taking over a stale one`);
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}
