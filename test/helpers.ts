import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Manifest } from '../runtime/manifest.js';
import type { PlanFile } from '../runtime/plan-file.js';
import { taskKey } from '../runtime/task-key.js';

/** The repo root, from dist/test/helpers.js. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
/** The project's shared data and tools beside the clone; ZYDA_SHARED puts them elsewhere (a missing path checks the skips). */
export const SHARED = process.env.ZYDA_SHARED || join(ROOT, '..', 'shared');

/**
 * Why a test cannot run without `path` under SHARED, or undefined when it is there. In a user's clone the answer is
 * the test's skip reason; in CI (CI=true, set by GitHub Actions and .ci/run) a missing path throws, so the suite fails
 * rather than quietly skipping what it has to run.
 */
export function needsShared(path: string): string | undefined {
  const full = join(SHARED, path);
  if (existsSync(full)) return undefined;
  const reason = `needs ${full} from the project's shared data, which is absent here`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have it`);
  return reason;
}

/** Debian's chromium, which the report tests drive through playwright-core; ZYDA_CHROMIUM names another binary. */
export const CHROMIUM = process.env.ZYDA_CHROMIUM || '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when chromium is installed; like needsShared, CI must have it. */
/** Every `step`th text of a shared/data/dev file (`.jsonl.gz`), `n` of them; the multilingual file is sorted by language. */
export function devTexts(file: string, n: number, step = 1): string[] {
  const lines = gunzipSync(readFileSync(join(SHARED, 'data', 'dev', file))).toString('utf8').split('\n').filter((l, i) => l !== '' && i % step === 0);
  return lines.slice(0, n).map((l) => (JSON.parse(l) as { text: string }).text);
}

export function needsChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `needs chromium at ${CHROMIUM} (apt-get install -y chromium), which is absent here`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have it`);
  return reason;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user would. */
export function zyda(args: string[], opts: { input?: string | Buffer; cwd?: string; env?: Record<string, string> } = {}): CliResult {
  // Tests read the text summary unless they ask for JSON logs (stdout is a pipe here, so auto would pick JSON).
  const env = { ...process.env, ZYDA_LOG_FORMAT: 'text', ...opts.env };
  const r = spawnSync(process.execPath, [CLI, ...args], { input: opts.input, cwd: opts.cwd, encoding: 'utf8', env, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Root reads and writes every file whatever its mode: tests run zyda as nobody to meet a real EACCES (needs root and setpriv). */
export function cannotDropPrivileges(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: cannot run zyda as another user';
  return spawnSync('setpriv', ['--version']).status === 0 ? undefined : 'no setpriv to run zyda as another user';
}

/** The real CLI as user nobody (uid 65534). */
export function zydaAsNobody(args: string[]): CliResult {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args], { encoding: 'utf8', env: { ...process.env, ZYDA_LOG_FORMAT: 'text' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** What a first-pass task's marker, parts and dedup files are called in a workdir (task-<key>), from its plan.json. */
export function taskFileName(workdir: string, task: number): string {
  const plan = JSON.parse(readFileSync(join(workdir, 'plan.json'), 'utf8')) as PlanFile;
  return `task-${taskKey(plan.tasks[task])}`;
}

export function tempDir(prefix = 'zyda-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function readManifestJson(out: string): Manifest {
  return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
}

/** Reads parquet with DuckDB, a reader independent of the one zyda writes with. */
export async function duck<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJS() as T[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

/**
 * The shards of an output's current snapshot: its manifest's generation folder (the previous one stays until
 * the next run), or every generation of an incremental output, whose runs each add one.
 */
export function shardGlob(out: string, source = '*'): string {
  const m = existsSync(join(out, 'manifest.json')) ? readManifestJson(out) : undefined;
  const generation = m?.generation !== undefined && !m.history ? `g${String(m.generation).padStart(5, '0')}` : 'g*';
  return join(out, 'data', source, generation, 'train-*.parquet');
}

/** The dedup clusters file the output's manifest names. */
export function clustersPath(out: string): string {
  return join(out, readManifestJson(out).published!.dedup_clusters);
}

/** sha256 of a file. */
export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The files an output's manifest names (shards and published files) that are missing or differ from its sha256. */
export function manifestProblems(out: string): string[] {
  const m = readManifestJson(out);
  const problems: string[] = [];
  for (const s of Object.values(m.sources)) {
    for (const sh of s.shards) {
      const path = join(out, sh.path);
      if (!existsSync(path)) problems.push(`${sh.path} is missing`);
      else if (sha256Of(path) !== sh.sha256) problems.push(`${sh.path} differs from its sha256`);
    }
  }
  for (const rel of Object.values(m.published ?? {})) if (!existsSync(join(out, rel))) problems.push(`${rel} is missing`);
  return problems;
}

/** All files under a directory with their sizes, for "nothing half-written" checks. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** The bundled sample config, with its paths made absolute (to `sample`, the bundled one by default) and the output moved to `out`. */
export function sampleConfig(dir: string, out: string, sample = join(ROOT, 'sample')): string {
  const text = readFileSync(join(ROOT, 'configs', 'sample.yaml'), 'utf8')
    .replaceAll('../sample/', `${sample}/`)
    .replace(/^output: .*$/m, `output: ${out}`)
    .replace(/^keep_rejected: .*$/m, `keep_rejected: ${out}-rejected`)
    .replace(/^workers: .*$/m, 'workers: 2');
  const path = join(dir, `${relative(dir, out).replaceAll('/', '_')}.yaml`);
  writeFileSync(path, text);
  return path;
}

/**
 * sha256 of every file an output's manifest names (shards, dedup clusters and index), by relative path with the
 * generation folder left out: two runs agree when they made the same snapshot, whichever commit made it.
 */
export function outputDigest(out: string): Record<string, string> {
  const m = readManifestJson(out);
  const named = [...Object.values(m.sources).flatMap((s) => s.shards.map((sh) => sh.path)), ...Object.values(m.published ?? {})];
  const files = named.flatMap((rel) => (statSync(join(out, rel)).isDirectory() ? listFiles(join(out, rel)) : [join(out, rel)]));
  return Object.fromEntries(files.map((f) => [relative(out, f).replace(/\/g\d{5}\//, '/g*/'), sha256Of(f)]));
}

/** Keeps each sample file a task of its own (the sample's files are small enough to be grouped into one task). */
export function oneTaskPerFile(config: string): string {
  appendFileSync(config, 'task_bytes: 300KB\n');
  return config;
}
