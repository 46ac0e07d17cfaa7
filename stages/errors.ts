/** Exit codes are part of the CLI contract (README, "Exit codes"). */
export const EXIT_OK = 0;
export const EXIT_RUN_FAILED = 1;
export const EXIT_USAGE = 2;

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

export function exitCodeFor(err: unknown): number {
  return err instanceof ConfigError ? EXIT_USAGE : EXIT_RUN_FAILED;
}
