import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeJsonAtomic } from '../core/atomic.js';
import { failPoint } from '../core/fail-point.js';
import { namedPaths, staysInside } from './generations.js';
import { manifestPath, priorManifest, type Manifest } from './manifest.js';
import { isOwnTempName } from './temp-files.js';

/**
 * The commit of one output as a snapshot switch. A journal naming every path the commit will create is written
 * before the first of them; the manifest's atomic rename is the single commit point; the journal is dropped
 * after it. What the new manifest no longer names stays for readers of the old one and is removed by the next
 * commit. A run that finds a journal first finishes the commit it describes (manifest already switched) or
 * rolls it back (deleting only the paths the journal names), so no half-done commit outlives a crash.
 */
interface Journal {
  generation: number;
  /** Paths relative to the output, created by this commit. */
  paths: string[];
}

/** The commit's named steps, for ZYDA_FAIL_AT: each fires after every file operation of its kind. */
export const COMMIT_POINTS = ['retire', 'journal', 'shard', 'publish', 'manifest', 'done'] as const;

export const journalPath = (outDir: string) => join(outDir, '.zyda-commit.json');

export interface SnapshotCommit {
  outDir: string;
  prior: Manifest | undefined;
  generation: number;
  /** Shards written under temporary names, and their paths relative to the output. */
  moves: { from: string; to: string }[];
  /** What barrier stages publish, by key: paths relative to the output, and how to write each. */
  published: Record<string, string>;
  publish: (key: string, dest: string) => void;
  /** The manifest; the commit adds `retired`, what the prior one named and this one does not. */
  manifest: () => Manifest;
  /** Prefix of this output's fail points: `commit` for the output, `rejected-commit` for keep_rejected. */
  points: string;
}

export function commitSnapshot(c: SnapshotCommit): Manifest {
  const at = (point: (typeof COMMIT_POINTS)[number]) => failPoint(`${c.points}-${point}`);
  recoverCommit(c.outDir);
  removeRetired(c.outDir, c.prior, () => at('retire'));
  const created = [...c.moves.map((m) => m.to), ...Object.values(c.published)];
  writeJsonAtomic(journalPath(c.outDir), { generation: c.generation, paths: created } satisfies Journal);
  at('journal');
  for (const m of c.moves) {
    const dest = join(c.outDir, m.to);
    mkdirSync(dirname(dest), { recursive: true });
    renameSync(m.from, dest);
    at('shard');
  }
  for (const [key, rel] of Object.entries(c.published)) {
    c.publish(key, join(c.outDir, rel));
    at('publish');
  }
  const manifest = c.manifest();
  const named = new Set(namedPaths(manifest));
  manifest.retired = c.prior ? namedPaths(c.prior).filter((p) => !named.has(p)) : [];
  writeJsonAtomic(manifestPath(c.outDir), manifest);
  at('manifest');
  rmSync(journalPath(c.outDir), { force: true });
  at('done');
  return manifest;
}

/** The previous commit's retired paths: readers of the manifest before it have had their grace period. */
function removeRetired(outDir: string, prior: Manifest | undefined, after: () => void): void {
  if (!prior?.retired) return;
  const named = new Set(namedPaths(prior));
  for (const rel of prior.retired) {
    if (named.has(rel) || !staysInside(rel)) continue;
    rmSync(join(outDir, rel), { recursive: true, force: true });
    removeEmptyParents(outDir, rel);
    after();
  }
}

/**
 * Finishes or rolls back a commit a crash interrupted: if the manifest is the journal's generation the commit
 * happened and only the journal is left to drop; otherwise every path the journal names (and not the manifest)
 * goes, with the temporary files zyda writes in their place.
 */
export function recoverCommit(outDir: string): void {
  const path = journalPath(outDir);
  if (!existsSync(path)) return;
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(path, 'utf8')) as Journal;
  } catch {
    // A journal is written atomically; one that does not parse is not ours to act on.
    return;
  }
  const manifest = priorManifest(outDir);
  if (manifest?.generation !== journal.generation) {
    const keep = new Set(manifest ? namedPaths(manifest) : []);
    for (const rel of journal.paths) {
      if (keep.has(rel) || !staysInside(rel)) continue;
      const dest = join(outDir, rel);
      rmSync(dest, { recursive: true, force: true });
      const dir = dirname(dest);
      if (existsSync(dir)) for (const f of readdirSync(dir)) if (isOwnTempName(f, basename(rel))) rmSync(join(dir, f), { recursive: true, force: true });
      removeEmptyParents(outDir, rel);
    }
  }
  rmSync(path, { force: true });
}

/** recoverCommit for a run's outputs (the output and the keep_rejected one, when set). */
export function recoverCommits(outDirs: (string | undefined)[]): void {
  for (const out of outDirs) if (out) recoverCommit(out);
}

/** Drops the folders above a removed path that it leaves empty (a generation folder), up to the output. */
function removeEmptyParents(outDir: string, rel: string): void {
  for (let dir = dirname(rel); dir !== '.' && dir !== ''; dir = dirname(dir)) {
    const abs = join(outDir, dir);
    if (!existsSync(abs) || readdirSync(abs).length > 0) return;
    rmdirSync(abs);
  }
}
