import { Piscina } from 'piscina';
import { ConfigError, InputError, RunError } from './errors.js';
import type { WorkerMessage, WorkerReply } from './worker.js';

/** The local executor's worker threads; each loads the plan, vocabularies and models once. */
export class WorkerPool {
  private readonly pool: Piscina;
  private readonly ready: Promise<unknown>;

  constructor(workers: number) {
    this.pool = new Piscina({
      filename: new URL('./worker-entry.cjs', import.meta.url).href,
      minThreads: workers,
      maxThreads: workers,
      // One task at a time per thread: tasks stream large files, and queueing more would only hold memory.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
    const barrier = new Int32Array(new SharedArrayBuffer(4));
    // A thread that cannot start fails the tasks sent to it; the ready round must not also crash the process
    // as an unhandled rejection.
    this.ready = Promise.all(Array.from({ length: workers }, () => this.pool.run({ type: 'ready', barrier, threads: workers } satisfies WorkerMessage))).catch(() => undefined);
  }

  /** `signal` aborts the task: a running one by ending its thread, which then rejects with the signal's reason. */
  async run<T>(msg: WorkerMessage, signal?: AbortSignal): Promise<T> {
    let reply: WorkerReply<T>;
    try {
      reply = (await this.pool.run(msg, { signal })) as WorkerReply<T>;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      // The thread itself died or could not load zyda's modules: not an answer from our code.
      throw new RunError(`a worker thread failed: ${(err as Error).stack ?? String(err)}`);
    }
    if (reply.ok) return reply.value;
    if (reply.name === 'InputError') throw new InputError(reply.message);
    if (reply.name === 'ConfigError') throw new ConfigError(reply.message);
    throw new RunError(reply.message);
  }

  async close(): Promise<void> {
    await this.ready;
    await this.pool.destroy();
  }
}
