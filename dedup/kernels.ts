import { KERNELS_WASM } from './kernels-wasm.js';
import type { Permutations } from './minhash.js';
import type { NormalizeOptions } from './normalize.js';
import { classesOf, CONTRACTION_FILTER, CONTRACTION_HASHES, normalizedTokens, prepareText, type NormalizedTokens } from './word-hashes.js';

/**
 * The signature step's hot loops in WebAssembly (kernels.wat): the normalising scan, word shingles and the
 * SIMD MinHash, each bit for bit its JS reference (tests hold them equal). One instance per thread. Results
 * are views into the module's memory, valid until the next call.
 *
 * A doc the scan does not cover goes to the JS scan whole: one with a word nltk splits (cannot, gonna…), or,
 * under the datatrove preset, a character outside the BMP.
 */
// The project's lib has no WebAssembly types (no DOM lib); these are the parts used here.
declare const WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: unknown } };

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  scan(cls: number, src: number, n: number, units: number, words: number, starts: number): number;
  unitsLength(): number;
  ascii_lower(src: number, n: number): number;
  shingles(words: number, len: number, n: number, mixed: number, out: number): number;
  signature(pa: number, pb: number, k: number, sh: number, n: number, out: number): void;
}

const align = (n: number) => (n + 15) & ~15;

export class Kernels {
  private readonly wasm: Exports;
  private readonly k: number;
  private readonly outAt: number;
  private readonly clsAt: number;
  private preset?: 'zyda' | 'datatrove';
  /** Units of text the dynamic regions hold, and where they start. */
  private capacity = 0;
  private srcAt = 0;
  private unitsAt = 0;
  private wordsAt = 0;
  private startsAt = 0;
  private mixedAt = 0;
  private shinglesAt = 0;

  constructor(private readonly perms: Permutations) {
    const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM, 'base64'));
    this.wasm = new WebAssembly.Instance(module).exports as unknown as Exports;
    this.k = perms.a.length;
    // Fixed regions: a, b, the signature, the class table; the per-doc regions follow.
    this.outAt = 8 * this.k;
    this.clsAt = align(12 * this.k);
    this.reserve(1 << 14);
    const words = new Int32Array(this.wasm.memory.buffer);
    words.set(perms.a, 0);
    words.set(perms.b, this.k);
  }

  /** Lays the per-doc regions out for texts of up to `units` UTF-16 units, growing the memory if needed. */
  private reserve(units: number): void {
    if (units <= this.capacity) return;
    const c = Math.max(units, 2 * this.capacity);
    this.srcAt = align(this.clsAt + 65536);
    this.unitsAt = align(this.srcAt + 2 * c);
    this.wordsAt = align(this.unitsAt + 4 * c + 4);
    this.startsAt = align(this.wordsAt + 4 * c + 8);
    this.mixedAt = align(this.startsAt + 4 * c + 8);
    this.shinglesAt = align(this.mixedAt + 4 * c + 8);
    const end = align(this.shinglesAt + 4 * c + 8);
    const have = this.wasm.memory.buffer.byteLength;
    if (end > have) this.wasm.memory.grow(Math.ceil((end - have) / 65536));
    this.capacity = c;
  }

  private classes(preset: 'zyda' | 'datatrove'): void {
    if (this.preset === preset) return;
    new Uint8Array(this.wasm.memory.buffer, this.clsAt, 65536).set(classesOf(preset));
    this.preset = preset;
  }

  /** normalizedTokens (word-hashes.ts), in one pass of wasm where it can. */
  tokens(text: string, o: NormalizeOptions): NormalizedTokens {
    this.classes(o.preset);
    // ASCII text: lowercasing is all prepareText would do, so wasm does it in place; digits_to_zero needs
    // prepareText whatever the text.
    let n = o.digitsToZero ? -1 : this.load(text);
    if (n < 0 || this.wasm.ascii_lower(this.srcAt, n) === 0) n = this.load(prepareText(text, o));
    const buf = this.wasm.memory.buffer;
    const nw = this.wasm.scan(this.clsAt, this.srcAt, n, this.unitsAt, this.wordsAt, this.startsAt);
    if (nw < 0) return normalizedTokens(text, o);
    const words = new Uint32Array(buf, this.wordsAt, nw);
    if (o.preset === 'zyda') {
      for (let i = 0; i < nw; i++) if (CONTRACTION_FILTER[words[i] & 0xffff] === 1 && CONTRACTION_HASHES.has(words[i])) return normalizedTokens(text, o);
    }
    return { words, units: new Uint16Array(buf, this.unitsAt, this.wasm.unitsLength()) };
  }

  /** Copies `text`'s units to the source region, made big enough; returns their count. */
  private load(text: string): number {
    const n = text.length;
    this.reserve(n + 1);
    Buffer.from(this.wasm.memory.buffer, this.srcAt, 2 * n).write(text, 0, 'utf16le');
    return n;
  }

  /** wordShingles (minhash.ts) of `words`, which may already sit in this module's memory. */
  shingles(words: Uint32Array, n: number): Uint32Array {
    this.reserve(words.length + 1);
    const buf = this.wasm.memory.buffer;
    if (words.buffer !== buf || words.byteOffset !== this.wordsAt) new Uint32Array(buf, this.wordsAt, words.length).set(words);
    const count = this.wasm.shingles(this.wordsAt, words.length, n, this.mixedAt, this.shinglesAt);
    return new Uint32Array(buf, this.shinglesAt, count);
  }

  /** signature (minhash.ts) of `shingles` into `out`. */
  signature(shingles: Uint32Array, out: Uint32Array): Uint32Array {
    const n = shingles.length;
    this.reserve(n + 1);
    const buf = this.wasm.memory.buffer;
    if (shingles.buffer !== buf || shingles.byteOffset !== this.shinglesAt) new Uint32Array(buf, this.shinglesAt, n).set(shingles);
    this.wasm.signature(0, 4 * this.k, this.k, this.shinglesAt, n, this.outAt);
    const vectorised = this.k - (this.k % 4);
    out.set(new Uint32Array(buf, this.outAt, vectorised));
    const sh = new Uint32Array(buf, this.shinglesAt, n);
    const { a, b } = this.perms;
    for (let p = vectorised; p < this.k; p++) {
      let min = 0x7fffffff;
      for (let s = 0; s < n; s++) {
        const x = (Math.imul(sh[s], a[p]) + b[p]) ^ 0x80000000;
        if (x < min) min = x;
      }
      out[p] = min ^ 0x80000000;
    }
    return out;
  }
}
