/** A multiplicative hash of the code units text[start, end), for the BPE tables keyed by a piece of a text. */
export function pieceHash(text: string, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x9e3779b1);
  return h ^ (h >>> 15);
}
