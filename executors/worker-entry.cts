/**
 * The file piscina loads in each worker thread. piscina first tries require() on its task file; on Node 20.19+
 * that would require() our ES module graph, and a require() that fails part-way leaves modules that the
 * import() piscina falls back to trips over (ERR_INTERNAL_ASSERTION "imported again after being required",
 * about one run in twenty). This CommonJS entry is required cleanly and loads the ES worker with import() only.
 */
type Handler = (msg: unknown) => unknown;
let handler: Promise<Handler> | undefined;

module.exports = function run(msg: unknown): Promise<unknown> {
  handler ??= import('./worker.js').then((m) => m.default as Handler);
  return handler.then((h) => h(msg));
};
