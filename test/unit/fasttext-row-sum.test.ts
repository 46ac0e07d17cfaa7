import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelMemory, WasmRowSum } from '../../fasttext/wasm-row-sum.js';

/** The scalar float32 sum, row after row, as fastText adds rows. */
function scalarSum(input: Float32Array, rows: Int32Array, dim: number): Float32Array {
  const h = new Float32Array(dim);
  for (const at of rows) for (let j = 0; j < dim; j++) h[j] += input[at + j];
  return h;
}

for (const shared of [false, true]) {
  test(`wasm SIMD row sums equal the scalar float32 sums bit for bit (${shared ? 'shared' : 'own'} memory)`, () => {
    // A matrix on a cache line, as the loader places one, and one off a 16-byte boundary (each summer
    // touches other offsets of a row).
    for (const [dim, at] of [[4, 8], [12, 8], [64, 8], [64, 0], [20, 0]]) {
      const nrows = 5000;
      const memory = modelMemory(at + nrows * dim * 4, shared);
      assert.ok(memory, 'this runtime has WebAssembly SIMD');
      const input = new Float32Array(memory.buffer, at, nrows * dim);
      let seed = 7;
      const random = (): number => ((seed = Math.imul(seed, 1103515245) + 12345) >>> 8) / (1 << 24);
      for (let i = 0; i < input.length; i++) input[i] = (random() - 0.5) * 10 ** Math.floor(random() * 8 - 4);
      const summer = WasmRowSum.of(memory, input, dim);
      assert.ok(summer);
      // Counts around the 8-row passes, and past the rows one scratch page holds (chunked calls).
      for (const count of [0, 1, 7, 8, 9, 23, 40_000]) {
        const rows = Int32Array.from({ length: count }, () => Math.floor(random() * nrows) * dim);
        const got = new Float32Array(dim);
        summer.sum(rows, count, got);
        assert.deepEqual(new Uint32Array(got.buffer), new Uint32Array(scalarSum(input, rows, dim).buffer), `dim ${dim}, ${count} rows`);
      }
    }
  });
}

test('dims the SIMD loop does not take are left to the scalar sum', () => {
  const memory = modelMemory(1 << 16, false);
  assert.ok(memory);
  assert.equal(WasmRowSum.of(memory, new Float32Array(memory.buffer, 0, 10 * 10), 10), undefined);
  assert.equal(WasmRowSum.of(undefined, new Float32Array(40), 4), undefined);
});
