/**
 * Mojibake: text whose UTF-8 bytes were decoded with a single-byte code page. As ftfy documents fix_encoding,
 * a line is only touched when it looks bad (badness.ts); then the code pages are tried in order, and the first
 * whose bytes, repaired (byte-repairs.ts), decode as UTF-8 gives the fix. Failing that, runs inside the line
 * that look bad on their own are fixed alone; text that is Latin-1 with C1 controls is read again as
 * Windows-1252, and any C1 controls left become its characters. Repeats until stable.
 */
import { isBad } from './badness.js';
import { isCont, replaceLossySequences, restoreByteA0 } from './byte-repairs.js';
import { C1_TO_CP1252, CP1252_UNDEFINED, fixC1Controls } from './chars.js';
import { CODEPAGES } from './codepages.js';
import { CONT, LEAD2, LEAD3, LEAD4, NO_RUN_AFTER } from './utf8-runs-table.js';

interface Codepage {
  name: string;
  /** UTF-16 unit → byte + 1 for the characters the page has, 0 for the others. */
  toByte: Uint16Array;
  /** A 'sloppy' page: U+FFFD in the text stands for a byte that was lost. */
  lossy: boolean;
}

const PAGES: Codepage[] = CODEPAGES.map(([name, chars]) => {
  const toByte = new Uint16Array(0x10000);
  for (let b = 0; b < 256; b++) toByte[chars.charCodeAt(b)] = b + 1;
  return { name, toByte, lossy: name.startsWith('sloppy-') };
});
const LATIN_1 = 'latin-1';
const SLOPPY_1252 = 'sloppy-windows-1252';

function encode(text: string, page: Codepage): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = page.toByte[text.charCodeAt(i)]!;
    if (b === 0) return undefined;
    out[i] = b - 1;
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * UTF-8, and where the bytes hold 0xC0 or 0xED, its variants too: CESU-8 surrogate pairs and Java's C0 80 for
 * U+0000. A lone encoded surrogate stays an error.
 */
function decodeUtf8Variants(bytes: Uint8Array): string | undefined {
  let b = bytes;
  if (bytes.includes(0xc0) || bytes.includes(0xed)) b = standardizeVariants(bytes);
  try {
    return strictUtf8.decode(b);
  } catch {
    return undefined;
  }
}

function standardizeVariants(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0xc0 && bytes[i + 1] === 0x80) {
      out.push(0);
      i++;
    } else if (b === 0xed && isHighSurrogateSeq(bytes, i) && bytes[i + 3] === 0xed && isLowSurrogateSeq(bytes, i + 3)) {
      const hi = 0xd000 | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      const lo = 0xd000 | ((bytes[i + 4]! & 0x3f) << 6) | (bytes[i + 5]! & 0x3f);
      out.push(...Buffer.from(String.fromCharCode(hi, lo), 'utf8'));
      i += 5;
    } else {
      out.push(b);
    }
  }
  return Uint8Array.from(out);
}

const isHighSurrogateSeq = (bytes: Uint8Array, i: number): boolean => bytes[i + 1]! >= 0xa0 && bytes[i + 1]! <= 0xaf && isCont(bytes[i + 2]);
const isLowSurrogateSeq = (bytes: Uint8Array, i: number): boolean => bytes[i + 1]! >= 0xb0 && bytes[i + 1]! <= 0xbf && isCont(bytes[i + 2]);

const NON_ASCII = /[^\u0000-\u007f]/;
const C1 = /[\u0080-\u009f]/;

export function fixEncoding(text: string): string {
  for (;;) {
    const next = fixEncodingStep(text);
    if (next === text) return text;
    text = next;
  }
}

function fixEncodingStep(text: string): string {
  if (!NON_ASCII.test(text) || !isBad(text)) return text;
  const possible = new Set<string>();
  for (const page of PAGES) {
    const bytes = encode(text, page);
    if (bytes === undefined) continue;
    possible.add(page.name);
    let repaired = restoreByteA0(bytes);
    if (page.lossy) repaired = replaceLossySequences(repaired);
    const decoded = decodeUtf8Variants(repaired);
    if (decoded !== undefined) return decoded;
  }
  const runsFixed = decodeInconsistentUtf8(text);
  if (runsFixed !== text) return runsFixed;
  if (possible.has(LATIN_1)) {
    if (possible.has(SLOPPY_1252)) return text;
    const asWindows1252 = latin1AsWindows1252(text);
    if (asWindows1252 !== undefined && asWindows1252 !== text) return asWindows1252;
  }
  if (C1.test(text)) return fixC1Controls(text);
  return text;
}

/** Latin-1 text read again as Windows-1252; undefined where a byte has no Windows-1252 character. */
function latin1AsWindows1252(text: string): string | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 || c > 0x9f) out += text[i];
    else if (CP1252_UNDEFINED.has(c)) return undefined;
    else out += C1_TO_CP1252[c - 0x80];
  }
  return out;
}

const charClass = (chars: string): string => `[${[...chars].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`;
const UTF8_RUN = new RegExp(
  `(?<!${charClass(NO_RUN_AFTER)})(?:${charClass(LEAD2)}${charClass(CONT)}|${charClass(LEAD3)}${charClass(CONT)}{2}|${charClass(LEAD4)}${charClass(CONT)}{3})+`,
  'g',
);

/** Runs that spell misread UTF-8 inside otherwise correct text (utf8-runs-table.ts), each fixed alone when it looks bad. */
export function decodeInconsistentUtf8(text: string): string {
  return text.replace(UTF8_RUN, (run) => (run.length < text.length && isBad(run) ? fixEncoding(run) : run));
}
