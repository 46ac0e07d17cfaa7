import type { SingleBar } from 'cli-progress';
import { formatBytes } from '../core/bytes.js';
import { progressCounter, readProgress, type ProgressCounter } from './progress-counter.js';
import type { RunLog } from './run-log.js';

/**
 * How a run shows its progress: a redrawn bar on a terminal, a plain line every interval on stderr when it is
 * a file or pipe, a `progress` record every interval in JSON logs, or nothing.
 */
export type ProgressMode = 'bar' | 'lines' | 'records' | 'off';

/** One step's progress; the fields of a JSON `progress` record. */
export interface ProgressFigures {
  step: string;
  tasks_done: number;
  tasks: number;
  docs: number;
  bytes: number;
  total_bytes: number;
  seconds: number;
  docs_per_s: number;
  mb_per_s: number;
  /** Seconds left at the step's rate so far (by bytes, else by tasks); null before there is a rate. */
  eta_s: number | null;
}

/** `progress: off` shows nothing; JSON logs get records; a terminal a bar; `progress: on` lines elsewhere. */
export function progressMode(setting: 'auto' | 'on' | 'off', log: RunLog, stderrIsTerminal = process.stderr.isTTY === true): ProgressMode {
  if (setting === 'off') return 'off';
  if (log.format === 'json') return 'records';
  if (stderrIsTerminal) return 'bar';
  return setting === 'on' ? 'lines' : 'off';
}

const BAR_REDRAW_MS = 250;

export class Progress {
  private bar?: SingleBar;
  private timer?: NodeJS.Timeout;
  private started = 0;
  private step = '';
  private label = '';
  private tasks = 0;
  private tasksDone = 0;
  private totalBytes = 0;
  private counter: ProgressCounter = progressCounter();

  /** `intervalSeconds`: between lines or records; the bar redraws faster. */
  constructor(
    private readonly mode: ProgressMode = 'off',
    private readonly intervalSeconds = 30,
    private readonly log?: RunLog,
  ) {}

  /** A step of `tasks` tasks over `totalBytes` input bytes starts; its tasks add to `counter` as they read. */
  async start(step: string, label: string, tasks: number, totalBytes: number, counter: ProgressCounter): Promise<void> {
    this.stop();
    Object.assign(this, { step, label, tasks, totalBytes, counter, tasksDone: 0, started: Date.now() });
    if (this.mode === 'off') return;
    if (this.mode === 'bar') {
      // Loaded here: commands that draw no bar do not pay for it at start-up.
      const { default: cliProgress } = await import('cli-progress');
      this.bar = new cliProgress.SingleBar(
        { format: `${label.padEnd(18)} {bar} {value}/{total} tasks | {figures}`, stream: process.stderr, hideCursor: true, clearOnComplete: false, barsize: 24 },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(tasks, 0, { figures: this.describe(this.figures()) });
    }
    this.timer = setInterval(() => this.show(), this.mode === 'bar' ? BAR_REDRAW_MS : this.intervalSeconds * 1000);
    this.timer.unref();
  }

  tick(): void {
    this.tasksDone++;
    this.bar?.increment(1, { figures: this.describe(this.figures()) });
  }

  /** Ends the step's display with its final figures; a step that was interrupted shows how far it got. */
  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.show();
    this.bar?.stop();
    this.bar = undefined;
  }

  figures(): ProgressFigures {
    const { docs, bytes } = readProgress(this.counter);
    const seconds = (Date.now() - this.started) / 1000;
    const elapsed = Math.max(seconds, 0.001);
    let eta: number | null = null;
    if (this.totalBytes > 0 && bytes > 0) eta = ((this.totalBytes - bytes) * elapsed) / bytes;
    else if (this.tasksDone > 0) eta = ((this.tasks - this.tasksDone) * elapsed) / this.tasksDone;
    const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
    return {
      step: this.step,
      tasks_done: this.tasksDone,
      tasks: this.tasks,
      docs,
      bytes,
      total_bytes: this.totalBytes,
      seconds: round(seconds, 3),
      docs_per_s: Math.round(docs / elapsed),
      mb_per_s: round(bytes / 1e6 / elapsed, 2),
      eta_s: eta === null ? null : Math.max(0, Math.round(eta)),
    };
  }

  private show(): void {
    const f = this.figures();
    if (this.mode === 'bar') this.bar?.update({ figures: this.describe(f) });
    else if (this.mode === 'lines') process.stderr.write(`${this.label}: ${f.tasks_done}/${f.tasks} tasks | ${this.describe(f)}\n`);
    else if (this.mode === 'records') this.log?.event('progress', { ...f });
  }

  private describe(f: ProgressFigures): string {
    const eta = `ETA ${f.eta_s === null ? '?' : formatSeconds(f.eta_s)}`;
    // Reduce steps read what the passes collected, not documents: they have only tasks to show.
    if (f.total_bytes === 0 && f.docs === 0) return eta;
    const bytes = `${formatBytes(f.bytes)} / ${formatBytes(f.total_bytes)}`;
    return `${bytes} | ${f.docs.toLocaleString('en-US')} docs | ${f.docs_per_s.toLocaleString('en-US')} docs/s | ${f.mb_per_s.toFixed(1)} MB/s | ${eta}`;
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
