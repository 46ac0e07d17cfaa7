import { pieceHash } from './piece-hash.js';

/**
 * A small direct-mapped cache of pre-token → token count, looked up by position in the text, so a hit
 * allocates no substring and hashes nothing but the piece's own characters.
 *
 * Why: the pre-token counts sit in a Map of up to 200k strings, and a Map lookup of a freshly sliced piece
 * (the slice, its hash, and a cache miss in a large table) would be most of counting time. Web text's pieces
 * are mostly a few thousand common words, which fit here.
 * A slot holds one piece; a colliding piece replaces it. Keys are compared character by character, so a hit
 * is always exact.
 */
const SLOTS = 1 << 16;
const MASK = SLOTS - 1;
/**
 * Longer pieces are rare and go straight to the Map. Up to 12 characters V8 copies a slice; a longer slice
 * would point into, and keep alive, the whole document it came from.
 */
export const HOT_MAX_LENGTH = 12;

export class HotPieceCache {
  private readonly keys: string[] = new Array<string>(SLOTS).fill('');
  private readonly counts = new Int32Array(SLOTS).fill(-1);

  /** A multiplicative hash of text[start, end); callers pass it back to get() and set(). */
  static hash(text: string, start: number, end: number): number {
    return pieceHash(text, start, end) & MASK;
  }

  /** The count cached for text[start, end), or -1. */
  get(slot: number, text: string, start: number, end: number): number {
    const count = this.counts[slot];
    if (count < 0) return -1;
    const key = this.keys[slot];
    const len = end - start;
    if (key.length !== len) return -1;
    for (let i = 0; i < len; i++) if (key.charCodeAt(i) !== text.charCodeAt(start + i)) return -1;
    return count;
  }

  set(slot: number, piece: string, count: number): void {
    this.keys[slot] = piece;
    this.counts[slot] = count;
  }
}
