import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { writeFileAtomic } from '../../core/atomic.js';
import { publishedPath } from '../generations.js';
import type { Manifest } from '../manifest.js';
import { sampleClusters, type SampleCluster } from './clusters.js';
import type { ReportData } from './data.js';
import { GENERATION_META } from './generation-meta.js';

/** The report a run writes into its output; `zyda report` writes the same page, by default to the same place. */
export const REPORT_HTML = 'report.html';

/**
 * The page's renderer, loaded on first use: a run needs it only at its commit, and starts loading it while its
 * steps run (CommitInputs), so that neither its start-up nor its commit waits for it.
 */
export const loadRenderer = () => import('./render.js');
/** The manifest's `published` key of the gathered data. */
export const REPORT_DATA_KEY = 'report_data';

export function reportDataPath(generation: number): string {
  return publishedPath('report', generation, 'report-data.json');
}

/** The report data the output's manifest names, if its run gathered any. */
export function readReportData(outDir: string, m: Manifest): ReportData | undefined {
  const rel = m.published?.[REPORT_DATA_KEY];
  if (!rel) return undefined;
  return JSON.parse(readFileSync(join(outDir, rel), 'utf8')) as ReportData;
}

/** How the report's suggested commands name the output: relative to the working directory when below it. */
function shownPath(outDir: string): string {
  const rel = relative(process.cwd(), outDir);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : outDir;
}

/** What only the run itself knows; the data file leaves it out, so that file is the same on every rerun. */
export interface RunFacts {
  peakRssBytes?: number;
  keepRejected?: string;
}

/** What a run that just gathered the report's data has at hand, so nothing is read back from the output. */
export interface ReportInputs {
  data: ReportData;
  /** Unless sampled from the output's clusters file. */
  clusters?: Promise<SampleCluster[]>;
}

/** Renders the output's report from its manifest and data into `file`, atomically. */
export async function writeReport(outDir: string, file: string, m: Manifest, facts: RunFacts = {}, known?: ReportInputs): Promise<void> {
  const data = known ? known.data : readReportData(outDir, m);
  const clusters = await (known?.clusters ?? sampleClusters(outDir, m, data));
  const keepRejected = facts.keepRejected === undefined ? undefined : shownPath(facts.keepRejected);
  const { renderReport } = await loadRenderer();
  writeFileAtomic(file, renderReport({ manifest: m, output: shownPath(outDir), data, clusters, peakRssBytes: facts.peakRssBytes, keepRejected }));
}

/** Whether `OUT/report.html` describes the manifest's generation (a run stopped after its commit point has none). */
export function reportIsCurrent(outDir: string, m: Manifest): boolean {
  const file = join(outDir, REPORT_HTML);
  if (!existsSync(file)) return false;
  const head = readFileSync(file, 'utf8').slice(0, 2000);
  return head.includes(`<meta name="${GENERATION_META}" content="${m.generation ?? 0}">`);
}

/**
 * Writes `OUT/report.html` after a commit, or for an up-to-date output whose report is missing or stale. A
 * report that cannot be written (a full disk) leaves the committed output and a warning, not a failed run.
 */
export async function writeRunReport(outDir: string, m: Manifest, facts: RunFacts, known?: ReportInputs): Promise<void> {
  try {
    await writeReport(outDir, join(outDir, REPORT_HTML), m, facts, known);
  } catch (err) {
    process.stderr.write(`warning: ${join(outDir, REPORT_HTML)} not written: ${(err as Error).message}; \`zyda report ${outDir}\` writes it\n`);
  }
}
