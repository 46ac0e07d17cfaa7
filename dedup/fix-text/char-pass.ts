/**
 * The character steps that ftfy runs after fix_encoding (fix_c1_controls, fix_latin_ligatures,
 * fix_character_width, uncurl_quotes, fix_line_breaks, fix_surrogates, remove_control_chars), in one pass over
 * the text: each character that one of them touches maps to what the chain of chars.ts's functions makes of it.
 * Their order matters (a C1 0x85 is Windows-1252's '…' before it could be a line break), and the table keeps it.
 */
import { fixC1Controls, fixCharacterWidth, fixLatinLigatures, fixLineBreaks, fixSurrogates, removeControlChars, uncurlQuotes } from './chars.js';

/** Every code unit that one of the steps changes, alone or as part of a pair (\r\n, surrogate pairs). */
const TARGETS = /[\u0000-\u0008\u000b\u000d-\u001f\u007f-\u009f\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\u02bc\u2018-\u201f\u2028\u2029\u206a-\u206f\u3000\ud800-\udfff\ufb00-\ufb06\ufeff\uff01-\uffee\ufff9-\ufffc]/;

export function chainOfSteps(text: string): string {
  let t = fixC1Controls(text);
  t = fixLatinLigatures(t);
  t = fixCharacterWidth(t);
  t = uncurlQuotes(t);
  t = fixLineBreaks(t);
  t = fixSurrogates(t);
  return removeControlChars(t);
}

/** What the chain makes of each code unit it touches: worked out on first use, as only text fixing needs it. */
interface CharTable {
  touched: Uint8Array;
  replacement: Map<number, string>;
}

let charTable: CharTable | undefined;

function buildCharTable(): CharTable {
  const t: CharTable = { touched: new Uint8Array(0x10000), replacement: new Map() };
  for (let u = 0; u < 0x10000; u++) {
    const c = String.fromCharCode(u);
    if (!TARGETS.test(c)) continue;
    t.touched[u] = 1;
    t.replacement.set(u, chainOfSteps(c));
  }
  return t;
}

const CR = 0x0d;
const LF = 0x0a;
const isHigh = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

/** chainOfSteps(text), returning text itself when nothing changes. */
export function fixCharacters(text: string): string {
  const { touched, replacement: replacements } = (charTable ??= buildCharTable());
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (touched[u] === 0) continue;
    let width = 1;
    let replacement: string;
    if (isHigh(u) && isLow(text.charCodeAt(i + 1))) {
      i++;
      continue;
    } else if (u === CR && text.charCodeAt(i + 1) === LF) {
      width = 2;
      replacement = '\n';
    } else {
      replacement = replacements.get(u)!;
    }
    out += text.slice(copied, i) + replacement;
    copied = i + width;
    i += width - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
