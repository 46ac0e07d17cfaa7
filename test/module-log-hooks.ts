import { appendFileSync } from 'node:fs';

/**
 * Module hooks that append each module a thread loads to the file ZYDA_MODULE_LOG names, as `<thread id>\t<url>`
 * (thread 0 is the main thread). test/module-log.ts registers them in every thread, worker threads included.
 */
let thread = -1;

export function initialize(data: { thread: number }): void {
  thread = data.thread;
}

type Next = (url: string, context: unknown) => Promise<unknown>;

export async function load(url: string, context: unknown, next: Next): Promise<unknown> {
  const loaded = await next(url, context);
  const log = process.env.ZYDA_MODULE_LOG;
  if (log) appendFileSync(log, `${thread}\t${url}\n`);
  return loaded;
}
