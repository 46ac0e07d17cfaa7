/**
 * Test hook: ZYDA_PAUSE_AT=a,b makes the thread that reaches one of these named points wait there for good,
 * so a test can signal a run at a known place instead of guessing with timers. The run's interrupt stops it.
 */
export async function pausePoint(name: string): Promise<void> {
  const at = process.env.ZYDA_PAUSE_AT;
  if (!at || !at.split(',').includes(name)) return;
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
}

/**
 * Test hook: ZYDA_SLOW_AT=name:ms makes every pass through this named point take `ms` longer, so a test can
 * watch a run while it works instead of racing it. Blocks only the thread that passes the point.
 */
export function slowPoint(name: string): void {
  const at = process.env.ZYDA_SLOW_AT;
  if (!at) return;
  for (const entry of at.split(',')) {
    const [point, ms] = entry.split(':');
    if (point === name) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(ms));
  }
}
