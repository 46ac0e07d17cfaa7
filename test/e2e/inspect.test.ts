// `zyda inspect OUT --cluster ID | --doc ID`: checked against a real run of the sample pipeline, with the
// members file read independently (whole, with zstd-napi's one-shot decompress) and the shards read by DuckDB.

import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { decompress } from 'zstd-napi';
import type { MemberLine } from '../../dedup/apply.js';
import type { Manifest } from '../../runtime/manifest.js';
import { cleanup, clustersPath, duck, ROOT, shardGlob, tempDir, zyda } from '../helpers.js';

const sampleReady = existsSync(join(ROOT, 'sample', '.complete'));
const skip = !sampleReady && 'sample/ not generated (npm install makes it)';

let dir: string;
let out: string;
let rejected: string;
let members: MemberLine[];

before(() => {
  if (!sampleReady) return;
  dir = tempDir('zyda-inspect-test-');
  out = join(dir, 'out');
  rejected = join(dir, 'rejected');
  // The sample config as it is, with its sample paths made absolute (they resolve relative to the config
  // file, which is written to the temp dir) and its outputs moved there.
  const cfg = parse(readFileSync(join(ROOT, 'configs', 'sample.yaml'), 'utf8')) as { output: string; keep_rejected: string; sources: { paths: string | string[] }[] };
  const abs = (p: string) => resolve(ROOT, 'configs', p);
  for (const s of cfg.sources) s.paths = Array.isArray(s.paths) ? s.paths.map(abs) : abs(s.paths);
  cfg.output = out;
  cfg.keep_rejected = rejected;
  writeFileSync(join(dir, 'sample.yaml'), stringify(cfg));
  const r = zyda(['run', join(dir, 'sample.yaml')]);
  assert.equal(r.code, 0, r.stderr);
  const text = decompress(readFileSync(clustersPath(out))).toString('utf8');
  members = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as MemberLine);
});

after(() => {
  if (dir) cleanup(dir);
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const clusterOf = (id: string) => members.filter((m) => m.cluster === id);
/** The table's body rows, split on the two-space column gaps. */
const rowsOf = (stdout: string) => {
  const lines = stdout.trimEnd().split('\n');
  const sep = lines.findIndex((l) => /^-+( +-+)+$/.test(l));
  assert.ok(sep > 0, `no table in:\n${stdout}`);
  return lines.slice(sep + 1).map((l) => l.split(/ {2,}/).map((c) => c.trim()));
};

/** A near cluster with a removed member whose estimated Jaccard is below 1, preferably across sources. */
function pickCluster(): { id: string; ms: MemberLine[]; kept: MemberLine; removed: MemberLine } {
  const ids = [...new Set(members.map((m) => m.cluster))];
  const good = ids.map((id) => clusterOf(id)).filter((ms) => ms.some((m) => !m.kept && m.phase === 'near' && m.jaccard < 1) && ms.filter((m) => m.kept).length === 1);
  assert.ok(good.length > 0, 'the sample has near duplicates with a removed member');
  const ms = good.find((c) => new Set(c.map((m) => m.source)).size > 1) ?? good[0];
  return { id: ms[0].cluster, ms, kept: ms.find((m) => m.kept)!, removed: ms.find((m) => !m.kept && m.jaccard < 1)! };
}

test('inspect --cluster prints the members as a table, kept member first', { skip }, () => {
  const c = pickCluster();
  const r = zyda(['inspect', out, '--cluster', c.id]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^cluster ${c.id}: near duplicates, size ${c.kept.size}, 1 kept, ${c.ms.length - 1} removed\n`));
  assert.match(r.stdout, /id +source +rank +phase +jaccard vs kept +status\n/);
  const rows = rowsOf(r.stdout);
  assert.equal(rows.length, c.ms.length);
  assert.deepEqual(rows[0], [c.kept.id, c.kept.source, String(c.kept.rank), 'near', '1.000', 'kept']);
  for (const m of c.ms) assert.ok(rows.some((row) => row.join('|') === [m.id, m.source, String(m.rank), m.phase, m.jaccard.toFixed(3), m.kept ? 'kept' : 'removed'].join('|')), `row for ${m.id}`);
  assert.ok(rows.slice(1).every((row) => row[5] === 'removed'));
  // Cluster ids are hex: upper case is the same cluster.
  assert.equal(zyda(['inspect', out, '--cluster', c.id.toUpperCase()]).stdout, r.stdout);
});

test('inspect --doc finds the doc\'s cluster and marks the doc', { skip }, () => {
  const c = pickCluster();
  const byCluster = rowsOf(zyda(['inspect', out, '--cluster', c.id]).stdout);
  for (const asked of [c.removed, c.kept]) {
    const r = zyda(['inspect', out, '--doc', asked.id]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^cluster ${c.id}: `));
    assert.match(r.stdout, /status +doc\n/);
    const rows = rowsOf(r.stdout);
    assert.deepEqual(rows.map((row) => row.slice(0, 6)), byCluster, 'the same table as --cluster');
    assert.deepEqual(rows.filter((row) => row[6] === '← this doc').map((row) => row[0]), [asked.id]);
  }
  // The last member line sits in the file's last zstd frame (one frame per task): the stream reads them all.
  const last = members[members.length - 1];
  const r = zyda(['inspect', out, '--doc', last.id]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^cluster ${last.cluster}: `));
});

test('inspect --json prints the members as JSON lines, kept first', { skip }, () => {
  const c = pickCluster();
  const expected = [c.kept, ...c.ms.filter((m) => !m.kept)];
  for (const args of [['--cluster', c.id], ['--doc', c.removed.id]]) {
    const r = zyda(['inspect', out, ...args, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as MemberLine);
    assert.deepEqual(lines, expected);
  }
});

test('a doc that is in no cluster is said to be so; exit 0', { skip }, async () => {
  const [row] = await duck<{ id: string }>(`SELECT id FROM read_parquet('${shardGlob(out)}') WHERE dup_cluster_size = 1 ORDER BY id LIMIT 1`);
  assert.ok(row, 'the sample has unique docs');
  assert.ok(!members.some((m) => m.id === row.id));
  const r = zyda(['inspect', out, '--doc', row.id]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^doc ${escape(row.id)} is in no duplicate cluster`));
});

