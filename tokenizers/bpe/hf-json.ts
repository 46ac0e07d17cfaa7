import { GPT2_PATTERN } from './patterns.js';
import { compileRustPattern } from './rust-regex.js';
import { addedTokens, type BpeSpec } from './engine.js';

/**
 * Reads a HF tokenizer.json whose model is byte-level BPE (GPT-2, GPT-NeoX, Llama-3, Qwen2 and the like) into
 * a BpeSpec. Anything else returns the reason it is not supported, and the caller falls back to
 * @huggingface/tokenizers.
 */
interface TokenizerJson {
  added_tokens?: { id: number; content: string; single_word?: boolean; lstrip?: boolean; rstrip?: boolean; normalized?: boolean }[];
  normalizer?: Component | null;
  pre_tokenizer?: Component | null;
  model?: { type?: string; vocab?: Record<string, number>; merges?: (string | [string, string])[]; dropout?: number | null; continuing_subword_prefix?: string | null; end_of_word_suffix?: string | null; byte_fallback?: boolean; ignore_merges?: boolean };
}

interface Component {
  type: string;
  normalizers?: Component[];
  pretokenizers?: Component[];
  pattern?: { Regex?: string; String?: string };
  behavior?: string;
  invert?: boolean;
  use_regex?: boolean;
  add_prefix_space?: boolean;
}

/** GPT-2's split pattern, which ByteLevel applies when `use_regex` is on (the default). */
/** GPT-2's reversible byte ↔ printable-char table, which byte-level vocabularies are written in. */
function unicodeToByte(): Map<string, number> {
  const bytes: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bytes.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bytes.push(b);
  for (let b = 0xae; b <= 0xff; b++) bytes.push(b);
  const chars = [...bytes];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(256 + n++);
    }
  }
  return new Map(bytes.map((b, i) => [String.fromCodePoint(chars[i]), b]));
}

const NORMALIZERS: Record<string, 'NFC' | 'NFD' | 'NFKC' | 'NFKD'> = { NFC: 'NFC', NFD: 'NFD', NFKC: 'NFKC', NFKD: 'NFKD' };

export type HfResult = { ok: true; spec: BpeSpec } | { ok: false; reason: string };

export function hfSpec(name: string, json: TokenizerJson): HfResult {
  const model = json.model;
  if (model?.type !== 'BPE') return { ok: false, reason: `model type ${model?.type ?? 'unknown'} is not BPE` };
  if (model.dropout || model.continuing_subword_prefix || model.end_of_word_suffix || model.byte_fallback) {
    return { ok: false, reason: 'BPE with dropout, subword prefixes or byte fallback (SentencePiece-style) is not byte-level' };
  }
  const pre = pretokenizers(json.pre_tokenizer);
  if (!pre.ok) return pre;
  const norm = normalizer(json.normalizer);
  if (!norm.ok) return norm;
  const added = json.added_tokens ?? [];
  if (added.some((t) => t.single_word || t.lstrip || t.rstrip)) return { ok: false, reason: 'added tokens with single_word, lstrip or rstrip' };

  const toByte = unicodeToByte();
  const toBinary = (token: string): string | undefined => {
    let out = '';
    for (const ch of token) {
      const b = toByte.get(ch);
      if (b === undefined) return undefined;
      out += String.fromCharCode(b);
    }
    return out;
  };
  const ids = new Map<string, number>();
  for (const [token, id] of Object.entries(model.vocab ?? {})) {
    const bin = toBinary(token);
    if (bin !== undefined) ids.set(bin, id);
  }
  const merges = new Map<string, number>();
  (model.merges ?? []).forEach((m, rank) => {
    const [a, b] = Array.isArray(m) ? m : m.split(' ');
    const left = toBinary(a);
    const right = toBinary(b);
    if (left !== undefined && right !== undefined) merges.set(left + '\u0100' + right, rank);
  });
  return {
    ok: true,
    spec: {
      name,
      pairRank: (bytes, s, m, e) => merges.get(bytes.slice(s, m) + '\u0100' + bytes.slice(m, e)),
      tokenId: (bytes) => ids.get(bytes),
      wholePieceFirst: model.ignore_merges === true,
      pretokenizers: pre.patterns,
      addPrefixSpace: pre.addPrefixSpace,
      normalize: norm.fn,
      addedRaw: addedTokens(added.filter((t) => t.normalized === false)),
      addedNormalized: addedTokens(added.filter((t) => t.normalized !== false)),
    },
  };
}

function pretokenizers(c: Component | null | undefined): { ok: true; patterns: RegExp[]; addPrefixSpace: boolean } | { ok: false; reason: string } {
  const list = !c ? [] : c.type === 'Sequence' ? c.pretokenizers ?? [] : [c];
  const patterns: RegExp[] = [];
  let byteLevel = false;
  let addPrefixSpace = false;
  for (const p of list) {
    if (p.type === 'ByteLevel') {
      byteLevel = true;
      addPrefixSpace = p.add_prefix_space === true;
      if (p.use_regex !== false) patterns.push(compileRustPattern(GPT2_PATTERN));
    } else if (p.type === 'Split' && p.pattern?.Regex !== undefined && p.behavior === 'Isolated' && !p.invert) {
      patterns.push(compileRustPattern(p.pattern.Regex));
    } else {
      return { ok: false, reason: `pre-tokenizer ${p.type}${p.behavior ? ` (${p.behavior})` : ''} is not supported` };
    }
  }
  if (!byteLevel) return { ok: false, reason: 'no ByteLevel pre-tokenizer: not a byte-level BPE' };
  return { ok: true, patterns, addPrefixSpace };
}

function normalizer(c: Component | null | undefined): { ok: true; fn?: (s: string) => string } | { ok: false; reason: string } {
  if (!c) return { ok: true };
  const list = c.type === 'Sequence' ? c.normalizers ?? [] : [c];
  const forms: ('NFC' | 'NFD' | 'NFKC' | 'NFKD')[] = [];
  for (const n of list) {
    const form = NORMALIZERS[n.type];
    if (!form) return { ok: false, reason: `normalizer ${n.type} is not supported` };
    forms.push(form);
  }
  return { ok: true, fn: forms.length === 0 ? undefined : (s) => forms.reduce((t, f) => t.normalize(f), s) };
}
