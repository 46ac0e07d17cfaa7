import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decompress } from 'zstd-napi';
import { candidateProbability } from '../../dedup/lsh-params.js';
import { normalizeWords } from '../../dedup/normalize.js';
import type { MemberLine } from '../../dedup/apply.js';
import { mulberry32 } from '../../core/prng.js';
import { SHARED, cleanup, clustersPath, needsShared, readManifestJson, tempDir, zyda } from '../helpers.js';

/**
 * MinHash-LSH recall against brute force: real Reuters articles, one variant each whose true word-5-gram
 * Jaccard with its base spreads over 0.15–1.0, run through the real `dedup` stage; the share of pairs that
 * end in one cluster must follow the S-curve P(s) = 1 − (1 − s^r)^b within binomial noise.
 */
const DATA = join(SHARED, 'data/dev/reuters21578.jsonl.gz');
const SKIP = needsShared('data/dev/reuters21578.jsonl.gz');

const BASES = 1500;
const MIN_WORDS = 150;
/** A base is kept only if its Jaccard with every earlier kept base is below this (Reuters has re-sends). */
const BASE_MAX_JACCARD = 0.2;
const NGRAM = 5;
const BANDS = 32;
const ROWS = 4;
const J_MIN = 0.15;
const MIN_BIN_PAIRS = 30;

/** zyda's shingle set for a doc of at least NGRAM words: its normalised words, NGRAM at a time, joined by spaces. */
function shingles(text: string): Set<string> {
  const w = normalizeWords(text, { preset: 'zyda' });
  const out = new Set<string>();
  for (let i = 0; i + NGRAM <= w.length; i++) out.add(w.slice(i, i + NGRAM).join(' '));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size > b.size) [a, b] = [b, a];
  let inter = 0;
  for (const s of a) if (b.has(s)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 1 : inter / union;
}

interface Pair {
  base: string;
  variant: string;
  baseText: string;
  variantText: string;
  /** True Jaccard of the two shingle sets, by brute force. */
  jaccard: number;
}

interface Corpus {
  pairs: Pair[];
  /** Every doc as a JSON line, bases and variants shuffled together. */
  jsonl: string;
  texts: Map<string, string>;
}

let corpusCache: Corpus | undefined;

function buildCorpus(): Corpus {
  if (corpusCache) return corpusCache;
  const lines = gunzipSync(readFileSync(DATA)).toString('utf8').split('\n');
  const bases: { id: string; text: string; sh: Set<string> }[] = [];
  // Shingle → kept bases holding it: only bases sharing a shingle with a candidate are compared with it.
  const index = new Map<string, number[]>();
  for (const line of lines) {
    if (bases.length >= BASES) break;
    if (!line.trim()) continue;
    const { id, text } = JSON.parse(line) as { id: string; text: string };
    if (typeof text !== 'string' || normalizeWords(text, { preset: 'zyda' }).length < MIN_WORDS) continue;
    const sh = shingles(text);
    const shared = new Map<number, number>();
    for (const s of sh) for (const k of index.get(s) ?? []) shared.set(k, (shared.get(k) ?? 0) + 1);
    let near = false;
    for (const [k, c] of shared) if (c / (sh.size + bases[k].sh.size - c) >= BASE_MAX_JACCARD) near = true;
    if (near) continue;
    for (const s of sh) {
      const l = index.get(s);
      if (l) l.push(bases.length);
      else index.set(s, [bases.length]);
    }
    bases.push({ id, text, sh });
  }

  const rand = mulberry32(20240607);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const tokenized = bases.map((b) => b.text.split(/\s+/).filter(Boolean));
  const pairs: Pair[] = [];
  bases.forEach((b, i) => {
    // The target Jaccard is uniform over [J_MIN, 1]. Mutating each token with probability p keeps a shingle
    // with probability q ≈ (1 − p)^5, and J ≈ q / (2 − q); a few tries land the measured J near the target.
    const target = J_MIN + rand() * (1 - J_MIN);
    const q = (2 * target) / (1 + target);
    const p = 1 - q ** (1 / NGRAM);
    let best: { text: string; j: number } | undefined;
    for (let attempt = 0; attempt < 12; attempt++) {
      const out: string[] = [];
      for (const tok of tokenized[i]) {
        if (rand() >= p) {
          out.push(tok);
          continue;
        }
        const op = rand();
        const other = pick(pick(tokenized));
        if (op < 0.6) out.push(other);
        else if (op < 0.8) out.push(tok, other);
        // else: the token is deleted
      }
      const text = out.join(' ');
      const j = jaccard(b.sh, shingles(text));
      if (!best || Math.abs(j - target) < Math.abs(best.j - target)) best = { text, j };
      if (Math.abs(j - target) <= 0.02) break;
    }
    pairs.push({ base: `base-${i}`, variant: `variant-${i}`, baseText: b.text, variantText: best!.text, jaccard: best!.j });
  });

  const docs = pairs.flatMap((p) => [
    { id: p.base, text: p.baseText },
    { id: p.variant, text: p.variantText },
  ]);
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [docs[i], docs[j]] = [docs[j], docs[i]];
  }
  corpusCache = {
    pairs,
    jsonl: docs.map((d) => JSON.stringify(d)).join('\n') + '\n',
    texts: new Map(docs.map((d) => [d.id, d.text])),
  };
  return corpusCache;
}


