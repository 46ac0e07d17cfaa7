import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SharedOnceServer, sharedOnce } from '../../core/shared-once.js';

const MODULE = new URL('../../core/shared-once.js', import.meta.url).href;

/**
 * A worker thread that asks for the value 'table': its build counts itself in `builds` (and the first build
 * fails when `failFirst`), and the thread writes its own slot of the table it receives, then sends it back.
 */
const THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.module).then(async ({ joinSharedOnce, sharedOnce }) => {
  joinSharedOnce(workerData.port);
  const build = () => {
    const attempt = Atomics.add(workerData.builds, 0, 1);
    if (workerData.failFirst && attempt === 0) throw new Error('first build fails');
    return { name: 'table', cells: new Int32Array(new SharedArrayBuffer(4 * workerData.threads)) };
  };
  try {
    const value = await sharedOnce('table', build);
    Atomics.store(value.cells, workerData.index, workerData.index + 1);
    parentPort.postMessage({ value });
  } catch (err) {
    parentPort.postMessage({ error: err.message });
  }
});
`;

async function askFromThreads(threads: number, failFirst: boolean) {
  const server = new SharedOnceServer();
  const builds = new Int32Array(new SharedArrayBuffer(4));
  const answers = await Promise.all(
    Array.from({ length: threads }, (_, index) => {
      const port = server.port();
      const worker = new Worker(THREAD, { eval: true, workerData: { module: MODULE, port, builds, threads, index, failFirst }, transferList: [port] });
      return new Promise<{ value?: { name: string; cells: Int32Array }; error?: string }>((resolve, reject) => {
        worker.once('message', (m) => {
          resolve(m);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    }),
  );
  server.dropPorts();
  return { builds: builds[0], answers };
}

test('a value is built once for all worker threads, and its SharedArrayBuffers are one memory', async () => {
  const { builds, answers } = await askFromThreads(4, false);
  assert.equal(builds, 1);
  for (const a of answers) {
    assert.equal(a.value?.name, 'table');
    // Every thread wrote only its own cell: each copy shows all four only if they are the same memory.
    assert.deepEqual([...a.value!.cells], [1, 2, 3, 4]);
  }
});

test('when the building thread fails, it alone gets the error and a waiting thread builds instead', async () => {
  const { builds, answers } = await askFromThreads(4, true);
  assert.equal(builds, 2);
  assert.deepEqual(answers.filter((a) => a.error).map((a) => a.error), ['first build fails']);
  const ok = answers.filter((a) => a.value);
  assert.equal(ok.length, 3);
  for (const a of ok) assert.equal(a.value!.cells.filter((c) => c !== 0).length, 3);
});

test('a thread without a server builds for itself, once per key', async () => {
  let builds = 0;
  const build = () => ({ n: ++builds });
  const [a, b] = await Promise.all([sharedOnce('own', build), sharedOnce('own', build)]);
  assert.equal(a, b);
  assert.equal(builds, 1);
  await assert.rejects(sharedOnce('broken', () => { throw new Error('no'); }), /no/);
  assert.deepEqual(await sharedOnce('broken', () => 'second try'), 'second try');
});
