import { MINHASH_SIMD_WASM } from './minhash-simd-wasm.js';
import type { Permutations } from './minhash.js';

/**
 * The signature loop in WebAssembly SIMD (minhash-simd.wat): the same arithmetic as the JS loop in
 * minhash.ts, four permutations a vector, and bit for bit the same result (a test holds them equal). One
 * instance per thread; the permutations are copied in once, and shingles for each doc.
 */
// The project's lib has no WebAssembly types (no DOM lib); these are the parts used here.
declare const WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: unknown } };

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  signature(pa: number, pb: number, k: number, sh: number, n: number, out: number): void;
}

export class SimdSigner {
  private readonly wasm: Exports;
  private readonly k: number;
  private readonly outAt: number;
  private readonly shinglesAt: number;

  constructor(private readonly perms: Permutations) {
    const module = new WebAssembly.Module(Buffer.from(MINHASH_SIMD_WASM, 'base64'));
    this.wasm = new WebAssembly.Instance(module).exports as unknown as Exports;
    this.k = perms.a.length;
    // Layout: a, b, out (k words each), then shingles.
    this.outAt = 8 * this.k;
    this.shinglesAt = 12 * this.k;
    this.ensure(this.shinglesAt);
    const words = new Int32Array(this.wasm.memory.buffer);
    words.set(perms.a, 0);
    words.set(perms.b, this.k);
  }

  private ensure(bytes: number): void {
    const have = this.wasm.memory.buffer.byteLength;
    if (bytes > have) this.wasm.memory.grow(Math.ceil((bytes - have) / 65536));
  }

  signature(shingles: Uint32Array, out: Uint32Array): Uint32Array {
    const n = shingles.length;
    this.ensure(this.shinglesAt + 4 * n);
    new Uint32Array(this.wasm.memory.buffer, this.shinglesAt, n).set(shingles);
    this.wasm.signature(0, 4 * this.k, this.k, this.shinglesAt, n, this.outAt);
    const vectorised = this.k - (this.k % 4);
    out.set(new Uint32Array(this.wasm.memory.buffer, this.outAt, vectorised));
    const { a, b } = this.perms;
    for (let p = vectorised; p < this.k; p++) {
      let min = 0x7fffffff;
      for (let s = 0; s < n; s++) {
        const x = (Math.imul(shingles[s], a[p]) + b[p]) ^ 0x80000000;
        if (x < min) min = x;
      }
      out[p] = min ^ 0x80000000;
    }
    return out;
  }
}
