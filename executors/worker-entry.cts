/**
 * The file piscina loads in each worker thread. piscina first tries require() on its task file; on Node 20.19+
 * that would require() our ES module graph, and a require() that fails part-way leaves modules that the
 * import() piscina falls back to trips over (ERR_INTERNAL_ASSERTION "imported again after being required",
 * about one run in twenty). This CommonJS entry is required cleanly and loads the ES worker with import() only.
 */
type Handler = (msg: unknown) => unknown;
// Loaded as the thread starts, before its first message: a pool started early (early-threads.ts) gets no message
// until its run has planned, and loads meanwhile. A failure to load reaches the first task sent.
// A pool started early also names the stage code its run will likely want (early-threads.ts), loaded then too.
const handler: Promise<Handler> = import('./worker.js').then((m) => {
  const hint = require('node:worker_threads').workerData?.preload;
  if (hint) m.preloadHint(hint);
  return m.default as Handler;
});
handler.catch(() => undefined);

module.exports = function run(msg: { type?: string; askedCpu?: number }): Promise<unknown> {
  // The CPU this thread had spent loading when a step asked for it, read on arrival, before the load is awaited:
  // for early threads most of their start-up, which no step waited for.
  if (msg?.type === 'ready') msg.askedCpu = threadCpuNow();
  return handler.then((h) => h(msg));
};

/** This thread's CPU seconds so far (Linux; see core/cpu-time.ts, which this CommonJS file cannot import before the ES graph loads). */
function threadCpuNow(): number | undefined {
  try {
    const ns = Number(require('node:fs').readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e9 : undefined;
  } catch {
    return undefined;
  }
}
