import { createRequire } from 'node:module';

/**
 * zstd through contexts that compress and decompress into buffers the caller reuses. zstd-napi's simple
 * functions return a fresh buffer for every call, and at a block every few MB those dead buffers pile up as
 * external memory until the garbage collector gets round to them: tens of MB a thread.
 */
type Binding = typeof import('zstd-napi/binding.js');
const binding = createRequire(import.meta.url)('zstd-napi/binding.js') as Binding;

export class BlockCompressor {
  private readonly ctx = new binding.CCtx();
  private out = Buffer.alloc(0);

  constructor(private readonly level: number) {}

  /** The compressed frame of `src`: a view valid until the next call. */
  compress(src: Uint8Array): Buffer {
    const bound = binding.compressBound(src.length);
    if (this.out.length < bound) this.out = Buffer.allocUnsafeSlow(bound);
    return this.out.subarray(0, this.ctx.compress(this.out, src, this.level));
  }
}

export class BlockDecompressor {
  private readonly ctx = new binding.DCtx();
  private out = Buffer.alloc(0);

  /** The `size` bytes that `frame` holds: a view valid until the next call. Throws if it holds other than that. */
  decompress(frame: Uint8Array, size: number): Buffer {
    if (this.out.length < size) this.out = Buffer.allocUnsafeSlow(size);
    const got = this.ctx.decompress(this.out.subarray(0, size), frame);
    if (got !== size) throw new Error(`the block holds ${got} bytes, its header says ${size}`);
    return this.out.subarray(0, size);
  }
}
