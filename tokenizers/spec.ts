import { TIKTOKEN_ENCODINGS } from './bpe/encodings.js';
import { ConfigError } from '../core/errors.js';

export function isTokenizerFile(spec: string): boolean {
  return !(spec in TIKTOKEN_ENCODINGS);
}

/** A tiktoken rank file is named after its encoding, which tells us its split pattern. */
export function tiktokenFileEncoding(spec: string): string | undefined {
  const m = /([^/\\]+)\.tiktoken$/.exec(spec);
  return m && m[1] in TIKTOKEN_ENCODINGS ? m[1] : undefined;
}

/** Rejects a tokenizer spec before any work starts, so a typo fails in `validate`, not hours in. */
export function checkTokenizerSpec(spec: string): void {
  if (spec in TIKTOKEN_ENCODINGS || tiktokenFileEncoding(spec)) return;
  if (!spec.endsWith('.json')) {
    throw new ConfigError(
      `tokenizer ${JSON.stringify(spec)}: expected one of ${Object.keys(TIKTOKEN_ENCODINGS).join(', ')}, a path to a tokenizer.json, or a path to <encoding>.tiktoken`,
    );
  }
}

/** A tokenizer spec as every task uses it: checked, and a file's path made absolute (an encoding name stays). */
export function resolveTokenizer(spec: string, abs: (path: string) => string): string {
  checkTokenizerSpec(spec);
  return isTokenizerFile(spec) ? abs(spec) : spec;
}
