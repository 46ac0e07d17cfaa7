import { fixText } from './fix-text/index.js';
import type { NormalizePreset } from './normalize-versions.js';

/**
 * Text normalisation before shingling. `zyda` is zyda-spec §5: ftfy's fix_text with NFC (fixText), lowercase,
 * delete ASCII punctuation, collapse whitespace, split on spaces, then what nltk's word tokenizer still does to
 * such text: its contraction splits and «» as tokens of their own. `datatrove` lowercases, removes all Unicode
 * punctuation, collapses whitespace and can strip accents and map digits to 0.
 */
export interface NormalizeOptions {
  preset: NormalizePreset;
  stripAccents?: boolean;
  digitsToZero?: boolean;
}

const ASCII_PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const UNICODE_PUNCT = /[\p{P}\p{S}]/gu;
const WHITESPACE = /\s+/gu;
/**
 * nltk's MacIntyre contractions, split after their third letter as NLTKWordTokenizer does: at Python's word
 * boundaries (\w is a letter, a number or '_'), so also when glued to a symbol (x©cannot), and case-blind as
 * Python's re is, where i also matches ı. wanna splits only before whitespace, i.e. at the token's end.
 */
export const MAY_CONTRACT = /cannot|g[iı]mme|gonna|gotta|lemme|wanna/;
const MACINTYRE = /(?<![\p{L}\p{N}_])(?:(?:cannot|g[iı]mme|gonna|gotta|lemme)(?![\p{L}\p{N}_])|wanna$)/gu;

/** A space-free token as nltk's contraction rules leave it: itself, or its pieces. */
export function nltkContractions(token: string): string[] {
  if (!MAY_CONTRACT.test(token)) return [token];
  return token.replace(MACINTYRE, (m) => ` ${m.slice(0, 3)} ${m.slice(3)} `).split(' ').filter(Boolean);
}

export function normalizeWords(text: string, o: NormalizeOptions): string[] {
  let t = o.preset === 'zyda' ? fixText(text).toLowerCase().replace(ASCII_PUNCT, '') : text.toLowerCase().replace(UNICODE_PUNCT, ' ');
  if (o.stripAccents) t = t.normalize('NFD').replace(/\p{M}/gu, '');
  if (o.digitsToZero) t = t.replace(/\p{Nd}/gu, '0');
  t = t.replace(WHITESPACE, ' ').trim();
  if (t === '') return [];
  const words = t.split(' ');
  if (o.preset !== 'zyda') return words;
  const out: string[] = [];
  // « and » are tokens of their own; nltk's contraction rules then match at word boundaries, so «cannot» splits too.
  for (const w of words.flatMap((x) => (x.includes('«') || x.includes('»') ? x.split(/([«»])/).filter(Boolean) : [x]))) out.push(...nltkContractions(w));
  return out;
}
