import { Worker } from 'node:worker_threads';
import { SharedOnceServer } from '../core/shared-once.js';

/**
 * Runs `code` (CommonJS, eval'd) in one worker thread per entry of `data`, all joined to one SharedOnceServer as
 * a pool's threads are: each gets its entry as workerData plus `port` (for joinSharedOnce), and the first
 * message each posts is its answer.
 */
export async function answersOfThreads<T>(code: string, data: Record<string, unknown>[]): Promise<T[]> {
  const server = new SharedOnceServer();
  try {
    return await Promise.all(
      data.map((d) => {
        const port = server.port();
        const worker = new Worker(code, { eval: true, workerData: { ...d, port }, transferList: [port] });
        return new Promise<T>((resolve, reject) => {
          worker.once('message', (answer: T) => {
            resolve(answer);
            void worker.terminate();
          });
          worker.once('error', reject);
        });
      }),
    );
  } finally {
    server.dropPorts();
  }
}

/** A module of dist/ as a URL a worker thread can import, from a path relative to dist/test/. */
export const distModule = (path: string) => new URL(`../${path}`, import.meta.url).href;
