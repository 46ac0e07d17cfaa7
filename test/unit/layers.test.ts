import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { ROOT } from '../helpers.js';

/**
 * The source folders from left to right. A folder imports itself and folders to its right only; the folders that
 * share a layer (filters, langid, tokenizers) do not import one another.
 */
const LAYERS = [['cli'], ['executors'], ['stages'], ['dedup'], ['runtime'], ['filters', 'langid', 'classifiers'], ['fasttext', 'tokenizers'], ['io'], ['core']];

/** Top-level folders outside the program, free to import any of it. */
const NOT_SOURCE = new Set(['test', 'bench', 'scripts', 'examples', 'node_modules', 'dist']);

/** Folder imports against the order that are still to be removed, each with the reason it is tolerated. */
const EXCEPTIONS: { edge: string; why: string }[] = [];

/** Relative module paths a file names: static and type imports, re-exports, side-effect and dynamic imports, require. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

const rank = new Map(LAYERS.flatMap((layer, i) => layer.map((folder) => [folder, i] as const)));

/** Every .ts/.cts file under the top-level source folders, as repo-relative posix paths. */
function sourceFiles(): string[] {
  const folders = readdirSync(ROOT).filter((d) => !d.startsWith('.') && !NOT_SOURCE.has(d) && statSync(join(ROOT, d)).isDirectory());
  return folders
    .flatMap((d) => readdirSync(join(ROOT, d), { recursive: true, encoding: 'utf8' }).map((f) => posix.join(d, f.split('\\').join('/'))))
    .filter((f) => /\.c?ts$/.test(f) && !f.endsWith('.d.ts') && !f.split('/').includes('node_modules'))
    .sort();
}

/** Folder-to-folder imports: `from -> to` → the `file: module` lines that make it. */
function folderEdges(files: string[]): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const from = file.split('/')[0];
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(IMPORT)) {
      const target = posix.normalize(posix.join(posix.dirname(file), m[1]));
      const to = target.includes('/') && !target.startsWith('../') ? target.split('/')[0] : `outside the folders (${target})`;
      if (to === from) continue;
      const edge = `${from} -> ${to}`;
      edges.set(edge, [...(edges.get(edge) ?? []), `${file}: ${m[1]}`]);
    }
  }
  return edges;
}

function allowed(edge: string): boolean {
  const [from, to] = edge.split(' -> ');
  return rank.has(from) && rank.has(to) && rank.get(to)! > rank.get(from)!;
}

/** A folder cycle as `a -> b -> a`, or undefined. */
function findCycle(edges: string[]): string | undefined {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const [from, to] = e.split(' -> ');
    next.set(from, [...(next.get(from) ?? []), to]);
  }
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node].join(' -> ');
    if (done.has(node)) return undefined;
    for (const to of next.get(node) ?? []) {
      const cycle = visit(to, [...path, node]);
      if (cycle) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of next.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

const files = sourceFiles();
const edges = folderEdges(files);
const excepted = new Set(EXCEPTIONS.map((e) => e.edge));

test('every source folder has its place in the layers', () => {
  const folders = [...new Set(files.map((f) => f.split('/')[0]))];
  assert.ok(folders.includes('core') && folders.includes('cli'), `found the source folders: ${folders.join(', ')}`);
  assert.deepEqual(folders.filter((f) => !rank.has(f)), [], 'a folder of TypeScript that LAYERS does not place');
});

test('folders import only themselves and folders to their right: cli → executors → stages → dedup → runtime → {filters, langid, tokenizers} → io → core', (t) => {
  for (const [edge, uses] of [...edges].sort()) {
    const mark = allowed(edge) ? '' : excepted.has(edge) ? '  (listed exception)' : '  (AGAINST THE ORDER)';
    t.diagnostic(`${edge}: ${uses.length}${mark}`);
  }
  const against = [...edges].filter(([edge]) => !allowed(edge) && !excepted.has(edge)).map(([edge, uses]) => `${edge}\n    ${uses.join('\n    ')}`);
  assert.deepEqual(against, [], 'imports against the folder order');
  const stale = EXCEPTIONS.filter((e) => !edges.has(e.edge) || allowed(e.edge)).map((e) => e.edge);
  assert.deepEqual(stale, [], 'exceptions no import needs any more: remove them from EXCEPTIONS');
});

test('the folder imports, listed exceptions aside, have no cycle', () => {
  assert.equal(findCycle([...edges.keys()].filter((e) => !excepted.has(e))), undefined, 'a folder cycle');
});
