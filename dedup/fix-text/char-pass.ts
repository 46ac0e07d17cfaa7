/**
 * The character steps that ftfy runs after fix_encoding (fix_c1_controls, fix_latin_ligatures,
 * fix_character_width, uncurl_quotes, fix_line_breaks, fix_surrogates, remove_control_chars), in one pass over
 * the text: each character that one of them touches maps to what the chain of chars.ts's functions makes of it.
 * Their order matters (a C1 0x85 is Windows-1252's '…' before it could be a line break), and the table keeps it.
 */
import { fixC1Controls, fixCharacterWidth, fixLatinLigatures, fixLineBreaks, fixSurrogates, removeControlChars, uncurlQuotes } from './chars.js';

/** Every code unit that one of the steps changes, alone or as part of a pair (\r\n, surrogate pairs): first, last. */
const TARGETS: readonly (readonly [number, number])[] = [
  [0x0000, 0x0008], [0x000b, 0x000b], [0x000d, 0x001f], [0x007f, 0x009f], [0x0132, 0x0133], [0x0149, 0x0149],
  [0x01c4, 0x01cc], [0x01f1, 0x01f3], [0x02bc, 0x02bc], [0x2018, 0x201f], [0x2028, 0x2029], [0x206a, 0x206f],
  [0x3000, 0x3000], [0xd800, 0xdfff], [0xfb00, 0xfb06], [0xfeff, 0xfeff], [0xff01, 0xffee], [0xfff9, 0xfffc],
];

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

/**
 * A private-use character that no step touches or produces. The steps work character by character (a lone
 * `\r` or surrogate is what it is alone), so one run of the chain over every target, each between two of
 * these, gives what it makes of each alone, and costs a few calls instead of seven per target.
 */
const APART = '\ue000';

function buildCharTable(): CharTable {
  const t: CharTable = { touched: new Uint8Array(0x10000), replacement: new Map() };
  const units: number[] = [];
  for (const [first, last] of TARGETS) for (let u = first; u <= last; u++) units.push(u);
  const alone = chainOfSteps(APART + units.map((u) => String.fromCharCode(u)).join(APART) + APART).split(APART);
  if (alone.length !== units.length + 2) throw new Error('char-pass: a step touched the separator');
  units.forEach((u, i) => {
    t.touched[u] = 1;
    t.replacement.set(u, alone[i + 1]);
  });
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
