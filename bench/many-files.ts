/**
 * Probe for the many-small-files edge: writes N tiny JSON lines files (one doc each, every 10th a copy of
 * another), runs the real CLI with dedup under `ulimit -n LIMIT`, and prints the time, exit code, the
 * workdir's file count and size, and the dedup accounting.
 *   node dist/bench/many-files.js N [LIMIT]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/** Writes `n` one-doc files under dir/in (in subfolders of 1,000); every 10th doc repeats the doc 5 before it. */
export function writeTinyFiles(dir: string, n: number): { input: string; planted: number } {
  const input = join(dir, 'in');
  let planted = 0;
  for (let i = 0; i < n; i++) {
    const sub = join(input, `d${String(Math.floor(i / 1000)).padStart(4, '0')}`);
    if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
    const copy = i % 10 === 9;
    if (copy) planted++;
    const k = copy ? i - 5 : i;
    const text = `document ${k} says ${k % 7} things about topic ${k * 7919} and more words for ${k}`;
    writeFileSync(join(sub, `f${String(i).padStart(6, '0')}.jsonl`), JSON.stringify({ text }) + '\n');
  }
  return { input, planted };
}

export function manyFilesConfig(dir: string, input: string, extra = ''): string {
  const path = join(dir, 'config.yaml');
  writeFileSync(path, [`name: many`, `output: ${join(dir, 'out')}`, `workdir: ${join(dir, 'work')}`, 'workers: 2', 'sources:', '  - name: tiny', `    paths: ${input}`, '    text_field: text', 'stages:', '  - dedup: {exact: true, threshold: 0.8}', extra].join('\n') + '\n');
  return path;
}

export function countFiles(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** Runs the CLI under a file-descriptor limit, as a shell user with `ulimit -n` would. */
export function runLimited(args: string[], limit: number, env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `ulimit -n ${limit}; exec "$0" "$@"`, process.execPath, CLI, ...args], { encoding: 'utf8', env: { ...process.env, ZYDA_LOG_FORMAT: 'text', ...env }, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 10_000);
  const limit = Number(process.argv[3] ?? 1024);
  const dir = mkdtempSync(join(tmpdir(), 'zyda-many-'));
  try {
    const { input, planted } = writeTinyFiles(dir, n);
    const cfg = manyFilesConfig(dir, input);
    const t0 = Date.now();
    const r = runLimited(['run', cfg], limit);
    const seconds = (Date.now() - t0) / 1000;
    const work = countFiles(join(dir, 'work'));
    let accounting = '';
    try {
      const m = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')) as { accounting: { read: number; written: number; duplicates: Record<string, number> } };
      accounting = `read ${m.accounting.read}, written ${m.accounting.written}, duplicates ${JSON.stringify(m.accounting.duplicates)} (planted ${planted})`;
    } catch {
      accounting = 'no manifest';
    }
    console.log(`${n} files, ulimit -n ${limit}: exit ${r.code} in ${seconds.toFixed(1)} s; workdir ${work.files} files, ${(work.bytes / 1e6).toFixed(1)} MB; ${accounting}`);
    if (r.code !== 0) console.log(r.stderr.split('\n').slice(-6).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
