/**
 * ftfy's unescape_html: HTML5 named and numeric character references, each only with its closing ';'.
 * A name in all capitals that is not itself an entity is read as its lowercase entity, capitalised.
 */
import { fixC1Controls } from './chars.js';
import { HTML5_ENTITIES } from './html-entities.js';

let table: Map<string, string> | undefined;
function entities(): Map<string, string> {
  table ??= new Map(HTML5_ENTITIES.split('\n').map((l) => l.split('\t') as [string, string]));
  return table;
}

function numeric(n: number): string {
  // HTML5 reads the references 0x80-0x9F as Windows-1252 bytes.
  if (n >= 0x80 && n <= 0x9f) return fixC1Controls(String.fromCharCode(n));
  if (n === 0 || (n >= 0xd800 && n <= 0xdfff) || n > 0x10ffff) return '\ufffd';
  if (isInvalidCodepoint(n)) return '';
  return String.fromCodePoint(n);
}

/** Controls and noncharacters that HTML5 reports as parse errors; Python's html module drops them. */
function isInvalidCodepoint(n: number): boolean {
  return (n >= 0x1 && n <= 0x8) || n === 0xb || (n >= 0xe && n <= 0x1f) || (n >= 0x7f && n <= 0x9f) || (n >= 0xfdd0 && n <= 0xfdef) || (n & 0xfffe) === 0xfffe;
}

const REFERENCE = /&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));/g;

export function unescapeHtml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return numeric(dec.length > 8 ? 0x110000 : Number.parseInt(dec, 10));
    if (hex !== undefined) return numeric(hex.length > 7 ? 0x110000 : Number.parseInt(hex, 16));
    const t = entities();
    const exact = t.get(name!);
    if (exact !== undefined) return exact;
    if (name === name!.toUpperCase()) {
      const lower = t.get(name!.toLowerCase());
      if (lower !== undefined) return lower.toUpperCase();
    }
    return whole;
  });
}
