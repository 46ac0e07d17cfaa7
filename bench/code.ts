import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './settings.js';

/** Which code produced the figures: a commit alone is not enough when the tree has local edits. */
export function codeInfo() {
  const dirty = git(['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no']); // read-only: never refresh the index
  return {
    // A tarball or a machine without git still benchmarks; the commit is then null.
    git_commit: git(['rev-parse', '--short', 'HEAD'])?.trim() || null,
    uncommitted: dirty === null ? null : dirty.split('\n').filter(Boolean).map((l) => l.slice(3)),
  };
}

/**
 * A hash of every compiled module the cases load (content, not mtime: tsc rewrites unchanged files).
 * Taken before and after the run: if different code lands mid-run (another `tsc` in the same tree),
 * the runs mix two builds and their median means nothing.
 */
export function buildFingerprint(): string {
  const h = createHash('sha256');
  for (const dir of ['core', 'io', 'tokenizers', 'fasttext', 'langid', 'classifiers', 'filters', 'runtime', 'dedup', 'stages', 'executors', 'cli', 'bench']) walk(join(ROOT, 'dist', dir), h);
  return h.digest('hex').slice(0, 16);
}

function walk(dir: string, h: ReturnType<typeof createHash>): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, h);
    else if (name.endsWith('.js')) h.update(p).update(readFileSync(p));
  }
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}
