import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assemble, WASM_MODULES } from '../../scripts/build-wasm.js';
import { ROOT } from '../helpers.js';

test('every committed wasm module is its .wat assembled (npm run build:wasm after editing one)', async () => {
  for (const m of WASM_MODULES) {
    const generated = (await import(pathToFileURL(join(ROOT, 'dist', m.ts.replace(/\.ts$/, '.js'))).href)) as Record<string, string>;
    assert.equal(generated[m.name], Buffer.from(await assemble(m.wat)).toString('base64'), `${m.ts} is stale: run npm run build:wasm`);
  }
});
