import { asciiScannerFor, type AsciiScanner } from './ascii-scan.js';
import { HOT_MAX_LENGTH, HotPieceCache } from './hot-cache.js';
import { mergeParts } from './merge.js';
import type { SharedPieceCounts } from './shared-counts.js';

/**
 * A byte-level BPE tokenizer: text → (added tokens) → normalizer → pre-tokenizer regex → UTF-8 bytes → merges.
 * Tokens are held as "binary strings": one char per byte (0–255), so a Map can key them directly.
 */
export interface BpeSpec {
  name: string;
  /** Rank of merging the adjacent parts bytes[s, m) and bytes[m, e) (binary strings); lower first, undefined = never. */
  pairRank: (bytes: string, s: number, m: number, e: number) => number | undefined;
  /** Token id of a byte sequence, when it is one token. */
  tokenId: (bytes: string) => number | undefined;
  /** tiktoken (and HF `ignore_merges`): a pre-token that is itself a token is never split. */
  wholePieceFirst: boolean;
  pretokenizers: RegExp[];
  /** HF ByteLevel `add_prefix_space`: each pre-tokenized piece gets a leading space if it has none. */
  addPrefixSpace: boolean;
  normalize?: (text: string) => string;
  /** Added tokens matched before normalization and after it; leftmost-longest, as HF does. */
  addedRaw?: AddedTokens;
  addedNormalized?: AddedTokens;
}

export interface AddedTokens {
  pattern: RegExp;
  ids: Map<string, number>;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Pre-token → token count; bounded, because web text has an endless tail of rare words. */
const CACHE_MAX = 200_000;

export class ByteBpe {
  private cache = new Map<string, number>();
  private readonly hot = new HotPieceCache();
  private readonly sticky: RegExp;
  /** Finds most pre-tokens of ASCII text without the regex; undefined for patterns it does not know. */
  private readonly scan: AsciiScanner | undefined;

  /** `shared`: short pre-tokens' counts, one table for every thread of the process (shared-counts.ts). */
  constructor(
    readonly spec: BpeSpec,
    private readonly shared?: SharedPieceCounts,
  ) {
    const re = spec.pretokenizers[0] ?? /[^]+/gu;
    this.sticky = new RegExp(re.source, re.flags.replace('g', '') + 'y');
    this.scan = asciiScannerFor(re);
  }

  count(text: string): number {
    const { addedRaw, addedNormalized, normalize } = this.spec;
    if (!addedRaw && !addedNormalized && !normalize) return this.countPieces(text);
    let n = 0;
    this.walkSegments(text, (segment) => (n += this.countPieces(segment)), () => n++);
    return n;
  }

  /** The hot path: one scan (ASCII scanner, else regex) and a cache lookup per pre-token, merging only on a miss. */
  private countPieces(text: string): number {
    const res = this.spec.pretokenizers;
    if (res.length !== 1 || this.spec.addPrefixSpace) {
      let n = 0;
      this.pretokenize(text, (piece) => (n += this.countPiece(piece)));
      return n;
    }
    // A sticky copy of the pattern: test() needs no match array, and each match starts where the last ended.
    // Where it fails (a pattern that skips characters), the global pattern finds the next match.
    const sticky = this.sticky;
    const scan = this.scan;
    const re = res[0];
    let n = 0;
    let pos = 0;
    while (pos < text.length) {
      let end = scan ? scan(text, pos) : -1;
      if (end < 0) {
        sticky.lastIndex = pos;
        if (sticky.test(text)) end = sticky.lastIndex;
      }
      if (end > pos) {
        if (end - pos <= HOT_MAX_LENGTH) {
          const slot = HotPieceCache.hash(text, pos, end);
          let c = this.hot.get(slot, text, pos, end);
          if (c < 0) {
            const piece = text.slice(pos, end);
            c = this.countPiece(piece);
            this.hot.set(slot, piece, c);
          }
          n += c;
        } else n += this.countPiece(text.slice(pos, end));
        pos = end;
        continue;
      }
      re.lastIndex = pos;
      const m = re.exec(text);
      const start = m && m[0].length > 0 ? m.index : text.length;
      // Text the pattern skips is its own piece, as in pretokenize().
      if (start > pos) n += this.countPiece(text.slice(pos, start));
      pos = start;
    }
    return n;
  }

  private countPiece(piece: string): number {
    const shared = piece.length <= HOT_MAX_LENGTH ? this.shared : undefined;
    if (shared) {
      const c = shared.get(piece);
      if (c >= 0) return c;
    }
    let c = this.cache.get(piece);
    if (c === undefined) {
      c = this.mergePiece(piece).length;
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(flat(piece), c);
      // Offered once, when merged: a slot is written once, so one held by another piece stays so.
      shared?.add(piece, c);
    }
    return c;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    this.walk(text, (piece) => {
      for (const part of this.mergePiece(piece)) {
        const id = this.spec.tokenId(part);
        if (id === undefined) throw new Error(`${this.spec.name}: no token for bytes ${JSON.stringify(part)}`);
        ids.push(id);
      }
    }, (id) => ids.push(id));
    return ids;
  }

