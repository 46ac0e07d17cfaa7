import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from './errors.js';

/** Counts tokens the way a model's tokenizer would; loaded once per worker. */
export interface TokenCounter {
  name: string;
  count(text: string): number;
}

/** Names accepted for the OpenAI encodings; "gpt2" is r50k_base's byte-pair table. */
const TIKTOKEN_MODULES: Record<string, string> = {
  gpt2: 'gpt-tokenizer/encoding/r50k_base',
  r50k_base: 'gpt-tokenizer/encoding/r50k_base',
  cl100k_base: 'gpt-tokenizer/encoding/cl100k_base',
  o200k_base: 'gpt-tokenizer/encoding/o200k_base',
};

export function isTokenizerFile(spec: string): boolean {
  return !(spec in TIKTOKEN_MODULES);
}

/** Rejects a tokenizer spec before any work starts, so a typo fails in `validate`, not hours in. */
export function checkTokenizerSpec(spec: string): void {
  if (spec in TIKTOKEN_MODULES) return;
  if (!spec.endsWith('.json')) {
    throw new ConfigError(`tokenizer ${JSON.stringify(spec)}: expected one of ${Object.keys(TIKTOKEN_MODULES).join(', ')} or a path to a tokenizer.json`);
  }
}

const cache = new Map<string, Promise<TokenCounter>>();

export function loadTokenizer(spec: string): Promise<TokenCounter> {
  let p = cache.get(spec);
  if (!p) {
    p = spec in TIKTOKEN_MODULES ? loadTiktoken(spec) : loadTokenizerJson(spec);
    cache.set(spec, p);
  }
  return p;
}

async function loadTiktoken(spec: string): Promise<TokenCounter> {
  const mod = (await import(TIKTOKEN_MODULES[spec])) as { countTokens(text: string, opts: object): number };
  // Special-token strings such as <|endoftext|> occur in web text: count them as ordinary text, never throw.
  const opts = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
  return { name: spec, count: (text) => mod.countTokens(text, opts) };
}

async function loadTokenizerJson(path: string): Promise<TokenCounter> {
  const abs = resolve(path);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(abs, 'utf8'));
  } catch (err) {
    throw new ConfigError(`tokenizer ${abs}: cannot read a tokenizer.json (${(err as Error).message})`);
  }
  const { Tokenizer } = await import('@huggingface/tokenizers');
  const tok = new Tokenizer(json as object, {});
  return { name: path, count: (text) => tok.encode(text, { add_special_tokens: false }).ids.length };
}
