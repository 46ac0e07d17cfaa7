import { KERNELS_WASM } from './kernels-wasm.js';
import type { Permutations } from './minhash.js';
import { fixTextMayChangeAscii } from './fix-text/index.js';
import { MAY_CONTRACT, type NormalizeOptions } from './normalize.js';
import { classesOf, CONTRACTION_FILTER, CONTRACTION_HASHES, normalizedTokens, prepareText, type NormalizedTokens } from './word-hashes.js';

/**
 * The signature step's hot loops in WebAssembly (kernels.wat): the normalising scan, word shingles and the
 * SIMD MinHash, each bit for bit its JS reference (tests hold them equal). One instance per thread. Results
 * are views into the module's memory, valid until the next call.
 *
 * A doc the scan does not cover goes to the JS scan whole: one with a word nltk splits (cannot, gonna…), one
 * outside ASCII that holds such a word anywhere (nltk may split x©cannot), or, under the datatrove preset, one
 * with a character outside the BMP.
 */
// The project's lib has no WebAssembly types (no DOM lib); these are the parts used here.
declare const WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: unknown } };

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  scan(cls: number, src: number, n: number, units: number, words: number, filter: number, lower: number): number;
  unitsLength(): number;
  maySplit(): number;
  shingles(words: number, len: number, n: number, mixed: number, out: number): number;
  signature(pa: number, pb: number, k: number, sh: number, n: number, out: number): void;
}

const align = (n: number) => (n + 15) & ~15;

export class Kernels {
  private readonly wasm: Exports;
  private readonly k: number;
  private readonly outAt: number;
  private readonly clsAt: number;
  private readonly filterAt: number;
  private readonly lowerAt: number;
  private preset?: 'zyda' | 'datatrove';
  /** Units the last scan wrote to the units region. */
  private unitsLength = 0;
  private bytes = Buffer.alloc(0);
  private outView = new Uint32Array(0);
  /** Units of text the dynamic regions hold, and where they start. */
  private capacity = 0;
  private srcAt = 0;
  private unitsAt = 0;
  private wordsAt = 0;
  private mixedAt = 0;
  private shinglesAt = 0;

