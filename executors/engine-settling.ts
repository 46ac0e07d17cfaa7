import { createHash } from 'node:crypto';

/**
 * Makes, once per worker thread and before its first task, the two changes that V8 treats as breaking
 * assumptions of already-optimised code, and that a task makes anyway a while into its run:
 * - the first ArrayBuffer detached in a thread (a transfer) drops every optimised function that reads typed
 *   arrays, as their code assumed no buffer is ever detached;
 * - the first Buffer that Node's C++ side makes (a hash's digest, among others) is a Uint8Array whose prototype
 *   is then changed, which drops every optimised function that relied on Uint8Array's layout never changing.
 * Made during a task, each throws away the hot functions compiled so far, to be run slower and compiled again;
 * made before any are compiled, they cost nothing. The code compiled afterwards is what it would be anyway.
 */
export function settleEngineAssumptions(): void {
  const detached = new ArrayBuffer(8);
  structuredClone(detached, { transfer: [detached] });
  createHash('sha1').digest();
}
