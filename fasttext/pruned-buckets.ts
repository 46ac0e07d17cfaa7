/**
 * The char n-gram buckets a pruned model kept, each with its input row: one bit per bucket says whether it has a
 * row (most buckets of a pruned model have none, and this set stays in cache), and an open-addressing table gives
 * the row. Plain typed arrays, on SharedArrayBuffers when the model is read for worker threads: the threads share
 * the one copy the reader made, where each would otherwise receive a copy of a Map and build its own tables.
 */
export interface PrunedBuckets {
  /** One bit per bucket: set when the bucket has a row. */
  hasRow: Uint32Array;
  /** Two ints per slot: bucket + 1 (0: empty slot), then the bucket's input row (after the words' rows). */
  slots: Int32Array;
}

/**
 * The table of `pairs` (bucket, row, bucket, row… as the model file lists them; a bucket listed twice keeps its
 * last row), for a model of `buckets` buckets whose n-gram rows follow `nwords` word rows, of `inputRows` in all.
 */
export function prunedBuckets(pairs: Int32Array, buckets: number, nwords: number, inputRows: number, shared: boolean): PrunedBuckets {
  const ints = (n: number) => (shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n));
  const hasRow = new Uint32Array(ints((buckets + 31) >>> 5).buffer);
  let bits = 1;
  while (1 << bits < pairs.length) bits++;
  const slots = ints(2 << bits);
  const mask = slots.length - 2;
  for (let i = 0; i < pairs.length; i += 2) {
    const b = pairs[i];
    const row = pairs[i + 1];
    if (b < 0 || b >= buckets || row < 0 || nwords + row >= inputRows) throw new Error('pruned bucket out of range');
    hasRow[b >>> 5] |= 1 << (b & 31);
    let s = slotOf(b, bits);
    while (slots[s] !== 0 && slots[s] !== b + 1) s = (s + 2) & mask;
    slots[s] = b + 1;
    slots[s + 1] = nwords + row;
  }
  return { hasRow, slots };
}

/** The input row of bucket `b`, which hasRow says has one. */
export function prunedRow(p: PrunedBuckets, b: number): number {
  const slots = p.slots;
  const mask = slots.length - 2;
  for (let s = slotOf(b, 31 - Math.clz32(slots.length >>> 1)); ; s = (s + 2) & mask) {
    if (slots[s] === b + 1) return slots[s + 1];
    if (slots[s] === 0) return -1;
  }
}

/** A bucket's first slot (as an index into `slots`): Fibonacci hashing to `bits` bits. */
function slotOf(b: number, bits: number): number {
  return (Math.imul(b, 0x9e3779b1) >>> (32 - bits)) << 1;
}
