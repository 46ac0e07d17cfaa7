// planted.json: the ground truth tests check dedup and filters against.

import { type AnyRecord, type Corpus, type Junk, type JunkKind, textOf, type WebDoc } from './records.js';
import { GENERATOR_VERSION, INCIDENTAL_JACCARD, SEED } from './settings.js';
import { jaccard, OverlapIndex, ShingleCache } from './shingles.js';
import type { DocRef, FileSummary } from './write.js';

export interface PlantedGroup {
  kind: 'exact' | 'near';
  scope: string;
  note: string;
  /** Word 5-gram Jaccard of each copy to the first doc, rounded to 4 places. */
  jaccard: number[];
  docs: DocRef[];
}

interface Incidental {
  jaccard: number;
  docs: [DocRef, DocRef];
}

function refOf(refs: Map<AnyRecord, DocRef>, rec: AnyRecord): DocRef {
  const ref = refs.get(rec);
  if (!ref) throw new Error('planted record was never written');
  return ref;
}

const round4 = (x: number): number => Math.round(x * 10000) / 10000;

function plantedGroups(corpus: Corpus, refs: Map<AnyRecord, DocRef>, cache: ShingleCache): PlantedGroup[] {
  return corpus.dups.map((group) => {
    const [first, ...rest] = group.members;
    if (!first) throw new Error('empty duplicate group');
    const firstShingles = cache.of(textOf(first));
    return {
      kind: group.kind,
      scope: group.scope,
      note: group.note,
      jaccard: rest.map((m) => round4(jaccard(firstShingles, cache.of(textOf(m))))),
      docs: group.members.map((m) => refOf(refs, m)),
    };
  });
}

const refKey = (r: DocRef): string => `${r.file}#${r.line ?? r.row}`;

/** Double-checks the screening: every overlapping pair in the output should be one we planted. */
function incidentalPairs(corpus: Corpus, refs: Map<AnyRecord, DocRef>, groups: PlantedGroup[], cache: ShingleCache): Incidental[] {
  const planted = new Set<string>();
  for (const g of groups) {
    for (const a of g.docs) for (const b of g.docs) planted.add(`${refKey(a)}|${refKey(b)}`);
  }
  const all: AnyRecord[] = [...corpus.web, ...corpus.books, ...corpus.emails];
  const index = new OverlapIndex();
  const found: Incidental[] = [];
  all.forEach((rec, i) => {
    const sh = cache.of(textOf(rec));
    for (const [j, score] of index.overlaps(sh)) {
      const a = refOf(refs, all[j] as AnyRecord);
      const b = refOf(refs, rec);
      if (score >= INCIDENTAL_JACCARD && !planted.has(`${refKey(a)}|${refKey(b)}`)) found.push({ jaccard: round4(score), docs: [a, b] });
    }
    if (index.add(sh) !== i) throw new Error('index out of step');
  });
  return found;
}

export interface Planted {
  generator: string;
  seed: number;
  web_languages: Record<string, number>;
  similarity: { measure: string; normalization: string; shingle: string };
  files: FileSummary[];
  counts: Record<string, number>;
  duplicates: PlantedGroup[];
  junk: (DocRef & { kind: JunkKind })[];
  incidental: Incidental[];
}

function languageCounts(web: readonly WebDoc[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const doc of web) counts.set(doc.lang, (counts.get(doc.lang) ?? 0) + 1);
  // Most common first, ties by code, so the JSON is stable.
  const sorted = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  return Object.fromEntries(sorted);
}

function countPlanted(groups: PlantedGroup[], junk: Junk[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const bump = (key: string, by = 1): void => {
    counts[key] = (counts[key] ?? 0) + by;
  };
  for (const g of groups) {
    bump(`${g.kind}_groups`);
    bump(`${g.kind}_copies`, g.docs.length - 1);
    bump(`${g.kind}_groups:${g.scope}`);
  }
  bump('junk', junk.length);
  for (const j of junk) bump(`junk:${j.kind}`);
  return counts;
}

/** planted.json for the corpus as written (`refs`: where each record went, `files`: what each file holds). */
export function plantedOf(corpus: Corpus, refs: Map<AnyRecord, DocRef>, files: FileSummary[]): Planted {
  const cache = new ShingleCache();
  const duplicates = plantedGroups(corpus, refs, cache);
  return {
    generator: GENERATOR_VERSION,
    seed: SEED,
    web_languages: languageCounts(corpus.web),
    similarity: {
      measure: 'Jaccard of word 5-gram sets',
      normalization: 'NFKC, lower-cased, words are runs of Unicode letters and digits',
      shingle: '5 consecutive words joined by one space; a text under 5 words is one shingle',
    },
    files,
    counts: countPlanted(duplicates, corpus.junk),
    duplicates,
    junk: corpus.junk.map((j) => ({ ...refOf(refs, j.doc), kind: j.kind })),
    incidental: incidentalPairs(corpus, refs, duplicates, cache),
  };
}
