/**
 * ftfy's character-by-character fixes (fix_latin_ligatures, fix_character_width, uncurl_quotes,
 * fix_line_breaks, remove_control_chars, remove_terminal_escapes), as its documentation describes them and as
 * probing every code point of ftfy's functions confirms.
 */
import { CODEPAGES } from './codepages.js';

const SLOPPY_1252 = CODEPAGES.find(([name]) => name === 'sloppy-windows-1252')![1];

/** Latin ligatures and digraph letters, spelled out; ligatures of other scripts stay. */
const LIGATURES: Record<string, string> = {
  '\u0132': 'IJ', '\u0133': 'ij', '\u0149': '\u02bcn', '\u01c4': 'D\u017d', '\u01c5': 'D\u017e', '\u01c6': 'd\u017e',
  '\u01c7': 'LJ', '\u01c8': 'Lj', '\u01c9': 'lj', '\u01ca': 'NJ', '\u01cb': 'Nj', '\u01cc': 'nj',
  '\u01f1': 'DZ', '\u01f2': 'Dz', '\u01f3': 'dz',
  '\ufb00': 'ff', '\ufb01': 'fi', '\ufb02': 'fl', '\ufb03': 'ffi', '\ufb04': 'ffl', '\ufb05': '\u017ft', '\ufb06': 'st',
};
const LIGATURE_RE = /[\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\ufb00-\ufb06]/g;

export function fixLatinLigatures(text: string): string {
  return text.replace(LIGATURE_RE, (c) => LIGATURES[c]!);
}

/** Fullwidth forms and the ideographic space become their NFKC halfwidth form, halfwidth katakana and hangul their fullwidth one. */
const WIDTH_RE = /[\u3000\uff01-\uffee]/g;

export function fixCharacterWidth(text: string): string {
  return text.replace(WIDTH_RE, (c) => c.normalize('NFKC'));
}

const SINGLE_QUOTES = /[\u02bc\u2018-\u201b]/g;
const DOUBLE_QUOTES = /[\u201c-\u201f]/g;

export function uncurlQuotes(text: string): string {
  return text.replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"');
}

const LINE_BREAKS = /\r\n|[\r\u0085\u2028\u2029]/g;

export function fixLineBreaks(text: string): string {
  return text.replace(LINE_BREAKS, '\n');
}

/** ASCII controls other than \t \n \f \r, deprecated Arabic format controls, the BOM and interlinear annotations. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u206a-\u206f\ufeff\ufff9-\ufffc]/g;

export function removeControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}

/** ANSI CSI sequences (ESC [ parameters final-letter). */
const TERMINAL_ESCAPES = /\u001b\[(?:\d|;)*[a-zA-Z]/g;

export function removeTerminalEscapes(text: string): string {
  return text.replace(TERMINAL_ESCAPES, '');
}

/**
 * Bytes 0x80-0x9F as Windows-1252 reads them, from ftfy's sloppy codec (codepages.ts), where the five bytes
 * Windows-1252 leaves undefined read as the C1 control of the same number.
 */
export const C1_TO_CP1252: readonly string[] = Array.from({ length: 0x20 }, (_, i) => SLOPPY_1252[0x80 + i]!);
export const CP1252_UNDEFINED = new Set(C1_TO_CP1252.flatMap((c, i) => (c.charCodeAt(0) === 0x80 + i ? [0x80 + i] : [])));

/** C1 controls are read as the Windows-1252 characters they stand for; the five it leaves undefined stay. */
export function fixC1Controls(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => C1_TO_CP1252[c.charCodeAt(0) - 0x80]!);
}

/** Lone surrogates become U+FFFD; paired ones already are one character in a JavaScript string. */
export function fixSurrogates(text: string): string {
  const s = text as string & { isWellFormed(): boolean; toWellFormed(): string };
  return s.isWellFormed() ? text : s.toWellFormed();
}
