/**
 * fixText: what Python ftfy's `fix_text(text, normalization="NFC")` does to text (zyda-spec §5 step 1),
 * written from ftfy's documentation and checked against its output (test/fixtures/ftfy.json.gz).
 * Mojibake repair is a first approximation (mojibake.ts): when ftfy leaves look-alike text alone is not yet known.
 */
import { fixC1Controls, fixCharacterWidth, fixLatinLigatures, fixLineBreaks, removeControlChars, fixSurrogates, removeTerminalEscapes, uncurlQuotes } from './chars.js';
import { unescapeHtml } from './html.js';
import { decodeInconsistentUtf8, fixWholeLine } from './mojibake.js';

/**
 * ftfy fixes each line (split after '\n') on its own, each until it stops changing. HTML unescaping stops for
 * good at the first line that holds a '<'.
 */
export function fixText(text: string): string {
  const lines = text.split('\n');
  let html = true;
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = i < lines.length - 1 ? lines[i] + '\n' : lines[i]!;
    if (html && line.includes('<')) html = false;
    out += fixSegment(line, html);
  }
  return out;
}

function fixSegment(segment: string, html: boolean): string {
  let t = segment;
  for (;;) {
    const next = fixOnce(t, html);
    if (next === t) return t;
    t = next;
  }
}

function fixOnce(segment: string, html: boolean): string {
  let t = html ? unescapeHtml(segment) : segment;
  t = removeTerminalEscapes(t);
  t = decodeInconsistentUtf8(fixWholeLine(t));
  t = fixC1Controls(t);
  t = fixLatinLigatures(t);
  t = fixCharacterWidth(t);
  t = uncurlQuotes(t);
  t = fixLineBreaks(t);
  t = fixSurrogates(t);
  t = removeControlChars(t);
  return t.normalize('NFC');
}