  /** Calls `onPiece` for every pre-token to merge and `onAdded` for every added token, in text order. */
  private walk(text: string, onPiece: (piece: string) => void, onAdded: (id: number) => void): void {
    this.walkSegments(text, (segment) => this.pretokenize(segment, onPiece), onAdded);
  }

  /** Splits out added tokens (raw ones, then normalized ones after normalizing the rest), as HF does. */
  private walkSegments(text: string, onSegment: (segment: string) => void, onAdded: (id: number) => void): void {
    const { addedRaw, addedNormalized, normalize } = this.spec;
    const afterRaw = (segment: string) => {
      const norm = normalize ? normalize(segment) : segment;
      if (addedNormalized) splitAdded(norm, addedNormalized, onSegment, onAdded);
      else onSegment(norm);
    };
    if (addedRaw) splitAdded(text, addedRaw, afterRaw, onAdded);
    else afterRaw(text);
  }

  private pretokenize(text: string, onPiece: (piece: string) => void): void {
    if (text.length === 0) return;
    let pieces: string[] = [text];
    for (const re of this.spec.pretokenizers) {
      const next: string[] = [];
      for (const p of pieces) {
        re.lastIndex = 0;
        let last = 0;
        for (let m = re.exec(p); m !== null; m = re.exec(p)) {
          // Text the pattern skips is its own piece (HF Split "Isolated" keeps it; tiktoken patterns skip nothing).
          if (m.index > last) next.push(p.slice(last, m.index));
          next.push(m[0]);
          last = m.index + m[0].length;
          if (m[0].length === 0) re.lastIndex++;
        }
        if (last < p.length) next.push(p.slice(last));
      }
      pieces = next;
    }
    for (const p of pieces) onPiece(this.spec.addPrefixSpace && !p.startsWith(' ') ? ' ' + p : p);
  }

  /** The final parts of one pre-token, as binary strings. */
  private mergePiece(piece: string): string[] {
    // Lone surrogates cannot be UTF-8: they become U+FFFD, as TextEncoder and Buffer do.
    // ASCII is its own UTF-8: skip the encoder for the usual English piece.
    const bytes = ASCII_ONLY.test(piece) ? piece : Buffer.from(piece, 'utf8').toString('latin1');
    if (this.spec.wholePieceFirst && this.spec.tokenId(bytes) !== undefined) return [bytes];
    if (bytes.length === 1) return [bytes];
    const { pairRank } = this.spec;
    const starts = mergeParts(bytes.length, (s, m, e) => pairRank(bytes, s, m, e) ?? Infinity);
    const parts: string[] = new Array<string>(starts.length - 1);
    for (let i = 0; i + 1 < starts.length; i++) parts[i] = bytes.slice(starts[i], starts[i + 1]);
    return parts;
  }
}

/**
 * A copy of a piece that does not point into its document: V8 makes a slice longer than HOT_MAX_LENGTH a view
 * of the whole text, and a cached view would keep every such document (even a 100 MB one) alive.
 */
function flat(piece: string): string {
  return piece.length <= HOT_MAX_LENGTH ? piece : (JSON.parse(JSON.stringify(piece)) as string);
}

function splitAdded(text: string, added: AddedTokens, onText: (s: string) => void, onAdded: (id: number) => void): void {
  const re = added.pattern;
  re.lastIndex = 0;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > last) onText(text.slice(last, m.index));
    onAdded(added.ids.get(m[0])!);
    last = m.index + m[0].length;
  }
  if (last < text.length) onText(text.slice(last));
}

/**
 * Leftmost-longest matching of literal strings: a regex alternation, longest first. Runs of one repeated
 * character with consecutive lengths (NeoX has every run of 2 to 24 spaces) become one `c{min,max}`, which
 * is greedy, so still the longest, and far cheaper to scan for than 23 alternatives.
 */
export function addedTokens(tokens: { content: string; id: number }[]): AddedTokens | undefined {
  if (tokens.length === 0) return undefined;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const runs = new Map<string, number[]>();
  const literals: string[] = [];
  for (const { content } of tokens) {
    const chars = [...content];
    if (chars.length > 1 && chars.every((c) => c === chars[0])) {
      const lengths = runs.get(chars[0]) ?? [];
      lengths.push(chars.length);
      runs.set(chars[0], lengths);
    } else literals.push(content);
  }
  const alternatives: { source: string; longest: number }[] = literals.map((l) => ({ source: escape(l), longest: l.length }));
  for (const [c, lengths] of runs) {
    lengths.sort((a, b) => a - b);
    // A literal starting with the same character could be longer than the run's match: keep them apart.
    const contiguous = lengths.every((n, i) => i === 0 || n === lengths[i - 1] + 1) && !literals.some((l) => l.startsWith(c));
    if (contiguous) alternatives.push({ source: `${escape(c)}{${lengths[0]},${lengths[lengths.length - 1]}}`, longest: lengths[lengths.length - 1] * c.length });
    else for (const n of lengths) alternatives.push({ source: escape(c.repeat(n)), longest: n * c.length });
  }
  // A longer alternative first, so that at one start position the longest token wins.
  alternatives.sort((a, b) => b.longest - a.longest);
  return { pattern: new RegExp(alternatives.map((a) => a.source).join('|'), 'gu'), ids: new Map(tokens.map((t) => [t.content, t.id])) };
}
