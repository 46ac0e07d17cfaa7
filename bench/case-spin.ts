import type { CaseFigures } from './child.js';

/** A fixed integer loop: no memory, no I/O, so its speed is the CPU time the machine actually grants. */
export async function run([iterations]: string[]): Promise<CaseFigures> {
  // Compiled before the timed call: one long call would wait for on-stack replacement, which V8 compiles on a
  // background thread; when that thread starts late, the loop runs its first seconds unoptimised, ten times slower.
  for (let i = 0; i < 20; i++) loop(1e6);
  const t0 = performance.now();
  const x = loop(Number(iterations));
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, docs: 0, text_bytes: 0, extra: { checksum: x } };
}

function loop(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + i) | 0;
  return x;
}
