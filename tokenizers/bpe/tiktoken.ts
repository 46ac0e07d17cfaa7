import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TIKTOKEN_ENCODINGS } from './encodings.js';
import { rankOf, rankTable } from './rank-table.js';
import { compileRustPattern } from './rust-regex.js';
import type { BpeSpec } from './engine.js';

function ranksDir(): string {
  const require = createRequire(import.meta.url);
  // The package's exports hide data/, so find it beside the resolved entry point's package root.
  const entry = require.resolve('gpt-tokenizer');
  let dir = dirname(entry);
  while (!dir.endsWith('gpt-tokenizer') && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'data');
}

/** Base64 digit values (standard and URL-safe alphabets, as Buffer decodes); -1 for any other byte. */
const BASE64 = new Int8Array(256).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].forEach((c, i) => (BASE64[c.charCodeAt(0)] = i));
BASE64['-'.charCodeAt(0)] = 62;
BASE64['_'.charCodeAt(0)] = 63;

/**
 * Reads a .tiktoken rank file: every token's bytes (as a binary string) to its rank, which is also its id.
 * Each worker thread reads one, so it decodes in one pass over the file's bytes, with no string per line.
 */
export function readTiktokenRanks(path: string): Map<string, number> {
  const file = readFileSync(path);
  const token = Buffer.allocUnsafe(file.length);
  const ranks = new Map<string, number>();
  const n = file.length;
  let i = 0;
  while (i < n) {
    // The token, base64 up to the space; bytes outside the alphabet ('=', \r) are skipped, as Buffer does.
    let len = 0;
    let acc = 0;
    let bits = 0;
    for (; i < n && file[i] !== 0x20 && file[i] !== 0x0a; i++) {
      const v = BASE64[file[i]];
      if (v < 0) continue;
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        token[len++] = (acc >> bits) & 0xff;
      }
    }
    const spaced = i < n && file[i] === 0x20;
    let rank = 0;
    if (spaced) for (i++; i < n && file[i] !== 0x0a; i++) if (file[i] >= 0x30 && file[i] <= 0x39) rank = rank * 10 + file[i] - 0x30;
    i++;
    if (spaced) ranks.set(token.toString('latin1', 0, len), rank);
  }
  return ranks;
}

/** The rank file of encoding `name`: `rankFile`, else the one gpt-tokenizer ships. */
export function tiktokenRankFile(name: string, rankFile?: string): string {
  return rankFile ?? join(ranksDir(), TIKTOKEN_ENCODINGS[name].file);
}

/** `table`: the encoding's ranks (rank-table.ts), else read from its rank file for this caller alone. */
export function tiktokenSpec(name: string, rankFile?: string, table = rankTable(readTiktokenRanks(tiktokenRankFile(name, rankFile)), false)): BpeSpec {
  const enc = TIKTOKEN_ENCODINGS[name];
  return {
    name,
    // tiktoken ranks the merged bytes themselves: one slice of the piece, looked up without making it.
    pairRank: (bytes, s, _m, e) => nonNegative(rankOf(table, bytes, s, e)),
    tokenId: (bytes) => nonNegative(rankOf(table, bytes, 0, bytes.length)),
    wholePieceFirst: true,
    pretokenizers: [compileRustPattern(enc.pattern)],
    addPrefixSpace: false,
  };
}

function nonNegative(rank: number): number | undefined {
  return rank < 0 ? undefined : rank;
}
