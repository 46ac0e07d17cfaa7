import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { SharedOnceServer } from '../core/shared-once.js';
import { ConfigError, InputError, RunError } from '../core/errors.js';
import type { MessagePort } from 'node:worker_threads';
import type { TaskCode } from './task-code.js';
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
/** One set of threads: the Piscina pool, the round that proves every thread loaded, its shared-value ports. */
interface Generation {
  pool: Piscina;
  ready: Promise<unknown>;
  threads: number;
  ports: MessagePort[];
  /** CPU seconds each thread spent loading zyda, once they are up; emptied when taken. */
  startCpu: number[];
}

export class WorkerPool {
  private current?: Generation;
  /** Threads started ahead of the step that will take them over (see prestart). */
  private next?: Generation;
  /** Models and other large values built once and shared by the threads; they outlive a pool's restart. */
  private readonly shared = new SharedOnceServer();
  /** `preload`: what the run's tasks use (input formats, stage kinds, filters), which each thread loads before its first task. */
  constructor(
    readonly workers: number,
    private readonly preload: TaskCode = { formats: [], kinds: [], filters: [] },
  ) {}

  /** Threads of the current pool. */
  get threads(): number {
    return this.current?.threads ?? 0;
  }

  /** Makes sure `tasks` tasks can run at once, up to the worker count. */
  async reserve(tasks: number): Promise<void> {
    const want = Math.min(this.workers, Math.max(1, tasks));
    if (this.current && want <= this.current.threads) return;
    await this.close();
    this.current = this.launch(want);
  }

  /**
   * Starts the threads a later step will want fresh (see `fresh`) while the current ones finish their last
   * tasks, so their start-up overlaps that step's tail instead of preceding the next step.
   */
  prestart(tasks: number): void {
    if (!this.next) this.next = this.launch(Math.min(this.workers, Math.max(1, tasks)));
  }

  /** Whether threads were started ahead. */
  get prestarted(): boolean {
    return this.next !== undefined;
  }

  /** Fresh threads for `tasks` tasks: those started ahead if there are enough, else new ones. */
  async fresh(tasks: number): Promise<void> {
    const want = Math.min(this.workers, Math.max(1, tasks));
    const [old, next] = [this.current, this.next];
    this.next = undefined;
    if (next && next.threads >= want) {
      // They may be running a later step's first tasks already (see run's `ahead`): they serve on.
      this.current = next;
      await this.retire(old);
      return;
    }
    this.current = undefined;
    await this.retire(old);
    await this.retire(next);
    this.current = this.launch(want);
  }

  private launch(threads: number): Generation {
    const pool = new Piscina({
      filename: new URL('./worker-entry.cjs', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      // One task at a time per thread: tasks stream large files, and queueing more would only hold memory.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
    const barrier = new Int32Array(new SharedArrayBuffer(4));
    const ports: MessagePort[] = [];
    const startCpu: number[] = [];
    // A thread that cannot start fails the tasks sent to it; the ready round must not also crash the process
    // as an unhandled rejection.
    // Each thread holds one ready task at once (the barrier), so each gets one port of its own.
    const ready = Promise.all(
      Array.from({ length: threads }, () => {
        const port = this.shared.port(ports);
        return pool.run({ type: 'ready', barrier, threads, port, preload: this.preload } satisfies WorkerMessage, { transferList: [port] }) as Promise<WorkerReply<null>>;
      }),
    ).then(
      (replies) => startCpu.push(...replies.map((r) => (r.ok ? r.cpu_s : 0))),
      () => undefined,
    );
    return { pool, ready, threads, ports, startCpu };
  }

  /**
   * `signal` aborts the task: a running one by ending its thread, which then rejects with the signal's reason.
   * `ahead`: on the threads started ahead while the current ones finish a step's last tasks (those of a later
   * step that may start before them), or on the current ones once they have taken over.
   */
  async run<T>(msg: WorkerMessage, signal?: AbortSignal, ahead = false): Promise<{ value: T; cpu_s: number }> {
    this.current ??= this.launch(1);
    const gen = (ahead && this.next) || this.current;
    let reply: WorkerReply<T>;
    try {
      reply = (await gen.pool.run(msg, { signal })) as WorkerReply<T>;
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

  /** The start-up CPU of the current threads, once they are all up; empty after the first call. */
  async takeStartCpu(): Promise<number[]> {
    await this.current?.ready;
    return this.current?.startCpu.splice(0) ?? [];
  }

  /** Stops the threads, and those started ahead; the next `reserve` or `run` starts fresh ones. */
  async close(): Promise<void> {
    const gens = [this.current, this.next];
    this.current = undefined;
    this.next = undefined;
    for (const g of gens) await this.retire(g);
  }

  private async retire(g: Generation | undefined): Promise<void> {
    if (!g) return;
    // Never before every thread has loaded: see meetAtBarrier in worker.ts.
    await g.ready;
    await g.pool.destroy();
    this.shared.dropPorts(g.ports);
  }
}
