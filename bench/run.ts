// npm run bench: make (or reuse) the corpus, run every case in its own process, print and save the medians.
//   BENCH_RUNS=n   runs per case (default 3)      BENCH_SCALE=0.1   a 10× smaller corpus for a quick run
//   BENCH_ONLY=dedup   only the cases whose id starts with one of these comma-separated prefixes
import { calibrate } from './calibrate.js';
import { buildCases, CHECKS, type Case, type RunFigures } from './cases.js';
import { TOKEN_AGREEMENTS } from './cases-tokenize.js';
import { buildFingerprint } from './code.js';
import { cpuSnapshot, otherCores } from './contention.js';
import { ensureCorpus } from './corpus.js';
import { report, type CaseOutcome } from './report.js';
import { ONLY, RUNS, SCALE } from './settings.js';

const log = (s: string) => process.stderr.write(s + '\n');

const t0 = performance.now();
const corpus = await ensureCorpus(log);
if (!corpus.generated) log(`reusing the corpus in ${corpus.full.dir}/.. (${(corpus.full.bytes / 1e6).toFixed(0)} MB, ${corpus.stamp.origin})`);
log(`scale ${SCALE}, ${RUNS} run(s) per case`);

const cases = buildCases(corpus).filter((c) => ONLY.length === 0 || ONLY.some((p) => c.id.startsWith(p)));
if (cases.length === 0) throw new Error(`BENCH_ONLY=${ONLY.join(',')} matches no case; ids: ${buildCases(corpus).map((c) => c.id).join(', ')}`);
const calibration = await calibrate(RUNS, corpus.small.dir, log);
const build = buildFingerprint();
const outcomes: CaseOutcome[] = cases.map((c) => ({ case: c, runs: [] }));
// Round-robin: run 1 of every case, then run 2 of every case… A slow spell on this noisy machine then
// lands on several cases instead of all runs of one, and the 1- vs 2-worker comparison stays fair.
const rounds = Math.max(...cases.map((c) => c.runs));
for (let round = 0; round < rounds; round++) {
  for (const o of outcomes) {
    if (o.case.skip || o.error || round >= o.case.runs) continue;
    try {
      const before = cpuSnapshot();
      const r = await o.case.run();
      r.other_cores = otherCores(before, cpuSnapshot());
      o.runs.push(r);
      log(`${describe(o.case)} run ${round + 1}/${o.case.runs}: ${brief(r)}`);
    } catch (err) {
      o.error = (err as Error).message;
      log(`${describe(o.case)}: error: ${o.error}`);
    }
  }
}

const ran = new Set(cases.map((c) => c.id));
report(outcomes, CHECKS.filter((c) => ran.has(c.num) && ran.has(c.den)), TOKEN_AGREEMENTS.filter((a) => a.cases.some((id) => ran.has(id))), corpus, calibration, (performance.now() - t0) / 1000, buildFingerprint() !== build);
// Missed targets are findings, not crashes; only a case that could not run fails the command.
if (outcomes.some((o) => o.error)) process.exitCode = 1;

function describe(c: Case): string {
  return `${c.stage} [${c.input}, ${c.workers}w]`;
}

function brief(r: RunFigures): string {
  const parts = [`${r.seconds.toFixed(2)} s`, `${(r.docs / r.seconds).toFixed(0)} docs/s`, `${(r.bytes / 1e6 / r.seconds).toFixed(1)} MB/s`];
  if (r.tokens !== undefined) parts.push(`${(r.tokens / r.seconds / 1e6).toFixed(2)} M tokens/s`);
  if (r.max_rss_kb !== null) parts.push(`RSS ${(r.max_rss_kb / 1024).toFixed(0)} MB`);
  if (r.other_cores) parts.push(`other processes ${r.other_cores.toFixed(2)} cores`);
  return parts.join(', ');
}
