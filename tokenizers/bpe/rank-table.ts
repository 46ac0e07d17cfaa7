import { pieceHash } from './piece-hash.js';

/**
 * A tiktoken encoding's tokens and their ranks, looked up by a slice of a binary string (one char per byte)
 * without making the slice. Plain typed arrays, on SharedArrayBuffers when `shared`: the worker threads of a
 * process share the table the first of them built (core/shared-once.ts), where each would build a Map of
 * every token before its first count.
 *
 * Entry i is the token bytes[starts[i], starts[i + 1]) of rank ranks[i]. Two ints per slot of the
 * open-addressing table: entry + 1 (0: empty), then the token's hash.
 */
export interface RankTable {
  bytes: Uint8Array;
  starts: Int32Array;
  ranks: Int32Array;
  slots: Int32Array;
}

/** The table of `ranks` (token as a binary string → rank, as readTiktokenRanks gives them). */
export function rankTable(ranks: Map<string, number>, shared: boolean): RankTable {
  const ints = (n: number) => (shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n));
  let total = 0;
  for (const token of ranks.keys()) total += token.length;
  const bytes = shared ? new Uint8Array(new SharedArrayBuffer(total)) : new Uint8Array(total);
  const starts = ints(ranks.size + 1);
  const rankOfEntry = ints(ranks.size);
  let bits = 1;
  while (1 << bits < ranks.size * 2) bits++;
  const slots = ints(2 << bits);
  const mask = slots.length - 2;
  let entry = 0;
  let at = 0;
  for (const [token, rank] of ranks) {
    starts[entry] = at;
    for (let i = 0; i < token.length; i++) bytes[at++] = token.charCodeAt(i);
    rankOfEntry[entry] = rank;
    const h = pieceHash(token, 0, token.length);
    let s = slotOf(h, bits);
    while (slots[s] !== 0) s = (s + 2) & mask;
    slots[s] = entry + 1;
    slots[s + 1] = h;
    entry++;
  }
  starts[entry] = at;
  return { bytes, starts, ranks: rankOfEntry, slots };
}

/** The rank of the token text[from, to) (a binary string), or -1 when it is none. */
export function rankOf(t: RankTable, text: string, from: number, to: number): number {
  const { slots, starts, bytes } = t;
  const mask = slots.length - 2;
  const h = pieceHash(text, from, to);
  const len = to - from;
  for (let s = slotOf(h, 31 - Math.clz32(slots.length >>> 1)); ; s = (s + 2) & mask) {
    const entry = slots[s] - 1;
    if (entry < 0) return -1;
    if (slots[s + 1] !== h) continue;
    const start = starts[entry];
    if (starts[entry + 1] - start !== len) continue;
    let i = 0;
    while (i < len && bytes[start + i] === text.charCodeAt(from + i)) i++;
    if (i === len) return t.ranks[entry];
  }
}

/** A hash's first slot (as an index into `slots`): Fibonacci hashing to `bits` bits. */
function slotOf(h: number, bits: number): number {
  return (Math.imul(h, 0x9e3779b1) >>> (32 - bits)) << 1;
}
