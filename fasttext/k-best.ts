/**
 * fastText's k best predictions: a bounded heap of (log-probability, label) pairs with the lowest score at
 * its front, kept and finally sorted by the C++ standard library's heap algorithms (libstdc++'s push_heap,
 * pop_heap and sort_heap, which the Debian build links). Those algorithms are not stable, so the order of
 * labels with equal scores is whatever they leave, and reproducing them step by step is what gives the
 * same order as `fasttext predict-prob` on ties.
 */
export class KBest {
  private scores: number[] = [];
  private labels: number[] = [];

  /** `k` < 0: no bound (every candidate is kept). */
  constructor(private readonly k: number) {}

  get size(): number {
    return this.scores.length;
  }

  get full(): boolean {
    return this.scores.length === this.k;
  }

  /** The lowest score kept (the heap's front); only meaningful when size > 0. */
  get lowest(): number {
    return this.scores[0];
  }

  reset(): void {
    this.scores.length = 0;
    this.labels.length = 0;
  }

  /** push_back, push_heap, then pop_heap and pop_back when over k. */
  push(score: number, label: number): void {
    const s = this.scores;
    const l = this.labels;
    s.push(score);
    l.push(label);
    this.siftUp(s.length - 1, 0, score, label);
    if (this.k >= 0 && s.length > this.k) {
      this.popTo(s.length - 1);
      s.pop();
      l.pop();
    }
  }

  /** sort_heap: highest score first. Returns the labels and scores in that order; the heap is consumed. */
  sorted(): { labels: number[]; scores: number[] } {
    for (let last = this.scores.length - 1; last > 0; last--) this.popTo(last);
    return { labels: this.labels.slice(), scores: this.scores.slice() };
  }

  /** The comparator fastText gives the heap: `a` goes below `b` when its score is greater. */
  private static below(a: number, b: number): boolean {
    return a > b;
  }

  /** __push_heap: moves a hole at `hole` up towards `top` while the parent goes below the value. */
  private siftUp(hole: number, top: number, score: number, label: number): void {
    const s = this.scores;
    const l = this.labels;
    let parent = (hole - 1) >> 1;
    while (hole > top && KBest.below(s[parent], score)) {
      s[hole] = s[parent];
      l[hole] = l[parent];
      hole = parent;
      parent = (hole - 1) >> 1;
    }
    s[hole] = score;
    l[hole] = label;
  }

  /** __pop_heap over [0, last]: the front goes to `last`, the old value at `last` is re-placed in [0, last). */
  private popTo(last: number): void {
    const s = this.scores;
    const l = this.labels;
    const score = s[last];
    const label = l[last];
    s[last] = s[0];
    l[last] = l[0];
    this.adjust(0, last, score, label);
  }

  /** __adjust_heap: sinks a hole from `hole` to a leaf along the preferred children, then sifts the value up. */
  private adjust(hole: number, len: number, score: number, label: number): void {
    const s = this.scores;
    const l = this.labels;
    const top = hole;
    let child = hole;
    while (child < (len - 1) >> 1) {
      child = 2 * (child + 1);
      if (KBest.below(s[child], s[child - 1])) child--;
      s[hole] = s[child];
      l[hole] = l[child];
      hole = child;
    }
    if ((len & 1) === 0 && child === (len - 2) >> 1) {
      child = 2 * (child + 1);
      s[hole] = s[child - 1];
      l[hole] = l[child - 1];
      hole = child - 1;
    }
    this.siftUp(hole, top, score, label);
  }
}
