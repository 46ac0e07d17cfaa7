import cliProgress from 'cli-progress';

/** A progress bar on a terminal; nothing at all when stderr is a file or pipe (cron, CI, logs). */
export class Progress {
  private bar?: cliProgress.SingleBar;

  constructor(private readonly enabled = process.stderr.isTTY === true) {}

  start(label: string, total: number): void {
    if (!this.enabled) return;
    this.stop();
    this.bar = new cliProgress.SingleBar(
      { format: `${label.padEnd(22)} {bar} {value}/{total} tasks | {docs} docs | {eta_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { docs: 0 });
  }

  tick(docs: number): void {
    this.bar?.increment(1, { docs });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
