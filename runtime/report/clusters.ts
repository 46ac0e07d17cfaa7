import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { zstdNapi } from '../../io/zstd-napi.js';
import type { Manifest } from '../manifest.js';
import type { ReportData } from './data.js';

export interface SampleCluster {
  cluster: string;
  members: { id: string; source: string; phase: string; jaccard: number; kept: boolean; snippet?: string }[];
}

interface MemberLine {
  cluster: string;
  id: string;
  source: string;
  phase: string;
  jaccard: number;
  kept: boolean;
  /** The cluster's docs: this file has at most that many lines of it (fewer when some came from an index). */
  size: number;
}

const CLUSTERS = 4;
const MEMBERS = 8;

/**
 * Each line of the output's clusters file (concatenated zstd frames of JSON lines), streamed until `visit` says
 * it has all it wants; `wants` passes over the lines that cannot matter before they are parsed, which is most
 * of a large file's cost.
 */
async function eachMember(path: string, visit: (m: MemberLine) => 'done' | void, wants: (line: string) => boolean): Promise<void> {
  const input = createReadStream(path);
  const zstd = new (zstdNapi().DecompressStream)();
  let stopped = false;
  // Streams destroyed on purpose end the pipeline early, which is no error.
  const piped = pipeline(input, zstd).catch((err: unknown) => {
    if (!stopped) throw err;
  });
  const read = (async () => {
    for await (const line of createInterface({ input: zstd, crlfDelay: Infinity })) {
      if (line && wants(line) && visit(JSON.parse(line) as MemberLine) === 'done') {
        stopped = true;
        input.destroy();
        zstd.destroy();
        break;
      }
    }
  })();
  await Promise.all([piped, read]);
}

/** The manifest's `published` key of the dedup clusters file. */
export const DEDUP_CLUSTERS_KEY = 'dedup_clusters';

/** sampleClusterFile on the clusters file the output's manifest names, if any. */
export async function sampleClusters(outDir: string, m: Manifest, data: ReportData | undefined): Promise<SampleCluster[]> {
  const rel = m.published?.[DEDUP_CLUSTERS_KEY];
  if (!rel || !data) return [];
  return sampleClusterFile(join(outDir, rel), data);
}

/**
 * A few duplicate clusters to show: those of the removed docs the report keeps as examples (so their text is
 * at hand), found in two streaming passes over a clusters file, so memory stays bounded.
 */
export async function sampleClusterFile(path: string, data: ReportData): Promise<SampleCluster[]> {
  if (!existsSync(path)) return [];
  const snippets = new Map<string, string>();
  for (const s of Object.values(data.sources)) {
    for (const [reason, samples] of Object.entries(s.examples)) if (reason.startsWith('dedup/')) for (const x of samples) snippets.set(x.id, x.snippet);
  }
  if (snippets.size === 0) return [];
  const wanted: string[] = [];
  await eachMember(
    path,
    (line) => {
      if (wanted.length < CLUSTERS && !line.kept && snippets.has(line.id) && !wanted.includes(line.cluster)) wanted.push(line.cluster);
      if (wanted.length === CLUSTERS) return 'done';
    },
    // A removed member's line says "kept":false, as JSON.stringify writes it; the parsed line decides.
    (raw) => wanted.length < CLUSTERS && raw.includes('"kept":false'),
  );
  if (wanted.length === 0) return [];
  const byCluster = new Map(wanted.map((c) => [c, [] as SampleCluster['members']]));
  // A cluster is complete once it shows MEMBERS members, or all it has.
  const complete = new Set<string>();
  await eachMember(
    path,
    (line) => {
      const list = byCluster.get(line.cluster);
      if (!list || list.length >= MEMBERS) return;
      list.push({ id: line.id, source: line.source, phase: line.phase, jaccard: line.jaccard, kept: line.kept, snippet: snippets.get(line.id) });
      if (list.length >= Math.min(MEMBERS, line.size)) complete.add(line.cluster);
      if (complete.size === wanted.length) return 'done';
    },
    (raw) => wanted.some((c) => raw.includes(c)),
  );
  return wanted.map((cluster) => ({ cluster, members: byCluster.get(cluster)!.sort((a, b) => Number(b.kept) - Number(a.kept)) }));
}
