import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CL100K_PATTERN as CL100K, GPT2_PATTERN as R50K } from './patterns.js';
import { compileRustPattern } from './rust-regex.js';
import type { BpeSpec } from './engine.js';

/**
 * The OpenAI encodings: rank files in tiktoken's format (base64 token, space, rank) as shipped in the
 * gpt-tokenizer package, and the split patterns tiktoken 0.14 uses (Rust syntax, ported by rust-regex.ts).
 */
const O200K = [
  `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?`,
  `[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?`,
  `\\p{N}{1,3}`,
  ` ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*`,
  `\\s*[\\r\\n]+`,
  `\\s+(?!\\S)`,
  `\\s+`,
].join('|');

export const TIKTOKEN_ENCODINGS: Record<string, { file: string; pattern: string }> = {
  gpt2: { file: 'r50k_base.tiktoken', pattern: R50K },
  r50k_base: { file: 'r50k_base.tiktoken', pattern: R50K },
  cl100k_base: { file: 'cl100k_base.tiktoken', pattern: CL100K },
  o200k_base: { file: 'o200k_base.tiktoken', pattern: O200K },
};

function ranksDir(): string {
  const require = createRequire(import.meta.url);
  // The package's exports hide data/, so find it beside the resolved entry point's package root.
  const entry = require.resolve('gpt-tokenizer');
  let dir = dirname(entry);
  while (!dir.endsWith('gpt-tokenizer') && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'data');
}

/** Reads a .tiktoken rank file: every token's bytes (as a binary string) to its rank, which is also its id. */
export function readTiktokenRanks(path: string): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const sp = line.indexOf(' ');
    ranks.set(Buffer.from(line.slice(0, sp), 'base64').toString('latin1'), Number(line.slice(sp + 1)));
  }
  return ranks;
}

export function tiktokenSpec(name: string, rankFile?: string): BpeSpec {
  const enc = TIKTOKEN_ENCODINGS[name];
  const ranks = readTiktokenRanks(rankFile ?? join(ranksDir(), enc.file));
  return {
    name,
    // tiktoken ranks the merged bytes themselves: one slice, no concatenation to flatten.
    pairRank: (bytes, s, _m, e) => ranks.get(bytes.slice(s, e)),
    tokenId: (bytes) => ranks.get(bytes),
    wholePieceFirst: true,
    pretokenizers: [compileRustPattern(enc.pattern)],
    addPrefixSpace: false,
  };
}
