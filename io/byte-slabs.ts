/**
 * Copies of byte strings packed into shared slabs. A row group's compressed pages are held this way until the
 * row group is written; after `reset` the same slabs are filled again, so a writer that has written many row
 * groups holds no more than one row group's slabs. Left to the garbage collector, a buffer per page would pile
 * up as external memory until it got round to them.
 */
const SLAB_BYTES = 4 << 20;

export class ByteSlabs {
  private readonly slabs: Buffer[] = [];
  /** Index of the slab being filled, and bytes used in it. */
  private current = -1;
  private used = SLAB_BYTES;

  /** A copy of `bytes`, valid until `reset`. */
  copy(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    // A copy over a quarter slab gets a buffer of its own, so slabs never waste more than a quarter.
    if (n > SLAB_BYTES / 4) return Buffer.from(bytes);
    if (this.used + n > SLAB_BYTES) {
      this.current++;
      if (this.current === this.slabs.length) this.slabs.push(Buffer.allocUnsafeSlow(SLAB_BYTES));
      this.used = 0;
    }
    const slab = this.slabs[this.current];
    const at = this.used;
    slab.set(bytes, at);
    this.used += n;
    return slab.subarray(at, at + n);
  }

  /** Makes every slab free for reuse: the copies handed out before must no longer be needed. */
  reset(): void {
    this.current = -1;
    this.used = SLAB_BYTES;
  }
}
