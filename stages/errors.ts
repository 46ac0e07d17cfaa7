/** Exit codes are part of the CLI contract (README, "Exit codes"). */
export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;
/** EX_TEMPFAIL: another run holds the workdir; try again later (cron's next tick). */
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

/** Another live run holds the workdir's lock: exit 75. */
export class LockedError extends Error {
  override name = 'LockedError';
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof LockedError) return EXIT_LOCKED;
  return err instanceof ConfigError ? EXIT_USAGE : EXIT_RUN_FAILED;
}