test('the shards agree: the kept member carries the cluster id and size, removed members are rejected by dedup', { skip }, async () => {
  const c = pickCluster();
  const kept = await duck<{ dup_cluster_id: string; dup_cluster_size: number }>(`SELECT dup_cluster_id, dup_cluster_size FROM read_parquet('${shardGlob(out)}') WHERE id = '${c.kept.id}' AND source = '${c.kept.source}'`);
  assert.equal(kept.length, 1);
  assert.equal(kept[0].dup_cluster_id, c.id);
  assert.equal(Number(kept[0].dup_cluster_size), c.kept.size);
  for (const m of c.ms.filter((x) => !x.kept)) {
    const [n] = await duck<{ n: bigint }>(`SELECT count(*) AS n FROM read_parquet('${shardGlob(out)}') WHERE id = '${m.id}' AND source = '${m.source}'`);
    assert.equal(Number(n.n), 0, `${m.id} is not in the output`);
    const rej = await duck<{ reason: string }>(`SELECT reason FROM read_parquet('${shardGlob(rejected)}') WHERE id = '${m.id}' AND source = '${m.source}'`);
    assert.deepEqual(rej, [{ reason: `dedup/${m.phase}` }]);
  }
});

test('inspect errors: unknown cluster or doc, bad id, wrong flags, not an output, no members file, no dedup stage; exit 2', { skip }, () => {
  const c = pickCluster();
  const unknown = [...'0123456789abcdef'].find((d) => !members.some((m) => m.cluster === d.repeat(16)))!.repeat(16);
  let r = zyda(['inspect', out, '--cluster', unknown]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`no cluster ${unknown}`));
  r = zyda(['inspect', out, '--cluster', 'not-hex']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /"not-hex" is not a cluster id \(16 hex digits/);
  r = zyda(['inspect', out, '--doc', 'no/such/doc#1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no doc "no\/such\/doc#1" in .*neither in its shards nor in a duplicate cluster/);
  r = zyda(['inspect', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /give one of --cluster <id> or --doc <id>/);
  r = zyda(['inspect', out, '--cluster', c.id, '--doc', c.kept.id]);
  assert.equal(r.code, 2);
  r = zyda(['inspect', join(dir, 'nowhere'), '--cluster', c.id]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no manifest\.json; not a finished zyda output/);
  // The rejected docs' output records the same stages but has no members file.
  r = zyda(['inspect', rejected, '--cluster', c.id]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /has no dedup\/clusters\.jsonl\.zst .*keep_rejected/);
  // A run without a dedup stage: its manifest, not a dedup/ directory a former run may have left, decides.
  const plain = join(dir, 'plain');
  cpSync(out, plain, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(plain, 'manifest.json'), 'utf8')) as Manifest;
  manifest.stages = manifest.stages.filter((s) => s.kind !== 'dedup');
  writeFileSync(join(plain, 'manifest.json'), JSON.stringify(manifest));
  r = zyda(['inspect', plain, '--doc', c.kept.id]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /plain has no dedup\/clusters\.jsonl\.zst: the run had no dedup stage/);
});

test('a damaged members file is a failure naming the file; exit 1', { skip }, () => {
  const copy = join(dir, 'damaged');
  cpSync(out, copy, { recursive: true });
  const file = clustersPath(copy);
  truncateSync(file, statSync(file).size - 20);
  const r = zyda(['inspect', copy, '--cluster', pickCluster().id]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /clusters\.jsonl\.zst: .*(frame|ended)/);
});
