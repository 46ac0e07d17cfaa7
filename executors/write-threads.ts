import type { WorkerPool } from './pool.js';

/** Parts smaller than this are written on the threads that made them (see WriteThreads); ZYDA_FRESH_WRITE_BYTES is a test hook. */
const FRESH_WRITE_THREADS_BYTES = Number(process.env.ZYDA_FRESH_WRITE_BYTES) || 64_000_000;

/** What the write's threads need to know of the last pass running beside them. */
export interface PassState {
  /** Its tasks to run, and how many of them have not finished. */
  todo: readonly number[];
  left: number;
  /** Set when its last task finished. */
  ended?: number;
}

/**
 * Where the write's tasks run. On fresh threads when earlier steps worked and its parts are big: what those steps
 * left in their threads (tokenizer caches, models, heap grown for their work) would otherwise sit under the
 * write's row groups and make it the run's peak. A small write is no peak, and new threads would only add their
 * start-up. Fresh threads start beside the last pass's tail and take the write's first tasks there, while the
 * pass's threads finish theirs; when the pass ends they become the pool's threads.
 */
export class WriteThreads {
  /** The write's tasks go to the threads started ahead. */
  ahead = false;
  /** The write's threads started while the last pass ran, so their start-up delayed nothing. */
  startedBeside = false;
  /** The start-up CPU of the round's first step's threads, and the share of it that step waited for (WorkerPool.startWaitedShare). */
  firstStarts: number[] = [];
  firstWaited = 1;
  private chosen = false;
  private tookOver = false;
  private partBytes = 0;
  private parts = 0;
  private writeBytes = 0;
  private writes = 0;

  constructor(
    private readonly pool: WorkerPool,
    private readonly worked: boolean,
  ) {}

  /** A write task whose parts are all done: its bytes tell how big the write is. */
  known<T extends { bytes: number }>(task: T): T {
    this.writeBytes += task.bytes;
    this.writes++;
    return task;
  }

  /**
   * A task of the last pass finished. In its tail, a thread idle and no task waiting, the write's fresh threads
   * start now, beside it, when its parts look like they will reach the size that wants them.
   */
  partDone(first: PassState, bytes: number, writeTodo: number): void {
    this.parts++;
    this.partBytes += bytes;
    if (!this.chosen && writeTodo > 0 && first.left < this.pool.threads && (this.partBytes * first.todo.length) / this.parts >= FRESH_WRITE_THREADS_BYTES) {
      this.pool.prestart(writeTodo);
    }
  }

  /**
   * Decides, once, where the write runs: while the pass still runs (`bytes` unknown), from the parts so far;
   * after it, from the write's own input. Once the pass is over, fresh threads take over the pool.
   */
  async choose(first: PassState, writeTodo: number, bytes?: number): Promise<void> {
    const passRunning = first.ended === undefined;
    if (!this.chosen) {
      this.chosen = true;
      const estimate = bytes ?? Math.max(this.parts > 0 ? (this.partBytes * first.todo.length) / this.parts : 0, this.writes > 0 ? (this.writeBytes * writeTodo) / this.writes : 0);
      const fresh = this.worked && writeTodo > 0 && (estimate >= FRESH_WRITE_THREADS_BYTES || this.pool.prestarted);
      this.startedBeside = fresh && (passRunning || this.pool.prestarted);
      if (fresh) {
        this.pool.prestart(writeTodo);
        this.ahead = true;
      } else if (!passRunning && writeTodo > 0) await this.pool.reserve(writeTodo);
    }
    if (!passRunning && this.ahead && !this.tookOver) {
      this.tookOver = true;
      await this.pool.fresh(writeTodo);
    }
  }
}
