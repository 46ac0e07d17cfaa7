import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { SharedOnceServer } from '../core/shared-once.js';
import { ConfigError, InputError, RunError } from '../core/errors.js';
import type { WorkerMessage, WorkerReply } from './worker.js';

/** More threads than this per core only add memory and start-up time: each thread loads zyda on its own. */
const THREADS_PER_CORE = 4;

/** The worker count a run uses: `workers`, clamped to THREADS_PER_CORE × the core count with a warning. */
export function usableWorkers(workers: number, warn: (message: string) => void): number {
  const cap = availableParallelism() * THREADS_PER_CORE;
  if (workers <= cap) return workers;
  warn(`workers: ${workers} is more than ${THREADS_PER_CORE} × the ${availableParallelism()} cores here; using ${cap}`);
  return cap;
}

/**
 * The local executor's worker threads; each loads the plan, vocabularies and models once. No thread starts
 * before a step asks for them (`reserve`), and never more threads than tasks asked for: the pool grows, by
 * starting over with more threads, only when a later request asks for more.
 */
export class WorkerPool {
  private pool?: Piscina;
  private ready: Promise<unknown> = Promise.resolve();
  /** Models and other large values built once and shared by the threads; they outlive a pool's restart. */
  private readonly shared = new SharedOnceServer();
  /** Threads of the current pool. */
  threads = 0;
  /** CPU seconds each thread started since the last takeStartCpu spent loading zyda. */
  private startCpu: number[] = [];

  constructor(readonly workers: number) {}

  /** Makes sure `tasks` tasks can run at once, up to the worker count. */
  async reserve(tasks: number): Promise<void> {
    const want = Math.min(this.workers, Math.max(1, tasks));
    if (this.pool && want <= this.threads) return;
    await this.close();
    this.start(want);
  }

  private start(threads: number): void {
    const pool = new Piscina({
      filename: new URL('./worker-entry.cjs', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      // One task at a time per thread: tasks stream large files, and queueing more would only hold memory.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
    const barrier = new Int32Array(new SharedArrayBuffer(4));
    // A thread that cannot start fails the tasks sent to it; the ready round must not also crash the process
    // as an unhandled rejection.
    // Each thread holds one ready task at once (the barrier), so each gets one port of its own.
    this.ready = Promise.all(
      Array.from({ length: threads }, () => {
        const port = this.shared.port();
        return pool.run({ type: 'ready', barrier, threads, port } satisfies WorkerMessage, { transferList: [port] }) as Promise<WorkerReply<null>>;
      }),
    ).then(
      (replies) => this.startCpu.push(...replies.map((r) => (r.ok ? r.cpu_s : 0))),
      () => undefined,
    );
    this.pool = pool;
    this.threads = threads;
  }

  /** `signal` aborts the task: a running one by ending its thread, which then rejects with the signal's reason. */
  async run<T>(msg: WorkerMessage, signal?: AbortSignal): Promise<{ value: T; cpu_s: number }> {
    if (!this.pool) this.start(1);
    let reply: WorkerReply<T>;
    try {
      reply = (await this.pool!.run(msg, { signal })) as WorkerReply<T>;
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      // The thread itself died or could not load zyda's modules: not an answer from our code.
      throw new RunError(`a worker thread failed: ${(err as Error).stack ?? String(err)}`);
    }
    if (reply.ok) return { value: reply.value, cpu_s: reply.cpu_s };
    if (reply.name === 'InputError') throw new InputError(reply.message);
    if (reply.name === 'ConfigError') throw new ConfigError(reply.message);
    throw new RunError(reply.message);
  }

  /** The start-up CPU of the threads started since the last call, once they are all up. */
  async takeStartCpu(): Promise<number[]> {
    await this.ready;
    return this.startCpu.splice(0);
  }

  /** Stops the threads; the next `reserve` or `run` starts fresh ones. */
  async close(): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    this.pool = undefined;
    this.threads = 0;
    await this.ready;
    await pool.destroy();
    this.shared.dropPorts();
  }
}
