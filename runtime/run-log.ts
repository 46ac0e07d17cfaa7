/**
 * Where a run reports as it goes. Text (on a terminal, or `--log-format text`): warnings and problems as
 * lines on stderr, the summary table on stdout. JSON (when stdout is not a terminal, or `--log-format json`):
 * one JSON object per line on stdout, for cron and log shippers: a record when each step starts and ends
 * (with counts and seconds), every warning and problem, and a summary record at the end.
 */
export type Level = 'info' | 'warning' | 'error';

export interface RunLog {
  readonly format: 'text' | 'json';
  message(level: Level, text: string, fields?: Record<string, unknown>): void;
  event(name: string, fields: Record<string, unknown>): void;
}

export function textLog(write: (line: string) => void = (l) => process.stderr.write(l + '\n')): RunLog {
  return {
    format: 'text',
    message: (level, text) => write(level === 'info' ? text : `${level}: ${text}`),
    // Step records are for machines; a terminal has the progress bar.
    event: () => undefined,
  };
}

export function jsonLog(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): RunLog {
  const emit = (record: Record<string, unknown>) => write(JSON.stringify({ ts: new Date().toISOString(), ...record }));
  return {
    format: 'json',
    message: (level, text, fields) => emit({ level, event: 'message', message: text, ...fields }),
    event: (name, fields) => emit({ level: 'info', event: name, ...fields }),
  };
}

/** --log-format auto: ZYDA_LOG_FORMAT if set, else JSON when stdout is not a terminal (cron, pipes), text on one. */
export function logFor(format: 'auto' | 'text' | 'json' | undefined): RunLog {
  const env = process.env.ZYDA_LOG_FORMAT;
  const auto = env === 'text' || env === 'json' ? env : process.stdout.isTTY ? 'text' : 'json';
  const f = format === undefined || format === 'auto' ? auto : format;
  return f === 'json' ? jsonLog() : textLog();
}
