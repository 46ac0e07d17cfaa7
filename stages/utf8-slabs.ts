/**
 * UTF-8 copies of strings, packed into shared slabs. A row group's text held this way costs its UTF-8 size,
 * where the strings themselves cost up to twice that (V8 keeps a string with any non-Latin-1 character as
 * UTF-16) and the parquet encoder would make a UTF-8 copy of each on top.
 *
 * After `reset` the same slabs are filled again, so a writer that has written many row groups holds no more
 * than one row group's slabs: left to the garbage collector, finished slabs pile up as external memory until
 * it gets round to them.
 */
const SLAB_BYTES = 4 << 20;

export class Utf8Slabs {
  private readonly slabs: Buffer[] = [];
  /** Index of the slab being filled, and bytes used in it. */
  private current = -1;
  private used = SLAB_BYTES;

  /** The UTF-8 bytes of `s` (lone surrogates become U+FFFD, as TextEncoder has it), valid until `reset`. */
  encode(s: string): Uint8Array {
    const n = Buffer.byteLength(s, 'utf8');
    // A text over a quarter slab gets a buffer of its own, so slabs never waste more than a quarter.
    if (n > SLAB_BYTES / 4) return bufferOf(s, n);
    if (this.used + n > SLAB_BYTES) {
      this.current++;
      if (this.current === this.slabs.length) this.slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES));
      this.used = 0;
    }
    const slab = this.slabs[this.current];
    const at = this.used;
    slab.write(s, at, n, 'utf8');
    this.used += n;
    return slab.subarray(at, at + n);
  }

  /** Makes every slab free for reuse: the bytes handed out before must no longer be needed. */
  reset(): void {
    this.current = -1;
    this.used = SLAB_BYTES;
  }
}

function bufferOf(s: string, n: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(n);
  b.write(s, 0, n, 'utf8');
  return b;
}
