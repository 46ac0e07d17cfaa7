/**
 * What a step's tasks have done so far, shared between the worker threads and the main thread without messages:
 * docs taken in and input bytes consumed. A task adds as it reads, so a task over a 5 GB file still shows movement.
 */
export type ProgressCounter = BigInt64Array;

const DOCS = 0;
const BYTES = 1;

export function progressCounter(): ProgressCounter {
  return new BigInt64Array(new SharedArrayBuffer(16));
}

export function addProgress(counter: ProgressCounter | undefined, docs: number, bytes: number): void {
  if (!counter) return;
  if (docs > 0) Atomics.add(counter, DOCS, BigInt(docs));
  if (bytes > 0) Atomics.add(counter, BYTES, BigInt(Math.round(bytes)));
}

export function readProgress(counter: ProgressCounter): { docs: number; bytes: number } {
  return { docs: Number(Atomics.load(counter, DOCS)), bytes: Number(Atomics.load(counter, BYTES)) };
}

/**
 * Counts the input bytes of one part or file as its docs go by, in proportion to the rows it holds, so the sum
 * reaches the part's size exactly when its last row is read.
 */
export class ProportionalBytes {
  private rows = 0;
  private counted = 0;

  constructor(private readonly counter: ProgressCounter | undefined, private readonly totalRows: number, private readonly totalBytes: number) {}

  add(docs: number): void {
    this.rows += docs;
    const upTo = this.totalRows > 0 ? Math.round((this.totalBytes * Math.min(this.rows, this.totalRows)) / this.totalRows) : 0;
    addProgress(this.counter, docs, upTo - this.counted);
    this.counted = upTo;
  }
}
