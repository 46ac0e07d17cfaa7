/** A task that may start: its step's place in the round, its input bytes, and its number within the step. */
export interface ReadyTask {
  step: number;
  bytes: number;
  order: number;
}

/**
 * Takes the task a free thread runs next out of `ready`: the earlier step's first, so the tasks a later step
 * waits for are never held up behind it; within a step the largest input first, so no long task starts last
 * while the other threads sit idle; then the lowest number. The scaling model (bench/scaling.ts) replays it.
 */
export function takeNext<T extends ReadyTask>(ready: T[]): T | undefined {
  let best = 0;
  for (let i = 1; i < ready.length; i++) if (comesFirst(ready[i], ready[best])) best = i;
  return ready.splice(best, 1)[0];
}

const comesFirst = (a: ReadyTask, b: ReadyTask) => (a.step - b.step || b.bytes - a.bytes || a.order - b.order) < 0;
