import { Piscina } from 'piscina';
import { SharedOnceServer } from '../core/shared-once.js';
import { ConfigError, InputError, RunError } from '../core/errors.js';
import type { MessagePort } from 'node:worker_threads';
import { takeEarlyThreads, type EarlyThreads } from './early-threads.js';
import type { TaskCode } from './task-code.js';
import type { ReadyValue, WorkerMessage, WorkerReply } from './worker.js';


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
  /** Of that, what each spent after a step asked for it: less than all for early threads (early-threads.ts). */
  startCpuAfterAsk: number[];
}

/**
 * `threads` worker threads, each loading zyda from the moment it starts (worker-entry.cts), and `hint`, the code
 * its tasks will likely use, when known before the plan is.
 */
export function startThreads(threads: number, hint?: TaskCode): Piscina {
  return new Piscina({
    filename: new URL('./worker-entry.cjs', import.meta.url).href,
    ...(hint ? { workerData: { preload: hint } } : {}),
    minThreads: threads,
    maxThreads: threads,
    // One task at a time per thread: tasks stream large files, and queueing more would only hold memory.
    concurrentTasksPerWorker: 1,
    // Tasks come as messages, so a thread's event loop runs while it waits for one: an early thread loads zyda
    // meanwhile, where piscina's default (blocking in Atomics.wait between tasks) would hold it until the first.
    atomics: 'disabled',
    idleTimeout: 60_000,
  });
}

/** Closes threads no step took (early-threads.ts): once each has loaded, as every pool closes. */
export async function retireThreads(pool: Piscina, threads: number): Promise<void> {
  const server = new SharedOnceServer();
  const ports: MessagePort[] = [];
  await readyRound(pool, threads, server, ports, { formats: [], kinds: [], filters: [] }).catch(() => undefined);
  await pool.destroy();
  server.dropPorts(ports);
}

/**
 * Each thread holds one ready task at once (the barrier), so each gets one; and one port of its own, to the
 * process's shared values. The replies carry each thread's start-up CPU.
 */
function readyRound(pool: Piscina, threads: number, shared: SharedOnceServer, ports: MessagePort[], preload: TaskCode): Promise<WorkerReply<ReadyValue>[]> {
  const barrier = new Int32Array(new SharedArrayBuffer(4));
  return Promise.all(
    Array.from({ length: threads }, () => {
      const port = shared.port(ports);
      return pool.run({ type: 'ready', barrier, threads, port, preload } satisfies WorkerMessage, { transferList: [port] }) as Promise<WorkerReply<ReadyValue>>;
    }),
  );
}

export class WorkerPool {
  private current?: Generation;
  /** Threads started ahead of the step that will take them over (see prestart). */
  private next?: Generation;
  /** Models and other large values built once and shared by the threads; they outlive a pool's restart. */
  private readonly shared = new SharedOnceServer();
  /** Whether threads were ever started: only the first may be the command's early ones. */
  private launched = false;
  /** `preload`: what the run's tasks use (input formats, stage kinds, filters), which each thread loads before its first task. */
  constructor(
    readonly workers: number,
    private readonly preload: TaskCode = { formats: [], kinds: [], filters: [] },
  ) {}

  /** Threads of the current pool. */
  get threads(): number {
    return this.current?.threads ?? 0;
  }

  /** Makes sure `tasks` tasks can run at once, up to the worker count. The first threads may be the command's early ones (early-threads.ts). */
  async reserve(tasks: number): Promise<void> {
    const want = Math.min(this.workers, Math.max(1, tasks));
    if (this.current && want <= this.current.threads) return;
    const early = this.launched ? undefined : await takeEarlyThreads(want);
    await this.close();
    this.current = this.launch(want, early);
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

  private launch(threads: number, early?: EarlyThreads): Generation {
    this.launched = true;
    const pool = early?.pool ?? startThreads(threads);
    const ports: MessagePort[] = [];
    const gen: Generation = { pool, ready: Promise.resolve(), threads, ports, startCpu: [], startCpuAfterAsk: [] };
    // A thread that cannot start fails the tasks sent to it; the ready round must not also crash the process
    // as an unhandled rejection.
    gen.ready = readyRound(pool, threads, this.shared, ports, this.preload).then(
      (replies) => {
        gen.startCpu.push(...replies.map((r) => (r.ok ? r.cpu_s : 0)));
        // Threads started when the step asked spent all their start-up after the ask.
        gen.startCpuAfterAsk.push(...replies.map((r) => (r.ok ? (early ? r.cpu_s - r.value.asked_cpu_s : r.cpu_s) : 0)));
      },
      () => undefined,
    );
    return gen;
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

  /**
   * The share of the current threads' start-up that the step asking for them waited for, in CPU (the slowest
   * thread's after the ask over the slowest's whole start-up): 1 for threads started when it asked, less for
   * early ones (early-threads.ts), which loaded while the main thread planned.
   */
  async startWaitedShare(): Promise<number> {
    const g = this.current;
    await g?.ready;
    const all = Math.max(0, ...(g?.startCpu ?? []));
    if (!g || all <= 0) return 1;
    return Math.min(1, Math.max(0, ...g.startCpuAfterAsk) / all);
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