/** Runs the real pipeline with one dedup stage over the corpus; returns the output dir and its cluster members. */
function runDedup(dir: string, corpus: Corpus, dedup: string): { out: string; members: MemberLine[] } {
  writeFileSync(join(dir, 'docs.jsonl'), corpus.jsonl);
  const out = join(dir, 'out');
  const cfg = join(dir, 'pipeline.yaml');
  writeFileSync(
    cfg,
    [
      'name: dedup-recall',
      `output: ${JSON.stringify(out)}`,
      `workdir: ${JSON.stringify(join(dir, 'work'))}`,
      'workers: 2',
      'sources:',
      `  - {name: reuters, paths: ${JSON.stringify(join(dir, 'docs.jsonl'))}, format: jsonl, id_field: id}`,
      'stages:',
      `  - dedup: ${dedup}`,
      '',
    ].join('\n'),
  );
  const r = zyda(['run', cfg]);
  assert.equal(r.code, 0, r.stderr);
  const path = clustersPath(out);
  assert.ok(existsSync(path), `${path} exists`);
  const text = decompress(readFileSync(path)).toString('utf8');
  const members = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as MemberLine);
  return { out, members };
}

const fmt = (x: number) => x.toFixed(3);

test('MinHash-LSH recall follows the S-curve 1 − (1 − s^4)^32 against brute-force Jaccard', { skip: SKIP }, (t: TestContext) => {
  const started = Date.now();
  const corpus = buildCorpus();
  const { pairs } = corpus;
  assert.ok(pairs.length >= 1000, `enough distinct Reuters bases (${pairs.length})`);
  const dir = tempDir('zyda-recall-');
  try {
    const { out, members } = runDedup(dir, corpus, `{exact: false, bands: ${BANDS}, rows: ${ROWS}, ngram: ${NGRAM}}`);
    const clusterOf = new Map(members.map((m) => [m.id, m.cluster]));
    assert.equal(clusterOf.size, members.length, 'each doc is listed once');
    for (const m of members) assert.equal(m.phase, 'near', `${m.id}: exact is off`);

    const bins = Array.from({ length: 10 }, () => ({ n: 0, hits: 0, expected: 0, variance: 0 }));
    let hits = 0;
    let expectedHits = 0;
    for (const p of pairs) {
      const c = clusterOf.get(p.base);
      const hit = c !== undefined && c === clusterOf.get(p.variant);
      const prob = candidateProbability(p.jaccard, BANDS, ROWS);
      const bin = bins[Math.min(9, Math.floor(p.jaccard * 10))];
      bin.n++;
      bin.hits += hit ? 1 : 0;
      bin.expected += prob;
      bin.variance += prob * (1 - prob);
      hits += hit ? 1 : 0;
      expectedHits += prob;
    }

    const rows = ['  true J     pairs  observed  expected  |diff|  tolerance'];
    const failures: string[] = [];
    let checked = 0;
    bins.forEach((b, i) => {
      if (b.n === 0) return;
      const observed = b.hits / b.n;
      const expected = b.expected / b.n;
      const tolerance = (3 * Math.sqrt(b.variance)) / b.n + 0.03;
      const enough = b.n >= MIN_BIN_PAIRS;
      const diff = Math.abs(observed - expected);
      rows.push(`  ${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}  ${String(b.n).padStart(6)}  ${fmt(observed).padStart(8)}  ${fmt(expected).padStart(8)}  ${fmt(diff).padStart(6)}  ${enough ? fmt(tolerance).padStart(9) : '  (few)'}`);
      if (!enough) return;
      checked++;
      if (diff > tolerance) failures.push(`J ${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}: observed ${fmt(observed)}, expected ${fmt(expected)} ± ${fmt(tolerance)} over ${b.n} pairs`);
    });

    // Clusters that join docs of different planted pairs (bases were picked below Jaccard 0.2 of each other).
    const pairOf = (id: string) => id.slice(id.indexOf('-') + 1);
    const pairsIn = new Map<string, Set<string>>();
    for (const m of members) pairsIn.set(m.cluster, (pairsIn.get(m.cluster) ?? new Set()).add(pairOf(m.id)));
    const mixed = [...pairsIn.values()].filter((s) => s.size > 1).length;
    // The estimated Jaccard clusters.jsonl reports for a removed doc, against the brute-force one.
    const keptOf = new Map(members.filter((m) => m.kept).map((m) => [m.cluster, m.id]));
    let estError = 0;
    const removedMembers = members.filter((m) => !m.kept);
    for (const m of removedMembers) estError += Math.abs(m.jaccard - jaccard(shingles(corpus.texts.get(m.id)!), shingles(corpus.texts.get(keptOf.get(m.cluster)!)!)));
    estError /= Math.max(1, removedMembers.length);

    const removed = removedMembers.length;
    const report = readManifestJson(out).reports['0-dedup'] as { near?: { removed: Record<string, number>; band_collisions: number; edges: number; clusters: number } };
    rows.push(`  all       ${String(pairs.length).padStart(6)}  ${fmt(hits / pairs.length).padStart(8)}  ${fmt(expectedHits / pairs.length).padStart(8)}`);
    rows.push(`  ${members.length} docs in ${report.near?.clusters} clusters, ${removed} removed; ${report.near?.band_collisions} band collisions, ${report.near?.edges} edges`);
    rows.push(`  ${mixed} clusters join different pairs; mean |estimated − true J| of removed docs ${fmt(estError)}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const row of rows) t.diagnostic(row);

    assert.ok(checked >= 7, `at least 7 bins with ${MIN_BIN_PAIRS}+ pairs (${checked})`);
    assert.ok(hits > 0.3 * pairs.length, `the run found many of the planted pairs (${hits} of ${pairs.length})`);
    assert.equal(report.near?.removed.reuters, removed, 'the manifest counts the removed members clusters.jsonl lists');
    assert.ok(estError < 0.05, `clusters.jsonl's jaccard estimates the true one (mean error ${fmt(estError)})`);
    assert.deepEqual(failures, [], 'detection rate per Jaccard bin within 3 standard errors + 0.03 of the S-curve');
  } finally {
    cleanup(dir);
  }
});

test('with verify and threshold 0.4, every removed doc is truly similar to the kept member of its cluster', { skip: SKIP }, (t: TestContext) => {
  const threshold = 0.4;
  const corpus = buildCorpus();
  const dir = tempDir('zyda-recall-');
  try {
    const { out, members } = runDedup(dir, corpus, `{exact: false, verify: true, threshold: ${threshold}, bands: ${BANDS}, rows: ${ROWS}, ngram: ${NGRAM}}`);
    const keptOf = new Map<string, string>();
    for (const m of members) {
      if (!m.kept) continue;
      assert.ok(!keptOf.has(m.cluster), `cluster ${m.cluster} keeps one doc`);
      keptOf.set(m.cluster, m.id);
    }
    const removed = members.filter((m) => !m.kept);
    assert.ok(removed.length > 0, 'the run removed something');
    const shingleCache = new Map<string, Set<string>>();
    const sh = (id: string) => {
      let s = shingleCache.get(id);
      if (!s) shingleCache.set(id, (s = shingles(corpus.texts.get(id)!)));
      return s;
    };
    let lowest = 1;
    const bad: string[] = [];
    for (const m of removed) {
      const keeper = keptOf.get(m.cluster);
      assert.ok(keeper, `cluster ${m.cluster} of ${m.id} has a kept member`);
      const j = jaccard(sh(m.id), sh(keeper));
      lowest = Math.min(lowest, j);
      if (j < threshold - 0.1) bad.push(`${m.id} (true J ${fmt(j)}, estimated ${m.jaccard}) removed for ${keeper}`);
    }
    // Recall above the threshold: planted pairs well above 0.4 should nearly all be caught.
    const clusterOf = new Map(members.map((m) => [m.id, m.cluster]));
    const high = corpus.pairs.filter((p) => p.jaccard >= 0.6);
    const caught = high.filter((p) => clusterOf.get(p.base) !== undefined && clusterOf.get(p.base) === clusterOf.get(p.variant)).length;

    const near = (readManifestJson(out).reports['0-dedup'] as { near?: { rejected_by_verification: unknown; band_collisions: number; edges: number } }).near;
    const rejected = near?.rejected_by_verification;
    const lines = [
      `  removed ${removed.length} docs; lowest true Jaccard with the kept member ${fmt(lowest)} (floor ${fmt(threshold - 0.1)})`,
      `  band collisions ${near?.band_collisions}, edges ${near?.edges}, rejected_by_verification ${rejected}`,
      `  pairs with true J ≥ 0.6 caught: ${caught} of ${high.length}`,
    ];
    for (const line of lines) t.diagnostic(line);

    assert.equal(typeof rejected, 'number', 'near.rejected_by_verification is a number');
    assert.ok((rejected as number) > 0, 'verification rejected some band collisions (pairs from 0.15 to 0.35 collide often)');
    assert.ok(caught >= 0.95 * high.length, `pairs with true J ≥ 0.6 are caught (${caught} of ${high.length})`);
    assert.deepEqual(bad, [], `removed docs have true Jaccard ≥ ${threshold - 0.1} with their cluster's kept doc`);
  } finally {
    cleanup(dir);
  }
});
