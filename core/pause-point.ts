/**
 * Test hook: ZYDA_PAUSE_AT=a,b makes the thread that reaches one of these named points wait there for good,
 * so a test can signal a run at a known place instead of guessing with timers. The run's interrupt stops it.
 */
export async function pausePoint(name: string): Promise<void> {
  const at = process.env.ZYDA_PAUSE_AT;
  if (!at || !at.split(',').includes(name)) return;
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
}
