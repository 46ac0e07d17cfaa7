import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case, RunFigures } from './cases.js';
import { runCli } from './measure.js';
import { RUNS } from './settings.js';

/** Start-up is short and noisy here: more runs than the other cases, as they cost little. */
const STARTUP_RUNS = Math.max(RUNS, 7);

/** The stages of configs/sample.yaml: every kind a first run meets, each loading what it needs. */
const SAMPLE_STAGES = `stages:
  - transform: {preset: zyda}
  - filter: {zyda: {}}
  - langid: {keep: all}
  - dedup: {exact: true, threshold: 0.5}
  - tokens: {}
`;

/** What a user waits for before zyda does anything: `--version`, `--help`, and a run over a single document. */
export function startupCases(): Case[] {
  const seconds = (value: number) => ({ metric: 'seconds' as const, op: '<=' as const, value });
  return [
    { id: 'startup/version', stage: 'zyda --version', input: '-', workers: 1, runs: STARTUP_RUNS, target: seconds(0.3), run: () => timed(['--version']) },
    { id: 'startup/help', stage: 'zyda --help', input: '-', workers: 1, runs: STARTUP_RUNS, target: seconds(0.3), run: () => timed(['--help']) },
    { id: 'startup/one-doc', stage: 'zyda run, one doc, sample stages', input: '1 doc', workers: 2, runs: STARTUP_RUNS, target: seconds(1.5), run: oneDocRun },
  ];
}

async function timed(args: string[]): Promise<RunFigures> {
  const r = await runCli(args);
  return { seconds: r.seconds, docs: 0, bytes: 0, max_rss_kb: r.max_rss_kb, extra: { wall_seconds: r.seconds } };
}

/** `zyda run` of the sample's stages over one document, into a fresh output: planning, every step and the commit. */
async function oneDocRun(): Promise<RunFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'zyda-bench-startup-'));
  try {
    const doc = JSON.stringify({ text: 'The quick brown fox jumps over the lazy dog near the quiet river bank, then runs into the dark forest where nobody sees it again.' });
    writeFileSync(join(dir, 'one.jsonl'), doc + '\n');
    writeFileSync(join(dir, 'one.yaml'), `output: ${join(dir, 'out')}\nworkers: 2\nsources:\n  - {name: one, paths: ${join(dir, 'one.jsonl')}}\n${SAMPLE_STAGES}`);
    const r = await runCli(['run', join(dir, 'one.yaml'), '--log-format', 'json']);
    return { seconds: r.seconds, docs: 1, bytes: Buffer.byteLength(doc) + 1, max_rss_kb: r.max_rss_kb, extra: { wall_seconds: r.seconds } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
