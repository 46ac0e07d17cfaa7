import cliProgress from 'cli-progress';

/**
 * Live counters the workers add to as they go (docs read), shared with the main thread without messages, so
 * a task over a 5 GB file still shows movement.
 */
export function sharedCounter(): BigInt64Array {
  return new BigInt64Array(new SharedArrayBuffer(8));
}

/** A progress bar on a terminal; nothing at all when stderr is a file or pipe (cron, CI, logs). */
export class Progress {
  private bar?: cliProgress.SingleBar;
  private timer?: NodeJS.Timeout;
  private started = 0;

  constructor(private readonly enabled = process.stderr.isTTY === true) {}

  /** Tasks done out of `total`, with the live doc count from `docs` and its rate. */
  start(label: string, total: number, docs?: BigInt64Array): void {
    if (!this.enabled) return;
    this.stop();
    this.bar = new cliProgress.SingleBar(
      { format: `${label.padEnd(18)} {bar} {value}/{total} tasks | {docs} docs | {rate} docs/s | {duration_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    this.started = Date.now();
    this.bar.start(total, 0, { docs: 0, rate: 0 });
    if (docs) {
      this.timer = setInterval(() => {
        const n = Number(Atomics.load(docs, 0));
        const seconds = (Date.now() - this.started) / 1000;
        this.bar?.update({ docs: n.toLocaleString('en-US'), rate: Math.round(n / Math.max(seconds, 0.001)).toLocaleString('en-US') });
      }, 250);
      this.timer.unref();
    }
  }

  tick(): void {
    this.bar?.increment(1);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.bar?.stop();
    this.bar = undefined;
  }
}
