import { readFileSync } from 'node:fs';

/** The package version, read once from package.json (two levels up from dist/core/). */
export const ZYDA_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Bumped when the output layout or manifest fields change in a way readers must know about (2: generation folders). */
export const FORMAT_VERSION = 2;
