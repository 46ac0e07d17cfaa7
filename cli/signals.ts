import { setMaxListeners } from 'node:events';
import { InterruptedError } from '../core/errors.js';

/** Cursor shown, line wrap on: what the progress bar turns off while it draws. */
const RESTORE_TERMINAL = '\x1b[?25h\x1b[?7h';

function restoreTerminal(): void {
  if (process.stderr.isTTY) process.stderr.write(RESTORE_TERMINAL);
}

/**
 * While `work` runs, SIGINT and SIGTERM abort its signal with an InterruptedError, so the run can stop its
 * workers, remove its temp files and release its locks before it exits (130 or 143). A second signal does not
 * wait for that: it exits at once.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // Every task the pool runs listens to this one signal.
  setMaxListeners(0, controller.signal);
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => {
    const err = new InterruptedError(name);
    if (controller.signal.aborted) {
      restoreTerminal();
      process.exit(err.exitCode);
    }
    controller.abort(err);
  };
  const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };
  for (const [name, fn] of Object.entries(handlers)) process.on(name, fn);
  try {
    return await work(controller.signal);
  } catch (err) {
    if (err instanceof InterruptedError) restoreTerminal();
    throw err;
  } finally {
    for (const [name, fn] of Object.entries(handlers)) process.off(name, fn);
  }
}
