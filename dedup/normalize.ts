/**
 * Text normalisation before shingling. `zyda` follows zyda-spec §5 as far as it can be done without ftfy and
 * nltk: NFC, lowercase, delete ASCII punctuation, collapse whitespace, split on spaces, then nltk's
 * contraction splits and «» as their own tokens. (ftfy's mojibake repairs are not reproduced; they change
 * few shingles on clean text.) `datatrove` lowercases, removes all Unicode punctuation, collapses whitespace
 * and can strip accents and map digits to 0.
 */
export type NormalizePreset = 'zyda' | 'datatrove';

export interface NormalizeOptions {
  preset: NormalizePreset;
  stripAccents?: boolean;
  digitsToZero?: boolean;
}

const ASCII_PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const UNICODE_PUNCT = /[\p{P}\p{S}]/gu;
const WHITESPACE = /\s+/gu;
/** nltk's MacIntyre contractions, split as NLTKWordTokenizer does. */
const CONTRACTIONS = new Map<string, string[]>([['cannot', ['can', 'not']], ['gimme', ['gim', 'me']], ['gonna', ['gon', 'na']], ['gotta', ['got', 'ta']], ['lemme', ['lem', 'me']], ['wanna', ['wan', 'na']]]);

export function normalizeWords(text: string, o: NormalizeOptions): string[] {
  let t = o.preset === 'zyda' ? text.normalize('NFC').toLowerCase().replace(ASCII_PUNCT, '') : text.toLowerCase().replace(UNICODE_PUNCT, ' ');
  if (o.stripAccents) t = t.normalize('NFD').replace(/\p{M}/gu, '');
  if (o.digitsToZero) t = t.replace(/\p{Nd}/gu, '0');
  t = t.replace(WHITESPACE, ' ').trim();
  if (t === '') return [];
  const words = t.split(' ');
  if (o.preset !== 'zyda') return words;
  const out: string[] = [];
  // « and » are tokens of their own; nltk's contraction rules then match at word boundaries, so «cannot» splits too.
  for (const w of words.flatMap((x) => (x.includes('«') || x.includes('»') ? x.split(/([«»])/).filter(Boolean) : [x]))) {
    const c = CONTRACTIONS.get(w);
    if (c) out.push(...c);
    else out.push(w);
  }
  return out;
}
