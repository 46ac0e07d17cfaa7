// PROVISIONAL: stands in for filters/words/spacy-en.ts until the words branch lands; removed at the merge.
const PUNCT = /^[\p{P}\p{S}]$/u;

export function datatroveWords(text: string): string[] {
  const out: string[] = [];
  for (const chunk of text.split(/\s+/u)) {
    if (!chunk) continue;
    const cs = [...chunk];
    let a = 0;
    let b = cs.length;
    const pre: string[] = [];
    const suf: string[] = [];
    while (a < b && PUNCT.test(cs[a])) pre.push(cs[a++]);
    while (b > a && PUNCT.test(cs[b - 1])) suf.unshift(cs[--b]);
    out.push(...pre);
    if (b > a) out.push(cs.slice(a, b).join(''));
    out.push(...suf);
  }
  return out;
}

export function datatroveSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/u).map((s) => s.trim()).filter(Boolean);
}

// PROVISIONAL debugging aid: datatrove's own tokens for known texts, to check the filters apart from the tokenizer.
import { readFileSync } from 'node:fs';
const oracle = process.env.ZYDA_ORACLE_TOKENS ? (JSON.parse(readFileSync(process.env.ZYDA_ORACLE_TOKENS, 'utf8')) as { words: Record<string, string[]>; sentences: Record<string, number> }) : undefined;
const crudeWords = datatroveWords;
const crudeSentences = datatroveSentences;
export function oracleWords(text: string): string[] {
  const w = oracle?.words[text];
  if (oracle && !w) throw new Error('oracle: unknown text');
  return w ?? crudeWords(text);
}
export function oracleSentences(text: string): string[] {
  const n = oracle?.sentences[text];
  if (oracle && n === undefined) throw new Error('oracle: unknown line ' + JSON.stringify(text));
  return n === undefined ? crudeSentences(text) : Array.from({ length: n }, () => 'x');
}
