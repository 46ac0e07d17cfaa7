/**
 * Which docs run together: only docs of one token length, so no run is padded. A doc's logits then come from the
 * same tokens through the same kernels whatever else is in its call, and the output does not rest on padding
 * being exact in every kernel of every model on every CPU. On CPU a batch buys little at long lengths, where
 * the matrix products are already large; it pays for short docs, and equal lengths are common at the token
 * limit. Groups follow the length order, docs keep input order within a length, runs hold at most `batchSize`.
 */
export function equalLengthBatches(lengths: readonly number[], batchSize: number): number[][] {
  const byLength = new Map<number, number[]>();
  lengths.forEach((n, i) => {
    const group = byLength.get(n);
    if (group) group.push(i);
    else byLength.set(n, [i]);
  });
  const batches: number[][] = [];
  for (const n of [...byLength.keys()].sort((a, b) => a - b)) {
    const group = byLength.get(n)!;
    for (let i = 0; i < group.length; i += batchSize) batches.push(group.slice(i, i + batchSize));
  }
  return batches;
}
