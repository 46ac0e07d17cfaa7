import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { listFiles, readManifestJson } from '../helpers.js';

const WORDS = 'amber basalt cobalt dune ember fjord glacier harbor island jasper kelp lagoon meadow nectar orchard prairie quartz reef savanna tundra upland valley willow yarrow zephyr'.split(' ');

/** 80 words drawn from `seed`: docs of different seeds are far from near-duplicates. */
export function prose(seed: number): string {
  let x = (seed * 2654435761 + 7) >>> 0;
  return Array.from({ length: 80 }, () => WORDS[((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % WORDS.length]).join(' ') + '.';
}

export function writeDocs(path: string, docs: { id: string; text: string }[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
}

/** 150 docs: every tenth too short for the zyda filter (keep_rejected gets them), a few exact repeats (dedup). */
export function writeInput(dir: string): void {
  writeDocs(join(dir, 'in', 'a.jsonl'), Array.from({ length: 150 }, (_, i) => ({ id: `d${i}`, text: i % 10 === 9 ? 'too short' : prose(i % 120) })));
}

/**
 * A config writing `<dir>/<name>` and `<dir>/<name>-rejected` with a filter and a dedup that saves its index,
 * small shards, and `rows` rows a row group (a different value makes a different output).
 */
export function snapshotConfig(dir: string, rows: number, name = 'out'): string {
  const path = join(dir, `${name}-${rows}.yaml`);
  writeFileSync(path, [
    'name: snap',
    `output: ${join(dir, name)}`,
    `keep_rejected: ${join(dir, `${name}-rejected`)}`,
    'workers: 2',
    'sources:',
    `  - {name: feed, paths: ${join(dir, 'in')}, id_field: id}`,
    'stages:',
    '  - filter: {zyda: {}}',
    '  - dedup: {threshold: 0.7, save_index: true}',
    `write: {shard_max_bytes: 8kB, row_group_rows: ${rows}}`,
    '',
  ].join('\n'));
  return path;
}

/**
 * Files under an output's data/, dedup/ and report/ that its manifest neither names nor retires: what a commit
 * left behind that no later run could prove it wrote.
 */
export function strayFiles(out: string): string[] {
  const m = readManifestJson(out);
  const known = [...Object.values(m.sources).flatMap((s) => s.shards.map((sh) => sh.path)), ...Object.values(m.published ?? {}), ...(m.retired ?? [])];
  const expand = (rel: string): string[] => {
    const abs = join(out, rel);
    try {
      return statSync(abs).isDirectory() ? listFiles(abs) : [abs];
    } catch {
      return [];
    }
  };
  const owned = new Set(known.flatMap(expand));
  const present = ['data', 'dedup', 'report'].flatMap(expand);
  return present.filter((f) => !owned.has(f)).map((f) => relative(out, f));
}

/** Whether the dedup index the manifest names holds exactly the docs the manifest lists. */
export function indexDocs(out: string): number {
  const m = readManifestJson(out);
  const meta = JSON.parse(readFileSync(join(out, m.published!.dedup_index, 'index.json'), 'utf8')) as { parts: { docs: number }[] };
  return meta.parts.reduce((n, p) => n + p.docs, 0);
}
