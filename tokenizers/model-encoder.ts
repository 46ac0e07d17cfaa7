import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { singleTemplate } from './special-tokens.js';
import { loadTokenizer } from './tokenizer.js';

/** One text as a model takes it: token ids with the model's special tokens, and their token type ids. */
export interface ModelInput {
  ids: number[];
  typeIds: number[];
}

/** Encodes texts for a model the way `tokenizer(text, truncation=True, max_length=N)` does in transformers. */
export interface ModelEncoder {
  /** Special tokens added around each text. */
  readonly added: number;
  encode(text: string, maxTokens: number): ModelInput;
}

/**
 * A tokenizer.json's encoder for model inputs. Truncation keeps the first `maxTokens - added` tokens of the text
 * and then adds the special tokens, as HF's right-side truncation of a single sequence does.
 */
export async function loadModelEncoder(path: string): Promise<ModelEncoder> {
  const abs = resolve(path);
  if (!abs.endsWith('.json')) throw new ConfigError(`tokenizer ${abs}: a transformer model needs its tokenizer.json`);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(abs, 'utf8'));
  } catch (err) {
    throw new ConfigError(`tokenizer ${abs}: cannot read a tokenizer.json (${(err as Error).message})`);
  }
  const template = singleTemplate(json, `tokenizer ${abs}`);
  const tokenizer = await loadTokenizer(abs);
  return {
    added: template.added,
    encode(text, maxTokens) {
      const room = maxTokens - template.added;
      if (room < 0) throw new ConfigError(`max tokens ${maxTokens} leaves no room beside the ${template.added} special tokens of ${abs}`);
      const content = tokenizer.encode(text);
      return template.apply(content.length > room ? content.slice(0, room) : content);
    },
  };
}
