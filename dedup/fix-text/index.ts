/**
 * fixText: what Python ftfy 6.1.1's `fix_text(text, normalization="NFC")` does to text (zyda-spec §5 step 1),
 * written from ftfy's documentation and checked against its output (test/fixtures/ftfy.json.gz). Where its
 * documentation leaves a decision to a heuristic (which lines are mojibake), the tables are measured by asking
 * ftfy itself (test/fixtures/make_ftfy_badness.py).
 */
import { fixCharacters } from './char-pass.js';
import { removeTerminalEscapes } from './chars.js';
import { unescapeHtml } from './html.js';
import { isBad } from './badness.js';
import { fixEncoding } from './mojibake.js';

/**
 * Text that no step can change: printable ASCII but '&', tabs, line feeds and form feeds. The other ASCII units
 * are C0 controls (removed, or \r made a line break), DEL (removed) and '&' (HTML entities); every other step
 * (mojibake, C1 controls, ligatures, width, quotes, Unicode line breaks and controls, surrogates, NFC) needs a
 * unit above U+007F.
 */
const UNTOUCHABLE = /^[\t\n\f\x20-\x25\x27-\x7e]*$/;

/** Whether fixText may change text holding this ASCII unit (for scans that skip fixText on the others). */
export function fixTextMayChangeAscii(unit: number): boolean {
  return !UNTOUCHABLE.test(String.fromCharCode(unit));
}

/**
 * ftfy fixes each line (split after '\n') on its own, each until it stops changing. HTML unescaping stops for
 * good at the first line that holds a '<'.
 */
export function fixText(text: string): string {
  if (UNTOUCHABLE.test(text)) return text;
  const lines = text.split('\n');
  let html = true;
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = i < lines.length - 1 ? lines[i] + '\n' : lines[i]!;
    if (html && line.includes('<')) html = false;
    out += UNTOUCHABLE.test(line) ? line : fixSegment(line, html);
  }
  return out;
}

function fixSegment(segment: string, html: boolean): string {
  let t = segment;
  for (;;) {
    const before = t;
    t = html && t.includes('&') ? unescapeHtml(t) : t;
    if (t.includes('\u001b')) t = removeTerminalEscapes(t);
    t = fixEncoding(t);
    const encodingDone = t;
    t = fixCharacters(t).normalize('NFC');
    if (t === before) return t;
    // Changed by the character steps and NFC alone: another round can only change it through an entity, or
    // through mojibake the new characters made visible; both steps after those leave their own output alone
    // (the test of char-pass.ts checks it), and none of them writes '&' or ESC.
    if (encodingDone === before && !(html && t.includes('&')) && !isBad(t)) return t;
  }
}
