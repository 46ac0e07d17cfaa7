/** How a doc's text becomes the model's input. */
export interface Preparation {
  /** Code points read from the start of the doc (0 = all), as Python's `text[:max_chars]` counts them. */
  maxChars: number;
  newlines: 'space' | 'keep';
  lowercase: boolean;
}

/** Each run of \r and \n becomes one space: a fastText model reads one line, and stops at the first newline. */
const NEWLINES = /[\r\n]+/g;

export function prepareText(text: string, p: Preparation): string {
  let t = p.maxChars > 0 ? firstCodePoints(text, p.maxChars) : text;
  if (p.newlines === 'space') t = t.replace(NEWLINES, ' ');
  return p.lowercase ? t.toLowerCase() : t;
}

function firstCodePoints(text: string, n: number): string {
  if (text.length <= n) return text;
  let units = 0;
  for (let i = 0; i < n && units < text.length; i++) {
    const c = text.charCodeAt(units);
    const next = text.charCodeAt(units + 1);
    units += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return text.slice(0, units);
}
