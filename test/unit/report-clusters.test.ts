// The report's sample clusters, read from a clusters file as a run publishes it (zstd frames of JSON lines):
// the clusters of the first removed example docs, each with its first members in file order, kept first.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compress } from 'zstd-napi';
import type { Manifest } from '../../runtime/manifest.js';
import { sampleClusters } from '../../runtime/report/clusters.js';
import type { ReportData, SourceReport } from '../../runtime/report/data.js';

interface Line {
  cluster: string;
  size: number;
  id: string;
  kept: boolean;
}

/** A clusters file of these lines, in two zstd frames, and the report data whose dedup examples are `removed`. */
function fixture(dir: string, lines: Line[], removed: string[]): { manifest: Manifest; data: ReportData } {
  const text = lines.map((l) => JSON.stringify({ cluster: l.cluster, size: l.size, id: l.id, source: 'web', rank: 0, kept: l.kept, phase: 'near', jaccard: 1 }) + '\n').join('');
  const half = Buffer.from(text).subarray(0, text.length >> 1);
  const rest = Buffer.from(text).subarray(text.length >> 1);
  writeFileSync(join(dir, 'clusters.jsonl.zst'), Buffer.concat([compress(half), compress(rest)]));
  const source = { examples: { 'dedup/near': removed.map((id) => ({ id, snippet: `text of ${id}` })) } } as unknown as SourceReport;
  const data = { format: 1, examples_per_reason: 5, snippet_chars: 300, sources: { web: source } } as ReportData;
  return { manifest: { published: { dedup_clusters: 'clusters.jsonl.zst' } } as unknown as Manifest, data };
}

test('sample clusters: each shows its first eight members in file order, those after the removed doc and past the first four clusters too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zyda-report-clusters-'));
  try {
    const lines: Line[] = [];
    // Cluster a: 12 members, the removed example 3rd; cluster b: 3 members, its kept one last and far down the file.
    for (let i = 0; i < 12; i++) lines.push({ cluster: 'a', size: 12, id: `a${i}`, kept: i === 0 });
    lines.push({ cluster: 'b', size: 3, id: 'b0', kept: false }, { cluster: 'b', size: 3, id: 'b1', kept: false });
    for (const c of ['c', 'd', 'e']) lines.push({ cluster: c, size: 2, id: `${c}0`, kept: true }, { cluster: c, size: 2, id: `${c}1`, kept: false });
    for (let i = 0; i < 500; i++) lines.push({ cluster: `x${i}`, size: 1, id: `x${i}`, kept: true });
    lines.push({ cluster: 'b', size: 3, id: 'b2', kept: true });
    // A cluster whose size counts index docs that have no line: all its lines are shown.
    lines.push({ cluster: 'f', size: 9, id: 'f0', kept: false });
    const { manifest, data } = fixture(dir, lines, ['a2', 'b1', 'c1', 'd1', 'e1', 'f0']);
    const sample = await sampleClusters(dir, manifest, data);
    assert.deepEqual(
      sample.map((c) => [c.cluster, c.members.map((m) => m.id)]),
      [
        ['a', ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']],
        ['b', ['b2', 'b0', 'b1']],
        ['c', ['c0', 'c1']],
        ['d', ['d0', 'd1']],
      ],
    );
    assert.equal(sample[0].members[2].snippet, 'text of a2');

    const indexed = fixture(dir, lines, ['f0']);
    assert.deepEqual((await sampleClusters(dir, indexed.manifest, indexed.data)).map((c) => [c.cluster, c.members.map((m) => m.id)]), [['f', ['f0']]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
