/** Exit codes are part of the CLI contract (README, "Exit codes"). */
export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;
/** EX_TEMPFAIL: another run holds the workdir or the output; try again later (cron's next tick). */
export const EXIT_LOCKED = 75;

/** Bad usage or an invalid config: exit 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The run could not complete: exit 1. */
export class RunError extends Error {
  override name = 'RunError';
}

/** An input problem under the `fail` policy; carries the location so the message can name it. */
export class InputError extends RunError {
  override name = 'InputError';
}

/** Another live run holds the lock of the workdir or of an output: exit 75. */
export class LockedError extends Error {
  override name = 'LockedError';
}

/** SIGINT or SIGTERM stopped the run: exit 128 + the signal's number, as a shell reports a process it killed. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super('interrupted: rerun the same command to resume');
  }

  get exitCode(): number {
    return this.signal === 'SIGINT' ? 130 : 143;
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof InterruptedError) return err.exitCode;
  if (err instanceof LockedError) return EXIT_LOCKED;
  return err instanceof ConfigError ? EXIT_USAGE : EXIT_RUN_FAILED;
}
