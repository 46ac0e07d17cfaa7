/** fastText's word hash: 32-bit FNV-1a over the bytes as signed chars. */
export function wordHash(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ ((bytes[i] << 24) >> 24), 0x01000193);
  return h;
}
