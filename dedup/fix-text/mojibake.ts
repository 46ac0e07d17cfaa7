/**
 * Mojibake: UTF-8 bytes that were decoded as Windows-1252 or Latin-1. A first approximation of ftfy's
 * fix_encoding: a line that re-encodes to bytes and decodes as UTF-8 holding a multi-byte sequence is
 * replaced whole, and otherwise each run that spells one UTF-8 character is decoded on its own. ftfy's
 * judgement of when such text is legitimate is not reproduced yet (see test/unit/fix-text.test.ts's lists).
 */
import { C1_TO_CP1252 } from './chars.js';

/** Characters to the byte they came from: Latin-1 for U+0000-U+00FF, else Windows-1252's 0x80-0x9F. */
const TO_BYTE = (() => {
  const m = new Map<number, number>();
  for (let b = 0; b < 0x100; b++) m.set(b, b);
  C1_TO_CP1252.forEach((c, i) => m.set(c.charCodeAt(0), 0x80 + i));
  return m;
})();

const utf8 = new TextDecoder('utf-8', { fatal: true });

function toBytes(text: string): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = TO_BYTE.get(text.charCodeAt(i));
    if (b === undefined) return undefined;
    out[i] = b;
  }
  return out;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A byte sequence that starts a multi-byte UTF-8 character. */
const HAS_MULTIBYTE = /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/;

export function fixWholeLine(line: string): string {
  if (!HAS_MULTIBYTE.test(line)) return line;
  const bytes = toBytes(line);
  if (bytes === undefined) return line;
  return decodeUtf8(bytes) ?? line;
}

/** Continuation bytes as they show after a misread lead byte; 0x85, 0x8C, 0x8E and 0xA5 are left out as ftfy does. */
const CONT = '[\\u0080-\\u0084\\u0086-\\u008b\\u008d\\u008f-\\u00a4\\u00a6-\\u00bf\\u0153\\u0160\\u0161\\u0178\\u017e\\u0192\\u02c6\\u02dc\\u2013\\u2014\\u2018-\\u201a\\u201c-\\u201e\\u2020-\\u2022\\u2030\\u2039\\u203a\\u20ac\\u2122]';
const UTF8_RUN = new RegExp(`[\\u00c2-\\u00df]${CONT}|[\\u00e0-\\u00ef]${CONT}{2}|[\\u00f0-\\u00f4]${CONT}{3}`, 'g');

export function decodeInconsistentUtf8(line: string): string {
  return line.replace(UTF8_RUN, (run) => {
    const bytes = toBytes(run);
    return (bytes && decodeUtf8(bytes)) ?? run;
  });
}
