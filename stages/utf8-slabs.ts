/**
 * UTF-8 copies of strings, packed into shared slabs. A row group's text held this way costs its UTF-8 size,
 * where the strings themselves cost up to twice that (V8 keeps a string with any non-Latin-1 character as
 * UTF-16) and the parquet encoder would make a UTF-8 copy of each on top.
 */
const SLAB_BYTES = 4 << 20;

export class Utf8Slabs {
  private slab = Buffer.allocUnsafeSlow(0);
  private used = 0;

  /** The UTF-8 bytes of `s` (lone surrogates become U+FFFD, as TextEncoder has it). */
  encode(s: string): Uint8Array {
    const n = Buffer.byteLength(s, 'utf8');
    // A text over a quarter slab gets a buffer of its own, so slabs never waste more than a quarter.
    if (n > SLAB_BYTES / 4) return bufferOf(s, n);
    if (this.used + n > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    const at = this.used;
    this.slab.write(s, at, n, 'utf8');
    this.used += n;
    return this.slab.subarray(at, at + n);
  }
}

function bufferOf(s: string, n: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(n);
  b.write(s, 0, n, 'utf8');
  return b;
}
