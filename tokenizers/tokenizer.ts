import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ByteBpe, type BpeSpec } from './bpe/engine.js';
import { hfSpec } from './bpe/hf-json.js';
import { TIKTOKEN_ENCODINGS } from './bpe/encodings.js';
import { readTiktokenRanks, tiktokenRankFile, tiktokenSpec } from './bpe/tiktoken.js';
import { rankTable } from './bpe/rank-table.js';
import { tiktokenFileEncoding } from './spec.js';
import { SharedPieceCounts } from './bpe/shared-counts.js';
import { ConfigError } from '../core/errors.js';
import { sharedOnce } from '../core/shared-once.js';

/** Counts tokens the way a model's tokenizer would; loaded once per worker. */
export interface TokenCounter {
  name: string;
  /** Which implementation counts: our byte-level BPE, or @huggingface/tokenizers for other model types. */
  engine: 'zyda-bpe' | 'huggingface';
  count(text: string): number;
  encode(text: string): number[];
}

const cache = new Map<string, Promise<TokenCounter>>();

export function loadTokenizer(spec: string): Promise<TokenCounter> {
  let p = cache.get(spec);
  if (!p) {
    const encoding = tiktokenFileEncoding(spec);
    if (spec in TIKTOKEN_ENCODINGS) p = fromTiktoken(spec, undefined, spec);
    else if (encoding) p = fromTiktoken(encoding, resolve(spec), `${resolve(spec)}:${sha256(readFileSync(resolve(spec)))}`);
    else p = loadTokenizerJson(spec);
    cache.set(spec, p);
  }
  return p;
}

/** The threads of a process that load the same encoding (`source` names its content) share its rank table. */
async function fromTiktoken(encoding: string, rankFile: string | undefined, source: string): Promise<TokenCounter> {
  const table = await sharedOnce(`tiktoken-ranks:${source}`, () => rankTable(readTiktokenRanks(tiktokenRankFile(encoding, rankFile)), true));
  return fromBpe(tiktokenSpec(encoding, rankFile, table), source);
}

/** `source` names the tokenizer's content: the threads of a process that load the same one share its piece counts. */
async function fromBpe(spec: BpeSpec, source: string): Promise<TokenCounter> {
  const counts = await sharedOnce(`bpe-piece-counts:${source}`, SharedPieceCounts.create);
  const bpe = new ByteBpe(spec, new SharedPieceCounts(counts));
  return { name: bpe.spec.name, engine: 'zyda-bpe', count: (t) => bpe.count(t), encode: (t) => bpe.encode(t) };
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

async function loadTokenizerJson(path: string): Promise<TokenCounter> {
  const abs = resolve(path);
  let text: string;
  let json: unknown;
  try {
    text = readFileSync(abs, 'utf8');
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`tokenizer ${abs}: cannot read a tokenizer.json (${(err as Error).message})`);
  }
  const spec = hfSpec(path, json as Parameters<typeof hfSpec>[1]);
  if (spec.ok) return fromBpe(spec.spec, `${abs}:${sha256(text)}`);
  // Not byte-level BPE (SentencePiece-style BPE, Unigram, WordPiece): the reference JS port counts it.
  const { Tokenizer } = await import('@huggingface/tokenizers');
  let tok: InstanceType<typeof Tokenizer>;
  try {
    tok = new Tokenizer(json as object, {});
  } catch (err) {
    throw new ConfigError(`tokenizer ${abs}: not a usable tokenizer.json (${(err as Error).message})`);
  }
  const encode = (text: string) => tok.encode(text, { add_special_tokens: false }).ids;
  return { name: path, engine: 'huggingface', count: (t) => encode(t).length, encode };
}
