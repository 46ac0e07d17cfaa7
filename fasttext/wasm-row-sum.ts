/**
 * Float32 row sums with WebAssembly SIMD: rows of the input matrix added into the hidden vector four lanes at
 * a time. Each lane is an IEEE float32 add, and rows are added one after another, so every component gets
 * exactly the float32 sums of the scalar loop, in the same order. The module works on a WebAssembly memory
 * that holds the model file (the input matrix is a view of it) and a scratch page: the hidden vector, then
 * the rows to add. A shared memory gets a page per summer, as threads sum at once; the summers of an unshared
 * memory, all on one thread, take turns on its last page (a sum is synchronous).
 */

/** A WebAssembly.Memory (the project's lib has no WebAssembly types: no DOM lib). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly kind: 'module';
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (limits: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
};

const PAGE = 65536;
/** wasm32 addresses: a memory holds at most 2^16 pages. */
const MAX_PAGES = 65536;
/** A cache line's bytes (x86-64, and the common ARM cores). */
const LINE = 64;
/** Bytes of rows one call touches before summing them: well within a core's L2 cache. */
const TOUCH_BYTES = 256 << 10;

/**
 * The module, written out by hand: one function
 *   sum(base, rows, count, hidden, dimBytes)
 * adding, for k in [0, count), the row at byte address base + 4 * i32[rows + 4k] into the dimBytes bytes of
 * floats at `hidden`, 16 bytes at a time (dimBytes is a positive multiple of 16). Eight rows go in per pass
 * over the vector, each lane still adding them in row order. Before that, one tight loop reads a word at
 * each of `touch` (byte offsets into a row: one in each cache line the row can span) of every row: the
 * loads are independent and few per row, so many rows' cache misses are in flight at once, where the sum's
 * longer passes reach few rows ahead; the sum then finds its rows in cache. Its memory is imported as
 * "m"."m", shared or not as the model's buffer is.
 */
function moduleBytes(shared: boolean, touch: readonly number[]): Uint8Array {
  const I32 = 0x7f;
  const [BLOCK, LOOP, END, BR, BR_IF, VOID] = [0x02, 0x03, 0x0b, 0x0c, 0x0d, 0x40];
  const [GET, SET, TEE, CONST] = [0x20, 0x21, 0x22, 0x41];
  const [ADD, XOR, SHL, LT_U, GT_U, GE_U, LOAD] = [0x6a, 0x73, 0x74, 0x49, 0x4b, 0x4f, 0x28];
  const V128_LOAD = [0xfd, 0x00, 0x00, 0x00];
  const V128_STORE = [0xfd, 0x0b, 0x00, 0x00];
  const F32X4_ADD = [0xfd, 0xe4, 0x01];
  // params 0 base, 1 rows, 2 count, 3 hidden, 4 dimBytes; locals 5 k, 6 j, 7.. the row addresses of a pass
  const [BASE, ROWS, COUNT, HIDDEN, DIM_BYTES, K, J, ROW] = [0, 1, 2, 3, 4, 5, 6, 7];
  const PER_PASS = 8;
  /** ROW + i = base + 4 * i32[rows + 4 (k + i)] */
  const rowAddress = (i: number): number[] => [GET, BASE, GET, ROWS, GET, K, CONST, 2, SHL, ADD, LOAD, 0x02, ...uleb(4 * i), CONST, 2, SHL, ADD, SET, ROW + i];
  /** Adds rows ROW .. ROW + n - 1 to the vector, 16 bytes at a time. */
  const pass = (n: number): number[] => [
    ...Array.from({ length: n }, (_, i) => rowAddress(i)).flat(),
    CONST, 0, SET, J,
    LOOP, VOID,
    GET, HIDDEN, GET, J, ADD,
    GET, HIDDEN, GET, J, ADD, ...V128_LOAD,
    ...Array.from({ length: n }, (_, i) => [GET, ROW + i, GET, J, ADD, ...V128_LOAD, ...F32X4_ADD]).flat(),
    ...V128_STORE,
    GET, J, CONST, 16, ADD, TEE, J, GET, DIM_BYTES, LT_U, BR_IF, 0,
    END,
    GET, K, CONST, n, ADD, SET, K,
  ];
  const TOUCHED = ROW + PER_PASS;
  const touchRows = [
    BLOCK, VOID, LOOP, VOID,
    GET, K, GET, COUNT, GE_U, BR_IF, 1,
    ...rowAddress(0),
    ...touch.map((at) => [GET, TOUCHED, GET, ROW, LOAD, 0x02, ...uleb(at), XOR, SET, TOUCHED]).flat(),
    GET, K, CONST, 1, ADD, SET, K,
    BR, 0,
    END, END,
    CONST, 0, SET, K,
  ];
  const body = [
    0x01, ...uleb(3 + PER_PASS), I32,
    ...touchRows,
    BLOCK, VOID, LOOP, VOID,
    GET, K, CONST, PER_PASS, ADD, GET, COUNT, GT_U, BR_IF, 1,
    ...pass(PER_PASS),
    BR, 0,
    END, END,
    BLOCK, VOID, LOOP, VOID,
    GET, K, GET, COUNT, GE_U, BR_IF, 1,
    ...pass(1),
    BR, 0,
    END, END,
    // The touched words are returned so that their loads are not dropped as dead.
    GET, TOUCHED,
    END,
  ];
  const limits = shared ? [0x03, 0x01, ...uleb(MAX_PAGES)] : [0x00, 0x01];
  const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x05, I32, I32, I32, I32, I32, 0x01, I32]),
    ...section(2, [0x01, 0x01, 0x6d, 0x01, 0x6d, 0x02, ...limits]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x00]),
    ...section(10, [0x01, ...uleb(body.length), ...body]),
  ]);
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

