import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import type { MemberLine } from '../dedup/apply.js';
import { ConfigError, RunError } from '../core/errors.js';
import { readManifest } from '../runtime/manifest.js';
import { table } from '../core/table.js';

const CLUSTERS = join('dedup', 'clusters.jsonl.zst');

export async function inspectCommand(dir: string, opts: { cluster?: string; doc?: string; json?: boolean }): Promise<void> {
  if ((opts.cluster === undefined) === (opts.doc === undefined)) throw new ConfigError('inspect: give one of --cluster <id> or --doc <id>');
  const path = clustersFile(dir);
  let clusters: string[];
  if (opts.cluster !== undefined) {
    const id = opts.cluster.trim().toLowerCase();
    if (!/^[0-9a-f]{16}$/.test(id)) throw new ConfigError(`inspect: "${opts.cluster}" is not a cluster id (16 hex digits, as in the dup_cluster_id column)`);
    clusters = [id];
  } else {
    clusters = [...new Set((await scan(path, `"id":${JSON.stringify(opts.doc)}`, (m) => m.id === opts.doc)).map((m) => m.cluster))];
    if (clusters.length === 0) {
      // Not in the members file: either written as a unique doc, or never in this output at all.
      const { findDoc } = await import('./find-doc.js');
      const found = await findDoc(dir, opts.doc!, {});
      if (!found) throw new ConfigError(`inspect: no doc "${opts.doc}" in ${dir}: it is neither in its shards nor in a duplicate cluster (a doc dropped by a filter is in neither; keep_rejected keeps those)`);
      process.stdout.write(opts.json ? '' : `doc ${opts.doc} is in no duplicate cluster (${found.where})\n`);
      return;
    }
  }
  const wanted = new Set(clusters);
  const members = await scan(path, clusters.length === 1 ? `"cluster":"${clusters[0]}"` : '"cluster":', (m) => wanted.has(m.cluster));
  if (members.length === 0) throw new ConfigError(`inspect: no cluster ${clusters[0]} in ${path}`);
  const out: string[] = [];
  for (const c of clusters) {
    // Kept first; otherwise the file's order (task order, the same for any worker count).
    const ms = members.filter((m) => m.cluster === c).sort((a, b) => Number(b.kept) - Number(a.kept));
    if (opts.json) out.push(...ms.map((m) => JSON.stringify(m)));
    else out.push(formatCluster(c, ms, opts.doc));
  }
  process.stdout.write(out.join(opts.json ? '\n' : '\n\n') + '\n');
    
}

/** The clusters file the output's manifest names (dedup/g<N>/clusters.jsonl.zst), after checking that the output is finished and that its run deduplicated. */
function clustersFile(dir: string): string {
  const m = readManifest(dir);
  const path = join(dir, m.published?.dedup_clusters ?? CLUSTERS);
  if (!m.stages?.some((s) => s.kind === 'dedup')) throw new ConfigError(`inspect: ${dir} has no ${CLUSTERS}: the run had no dedup stage`);
  if (!existsSync(path)) throw new ConfigError(`inspect: ${dir} has no ${CLUSTERS} although its run had a dedup stage (a keep_rejected output has none; inspect the main output)`);
  return path;
}

/**
 * Streams the members file (concatenated zstd frames, one per task) and returns the lines that match. A line
 * is parsed only when it contains `hint`, its key and value as the writer's JSON.stringify spells them.
 */
async function scan(path: string, hint: string, match: (m: MemberLine) => boolean): Promise<MemberLine[]> {
  const found: MemberLine[] = [];
  const { DecompressStream } = await import('zstd-napi');
  const zstd = new DecompressStream();
  const piped = pipeline(createReadStream(path), zstd);
  const read = (async () => {
    let n = 0;
    for await (const line of createInterface({ input: zstd, crlfDelay: Infinity })) {
      n++;
      if (!line.includes(hint)) continue;
      let m: MemberLine;
      try {
        m = JSON.parse(line) as MemberLine;
      } catch {
        throw new Error(`line ${n} is not JSON`);
      }
      if (match(m)) found.push(m);
    }
  })();
  try {
    await Promise.all([piped, read]);
  } catch (err) {
    throw new RunError(`${path}: ${(err as Error).message}`);
  }
  return found;
}

function formatCluster(cluster: string, ms: MemberLine[], asked?: string): string {
  const kept = ms.filter((m) => m.kept);
  const phases = [...new Set(ms.map((m) => m.phase))].join(' + ');
  const sizes = [...new Set(ms.map((m) => m.size))].join(' / ');
  const head = `cluster ${cluster}: ${phases} duplicates, size ${sizes}, ${kept.length} kept, ${ms.length - kept.length} removed`;
  const rows = ms.map((m) => [m.id, m.source, m.rank, m.phase, m.jaccard.toFixed(3), m.kept ? 'kept' : 'removed', ...(asked === undefined ? [] : [m.id === asked ? '← this doc' : ''])]);
  const header = ['id', 'source', 'rank', 'phase', 'jaccard vs kept', 'status', ...(asked === undefined ? [] : ['doc'])];
  const notes: string[] = [];
  if (kept.length === 0) notes.push('(the kept member is not listed: it is in a loaded dedup index, or a later phase removed it)');
  return [head, table(header, rows), ...notes].join('\n');
}
