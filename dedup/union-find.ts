/**
 * Union-find over global doc numbers in one Int32Array: a root holds −(its set's size), any other entry its
 * parent. 4 bytes a doc; path halving keeps finds short without recursion.
 */
export class UnionFind {
  readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size).fill(-1);
  }

  find(x: number): number {
    const p = this.parent;
    while (p[x] >= 0) {
      const up = p[x];
      if (p[up] >= 0) p[x] = p[up];
      x = up;
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.parent[ra] > this.parent[rb]) [ra, rb] = [rb, ra];
    this.parent[ra] += this.parent[rb];
    this.parent[rb] = ra;
  }

  /** Whether x is in a set of its own: the common case, answered without a find. */
  alone(x: number): boolean {
    return this.parent[x] === -1;
  }

  sizeOf(root: number): number {
    return -this.parent[root];
  }
}
