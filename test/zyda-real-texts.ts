import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sampleDocs } from '../bench/docs.js';

/** Real text for the oracle comparison: corpus name → texts. Corpora that are absent are left out. */
export async function realTexts(root: string, shared: string, limits: { bench: number; every: number }): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const dir = (p: string) => existsSync(p) ? p : undefined;
  const bench = dir(join(root, 'bench', 'data', 'small'));
  if (bench && limits.bench > 0) out.set('bench', (await sampleDocs(bench, limits.bench)).map((d) => d.text));
  // The sample corpus has planted junk pages (char runs, number lines, boilerplate) and spam mail.
  const web = dir(join(root, 'sample', 'web'));
  if (web) out.set('sample/web', (await sampleDocs(web, 1e9)).map((d) => d.text));
  const email = join(root, 'sample', 'email', 'emails.jsonl.gz');
  if (existsSync(email)) out.set('sample/email', jsonl(email).map((r) => (r as { body: { text: string } }).body.text));
  for (const f of ['reuters21578.jsonl.gz', 'multilingual_core_registers.jsonl.gz']) {
    const p = join(shared, 'data', 'dev', f);
    if (existsSync(p)) out.set(f, jsonl(p).map((r) => (r as { text: string }).text).filter((_, i) => i % limits.every === 0));
  }
  return out;
}

function jsonl(path: string): unknown[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
}