  constructor(private readonly perms: Permutations) {
    const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM, 'base64'));
    this.wasm = new WebAssembly.Instance(module).exports as unknown as Exports;
    this.k = perms.a.length;
    // Fixed regions: a, b, the signature, the class table, the split filter; the per-doc regions follow.
    this.outAt = 8 * this.k;
    this.clsAt = align(12 * this.k);
    this.filterAt = this.clsAt + 65536;
    this.lowerAt = this.filterAt + 65536;
    this.reserve(1 << 14);
    const words = new Int32Array(this.wasm.memory.buffer);
    words.set(perms.a, 0);
    words.set(perms.b, this.k);
    new Uint8Array(this.wasm.memory.buffer, this.filterAt, 65536).set(CONTRACTION_FILTER);
  }

  /** Lays the per-doc regions out for texts of up to `units` UTF-16 units, growing the memory if needed. */
  private reserve(units: number): void {
    if (units <= this.capacity) return;
    const c = Math.max(units, 2 * this.capacity);
    this.srcAt = align(this.lowerAt + 256);
    this.unitsAt = align(this.srcAt + 2 * c);
    this.wordsAt = align(this.unitsAt + 4 * c + 4);
    this.mixedAt = align(this.wordsAt + 4 * c + 8);
    this.shinglesAt = align(this.mixedAt + 4 * c + 8);
    const end = align(this.shinglesAt + 4 * c + 8);
    const have = this.wasm.memory.buffer.byteLength;
    if (end > have) this.wasm.memory.grow(Math.ceil((end - have) / 65536));
    this.capacity = c;
  }

  private classes(preset: 'zyda' | 'datatrove'): void {
    if (this.preset === preset) return;
    const cls = classesOf(preset);
    new Uint8Array(this.wasm.memory.buffer, this.clsAt, 65536).set(cls);
    const lower = new Uint16Array(this.wasm.memory.buffer, this.lowerAt, 128);
    for (let c = 0; c < 128; c++) {
      const l = c >= 65 && c <= 90 ? c + 32 : c;
      // An ASCII unit that fixText may change (zyda) takes class 4, which stops the lowering scan with -1.
      lower[c] = ((preset === 'zyda' && fixTextMayChangeAscii(c) ? 4 : cls[l]) << 8) | l;
    }
    this.preset = preset;
  }

  /** normalizedTokens (word-hashes.ts), in one pass of wasm where it can. */
  tokens(text: string, o: NormalizeOptions): NormalizedTokens {
    const nw = this.scan(text, o);
    const buf = this.wasm.memory.buffer;
    return { words: new Uint32Array(buf, this.wordsAt, nw), units: this.units() };
  }

  /** The normalised text of the last doc scanned, as UTF-16 units: a view valid until the next call. */
  units(): Uint16Array {
    return new Uint16Array(this.wasm.memory.buffer, this.unitsAt, this.unitsLength);
  }

  /**
   * The whole of a doc's word MinHash, kept inside the module: scan, `n`-word shingles, signature into
   * `out`. Returns the doc's word count; with none, `out` is left alone (an empty doc has no signature).
   */
  wordSignature(text: string, o: NormalizeOptions, n: number, out: Uint32Array): number {
    const nw = this.scan(text, o);
    if (nw === 0) return 0;
    const count = this.wasm.shingles(this.wordsAt, nw, n, this.mixedAt, this.shinglesAt);
    this.signatureAt(count, out);
    return nw;
  }

  /**
   * Leaves the doc's word hashes in the words region and its normalised text in the units region; returns
   * the word count. ASCII text is lowercased by the scan itself, as it reads; other text, ASCII text that
   * fixText may change (zyda), and any under digits_to_zero, is prepared in JS first. A doc the scan does not
   * cover goes through the JS scan whole.
   */
  private scan(text: string, o: NormalizeOptions): number {
    this.classes(o.preset);
    const filter = o.preset === 'zyda' ? this.filterAt : 0;
    let nw = -2;
    if (!o.digitsToZero) nw = this.wasm.scan(this.clsAt, this.srcAt, this.load(text), this.unitsAt, this.wordsAt, filter, this.lowerAt);
    // -2: a unit above U+007F; -1 (only with lowering): an ASCII unit that fixText may change.
    if (nw < 0) {
      nw = this.wasm.scan(this.clsAt, this.srcAt, this.load(prepareText(text, o)), this.unitsAt, this.wordsAt, filter, 0);
      // Outside ASCII a word may hold a contraction that nltk splits inside it (x©cannot): -1 sends the doc to the
      // JS scan, which splits those too.
      if (nw >= 0 && o.preset === 'zyda' && MAY_CONTRACT.test(this.unitsText(this.wasm.unitsLength()))) nw = -1;
    }
    if (nw >= 0 && this.wasm.maySplit() === 0) {
      this.unitsLength = this.wasm.unitsLength();
      return nw;
    }
    if (nw >= 0) {
      const words = new Uint32Array(this.wasm.memory.buffer, this.wordsAt, nw);
      let split = false;
      for (let i = 0; i < nw && !split; i++) split = CONTRACTION_FILTER[words[i] & 0xffff] === 1 && CONTRACTION_HASHES.has(words[i]);
      if (!split) {
        this.unitsLength = this.wasm.unitsLength();
        return nw;
      }
    }
    const js = normalizedTokens(text, o);
    this.reserve(Math.max(js.words.length, js.units.length) + 1);
    const buf = this.wasm.memory.buffer;
    new Uint32Array(buf, this.wordsAt, js.words.length).set(js.words);
    new Uint16Array(buf, this.unitsAt, js.units.length).set(js.units);
    this.unitsLength = js.units.length;
    return js.words.length;
  }

  /** The first `n` units of the units region as a string. */
  private unitsText(n: number): string {
    if (this.bytes.buffer !== this.wasm.memory.buffer) this.bytes = Buffer.from(this.wasm.memory.buffer);
    return this.bytes.toString('utf16le', this.unitsAt, this.unitsAt + 2 * n);
  }

  /** Copies `text`'s units to the source region, made big enough; returns their count. */
  private load(text: string): number {
    const n = text.length;
    this.reserve(n + 1);
    // One Buffer over the module's memory, made again only when growing the memory replaced it.
    if (this.bytes.buffer !== this.wasm.memory.buffer) this.bytes = Buffer.from(this.wasm.memory.buffer);
    this.bytes.write(text, this.srcAt, 2 * n, 'utf16le');
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
    this.signatureAt(n, out);
    return out;
  }

  /** The signature of the n shingles in the shingles region, into `out`. */
  private signatureAt(n: number, out: Uint32Array): void {
    this.wasm.signature(0, 4 * this.k, this.k, this.shinglesAt, n, this.outAt);
    const buf = this.wasm.memory.buffer;
    const vectorised = this.k - (this.k % 4);
    // The signature region's view is made again only when growing the memory replaced the buffer.
    if (this.outView.buffer !== buf) this.outView = new Uint32Array(buf, this.outAt, vectorised);
    out.set(this.outView);
    if (vectorised === this.k) return;
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
  }
}