type SumFn = (base: number, rows: number, count: number, hidden: number, dimBytes: number) => void;

const modules = new Map<string, WasmModule | null>();

/** The compiled module for these touch offsets, or null where this runtime has no WebAssembly SIMD. */
function compiled(shared: boolean, touch: readonly number[] = [0]): WasmModule | null {
  const key = `${shared} ${touch.join(',')}`;
  let m = modules.get(key);
  if (m === undefined) {
    try {
      m = new WebAssembly.Module(moduleBytes(shared, touch));
    } catch {
      m = null;
    }
    modules.set(key, m);
  }
  return m;
}

/**
 * Byte offsets into a row of `dimBytes` bytes, at `base` plus a multiple of dimBytes, that hit every cache
 * line the row spans: one each 64 bytes, and its last word unless rows sit on whole lines.
 */
function touchOffsets(dimBytes: number, base: number): number[] {
  const at: number[] = [];
  for (let o = 0; o < dimBytes; o += LINE) at.push(o);
  if (dimBytes % LINE !== 0 || base % LINE !== 0) at.push(dimBytes - 4);
  return at;
}

/**
 * A WebAssembly memory for a file of `bytes` bytes plus, when not shared, one scratch page at its end (a
 * shared memory grows a page for each summer instead, so threads never share one); undefined when it would
 * not fit in wasm32 addresses or the runtime cannot make it.
 */
export function modelMemory(bytes: number, shared: boolean): WasmMemory | undefined {
  const pages = Math.ceil(bytes / PAGE) + (shared ? 0 : 1);
  if (pages > MAX_PAGES || compiled(shared) === null) return undefined;
  try {
    return new WebAssembly.Memory(shared ? { initial: pages, maximum: MAX_PAGES, shared: true } : { initial: pages });
  } catch {
    return undefined;
  }
}

/** Sums rows of a dense input matrix that is a view of `memory`, in wasm. */
export class WasmRowSum {
  private readonly sumFn: SumFn;
  private readonly base: number;
  private readonly dimBytes: number;
  private readonly hiddenAt: number;
  private readonly hidden: Float32Array;
  private readonly rows: Int32Array;
  private readonly rowsAt: number;
  /** Rows per call: what the scratch page holds, and few enough that the rows a call touches stay in cache. */
  private readonly chunkRows: number;

  private constructor(memory: WasmMemory, module: WasmModule, input: Float32Array, dim: number, scratchAt: number) {
    const instance = new WebAssembly.Instance(module, { m: { m: memory } });
    this.sumFn = instance.exports.sum as SumFn;
    this.base = input.byteOffset;
    this.dimBytes = dim * 4;
    this.hiddenAt = scratchAt;
    this.hidden = new Float32Array(memory.buffer, scratchAt, dim);
    this.rowsAt = scratchAt + this.dimBytes;
    this.rows = new Int32Array(memory.buffer, this.rowsAt, (PAGE - this.dimBytes) >> 2);
    this.chunkRows = Math.min(this.rows.length, Math.max(1, Math.floor(TOUCH_BYTES / this.dimBytes)));
  }

  /**
   * A summer for `input` (dim floats per row), a view of `memory` (made by modelMemory), when dim suits the
   * SIMD loop; undefined otherwise (the caller sums in JS).
   */
  static of(memory: WasmMemory | undefined, input: Float32Array, dim: number): WasmRowSum | undefined {
    if (memory === undefined || dim % 4 !== 0 || dim * 4 > PAGE / 2) return undefined;
    const shared = memory.buffer instanceof SharedArrayBuffer;
    const module = compiled(shared, touchOffsets(dim * 4, input.byteOffset));
    if (module === null) return undefined;
    let scratchAt: number;
    if (shared) {
      try {
        scratchAt = memory.grow(1) * PAGE;
      } catch {
        return undefined;
      }
    } else scratchAt = memory.buffer.byteLength - PAGE;
    return new WasmRowSum(memory, module, input, dim, scratchAt);
  }

  /**
   * out = the float32 sums of the rows whose float offsets into the input matrix are rows[0, count), added
   * row after row from zero.
   */
  sum(rows: Int32Array, count: number, out: Float32Array): void {
    const h = this.hidden;
    h.fill(0);
    const room = this.chunkRows;
    for (let from = 0; from < count; from += room) {
      const n = Math.min(room, count - from);
      this.rows.set(rows.subarray(from, from + n));
      this.sumFn(this.base, this.rowsAt, n, this.hiddenAt, this.dimBytes);
    }
    out.set(h);
  }
}
