// The npm devDependencies the sample's text comes from.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PackageInfo } from './records.js';

const requireHere = createRequire(import.meta.url);

/** Some of these packages hide package.json behind "exports", so walk up from the resolved entry point. */
export function findPackage(name: string): PackageInfo {
  let dir = dirname(requireHere.resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string; license?: string };
      if (pkg.name === name) {
        return { name, version: pkg.version ?? '?', license: pkg.license ?? 'UNKNOWN', dir };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find package.json of ${name}; is it installed (npm install)?`);
    dir = parent;
  }
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
