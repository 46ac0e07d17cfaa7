import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/** Which share of a case's inputs a thread takes: every `of`-th one from `index`. */
export interface Share {
  index: number;
  of: number;
}

/**
 * Runs `work` for each of `n` shares, each on a thread of its own that imports `module` (the case's own file,
 * which must call `serveShare` at its top level), and returns their results in share order.
 */
export function inThreads<T>(module: URL, n: number, args: unknown): Promise<T[]> {
  return Promise.all(
    Array.from({ length: n }, (_, index) => {
      const w = new Worker(module, { workerData: { args, share: { index, of: n } } });
      return new Promise<T>((resolve, reject) => {
        w.once('message', (r: T) => resolve(r));
        w.once('error', reject);
      });
    }),
  );
}

/** On a thread started by `inThreads`, does this thread's share and posts the result back. */
export async function serveShare<A, T>(work: (args: A, share: Share) => Promise<T>): Promise<void> {
  if (isMainThread || !parentPort || !workerData) return;
  const { args, share } = workerData as { args: A; share: Share };
  parentPort.postMessage(await work(args, share));
}
