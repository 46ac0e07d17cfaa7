import type { CaseFigures } from './child.js';

/** A fixed integer loop: no memory, no I/O, so its speed is the CPU time the machine actually grants. */
export async function run([iterations]: string[]): Promise<CaseFigures> {
  const n = Number(iterations);
  let x = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) x = (x + i) | 0;
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, docs: 0, text_bytes: 0, extra: { checksum: x } };
}
