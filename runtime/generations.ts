import { isAbsolute, normalize } from 'node:path';
import { findStageKind } from '../core/registry.js';
import type { Manifest } from './manifest.js';

/**
 * Every commit into an output is a generation: its shards go to data/<source>/g<N>/ and what barrier stages
 * publish to <area>/g<N>/, so a commit never writes a name an earlier manifest uses and a reader following
 * that manifest keeps seeing the bytes it names. N counts the output's commits, so it is the same whatever
 * the worker count.
 */
export function generationName(generation: number): string {
  return `g${String(generation).padStart(5, '0')}`;
}

/** The generation a commit after `prior` writes. */
export function nextGeneration(prior: Manifest | undefined): number {
  return (prior?.generation ?? 0) + 1;
}

/** A shard's path relative to the output: data/<source>/g00002/train-00000-of-00003.parquet. */
export function shardPath(source: string, generation: number, i: number, n: number): string {
  return `data/${source}/${generationName(generation)}/train-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.parquet`;
}

/** Where a barrier stage publishes in a generation: <area>/g00002/<name>. */
export function publishedPath(area: string, generation: number, name: string): string {
  return `${area}/${generationName(generation)}/${name}`;
}

/**
 * Every path a manifest names, relative to its output: shards and published files. A manifest written before
 * generations named only its shards; what its barrier stages published sat at fixed names (their kinds'
 * `legacyPublished`), which are zyda's when it had those stages.
 */
export function namedPaths(m: Manifest): string[] {
  const paths = Object.values(m.sources ?? {}).flatMap((s) => s.shards.map((sh) => sh.path));
  if (m.generation === undefined) paths.push(...legacyPublished(m));
  return [...paths, ...Object.values(m.published ?? {})];
}

function legacyPublished(m: Manifest): string[] {
  const kinds = new Set((m.stages ?? []).map((s) => s.kind));
  return [...kinds].flatMap((name) => {
    const def = findStageKind(name);
    return def?.type === 'barrier' ? (def.legacyPublished ?? []) : [];
  });
}

/** A manifest's path is only acted on when it stays inside the output: a hand-edited manifest must not reach out. */
export function staysInside(rel: string): boolean {
  const n = normalize(rel);
  return !isAbsolute(rel) && n !== '.' && !n.startsWith('..');
}
