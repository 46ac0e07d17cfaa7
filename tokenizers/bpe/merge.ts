/**
 * Byte-pair merging over one pre-token. `pairRank(start, mid, end)` ranks merging the parts [start, mid) and
 * [mid, end) (lower merges first; Infinity never). The lowest rank merges first, the leftmost on ties, until no
 * pair merges. Returns the start offsets of the final parts, with `len` appended.
 *
 * Both tiktoken and HF tokenizers merge this way. Short pieces use a linear scan (fast for the usual word);
 * long ones use a heap, so a 100,000-byte "word" takes n log n, not n².
 */
export type PairRank = (start: number, mid: number, end: number) => number;

const LINEAR_MAX = 128;

export function mergeParts(len: number, pairRank: PairRank): number[] {
  return len <= LINEAR_MAX ? mergeLinear(len, pairRank) : mergeHeap(len, pairRank);
}

function mergeLinear(len: number, pairRank: PairRank): number[] {
  const starts: number[] = new Array<number>(len + 1);
  for (let i = 0; i <= len; i++) starts[i] = i;
  // ranks[i] is the rank of merging part i with part i + 1.
  const ranks: number[] = new Array<number>(len);
  for (let i = 0; i < len - 1; i++) ranks[i] = pairRank(starts[i], starts[i + 1], starts[i + 2]);
  let parts = len;
  while (parts > 1) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i < parts - 1; i++) {
      if (ranks[i] < best) {
        best = ranks[i];
        at = i;
      }
    }
    if (at < 0) break;
    starts.splice(at + 1, 1);
    ranks.splice(at, 1);
    parts--;
    if (at < parts - 1) ranks[at] = pairRank(starts[at], starts[at + 1], starts[at + 2]);
    if (at > 0) ranks[at - 1] = pairRank(starts[at - 1], starts[at], starts[at + 1]);
  }
  return starts.slice(0, parts + 1);
}

/** Parts as a linked list over byte offsets; the heap holds candidate merges, checked for staleness on pop. */
function mergeHeap(len: number, pairRank: PairRank): number[] {
  const next = new Int32Array(len + 1);
  const prev = new Int32Array(len + 1);
  const alive = new Uint8Array(len + 1);
  for (let i = 0; i <= len; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    alive[i] = 1;
  }
  const heap = new MergeHeap();
  for (let i = 0; i + 1 < len; i++) {
    const r = pairRank(i, i + 1, i + 2);
    if (r !== Infinity) heap.push(r, i, i + 2);
  }
  while (heap.size > 0) {
    const [rank, start, end] = heap.pop();
    void rank;
    // Stale if the left part was merged away or the pair no longer spans [start, end).
    if (!alive[start]) continue;
    const mid = next[start];
    if (mid >= len || next[mid] !== end) continue;
    alive[mid] = 0;
    next[start] = end;
    prev[end] = start;
    if (end < len) {
      const r = pairRank(start, end, next[end]);
      if (r !== Infinity) heap.push(r, start, next[end]);
    }
    if (start > 0) {
      const p = prev[start];
      const r = pairRank(p, start, end);
      if (r !== Infinity) heap.push(r, p, end);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < len; i = next[i]) out.push(i);
  out.push(len);
  return out;
}

/** A binary min-heap of (rank, start, end), ordered by rank then start: the leftmost of equal ranks first. */
class MergeHeap {
  private ranks: number[] = [];
  private starts: number[] = [];
  private ends: number[] = [];

  get size(): number {
    return this.ranks.length;
  }

  private less(a: number, b: number): boolean {
    return this.ranks[a] < this.ranks[b] || (this.ranks[a] === this.ranks[b] && this.starts[a] < this.starts[b]);
  }

  private swap(a: number, b: number): void {
    [this.ranks[a], this.ranks[b]] = [this.ranks[b], this.ranks[a]];
    [this.starts[a], this.starts[b]] = [this.starts[b], this.starts[a]];
    [this.ends[a], this.ends[b]] = [this.ends[b], this.ends[a]];
  }

  push(rank: number, start: number, end: number): void {
    this.ranks.push(rank);
    this.starts.push(start);
    this.ends.push(end);
    let i = this.ranks.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): [number, number, number] {
    const top: [number, number, number] = [this.ranks[0], this.starts[0], this.ends[0]];
    const last = this.ranks.length - 1;
    this.swap(0, last);
    this.ranks.pop();
    this.starts.pop();
    this.ends.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < last && this.less(l, m)) m = l;
      if (r < last && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}
