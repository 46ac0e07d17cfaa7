/**
 * Which docs run together: only docs of one token length, so no run is padded. A doc's logits then come from the
 * same tokens through the same kernels whatever else is in its call, and the output does not rest on padding
 * being exact in every kernel of every model on every CPU. On CPU a batch buys little at long lengths, where
 * the matrix products are already large; it pays for short docs, and equal lengths are common at the token
 * limit. Groups follow the length order, docs keep input order within a length, and a run holds at most
 * `batchSize` docs and at most `maxTokens` tokens unless one doc alone has more: attention's activations grow with
 * docs × length², so long docs run in small groups.
 */
export function equalLengthBatches(lengths: readonly number[], batchSize: number, maxTokens: number): number[][] {
  const byLength = new Map<number, number[]>();
  lengths.forEach((n, i) => {
    const group = byLength.get(n);
    if (group) group.push(i);
    else byLength.set(n, [i]);
  });
  const batches: number[][] = [];
  for (const n of [...byLength.keys()].sort((a, b) => a - b)) {
    const group = byLength.get(n)!;
    const size = Math.max(1, Math.min(batchSize, Math.floor(maxTokens / Math.max(1, n))));
    for (let i = 0; i < group.length; i += size) batches.push(group.slice(i, i + size));
  }
  return batches;
}
