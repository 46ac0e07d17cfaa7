/**
 * Zyda's rules are Python `re` patterns on `str`. Python and JavaScript disagree on several classes and anchors;
 * these are the Python meanings, written for JS regexes with the `u` flag.
 */

/** Python `\s` on str: str.isspace(), which adds U+001C–U+001F and U+0085 to JS `\s` and drops U+FEFF. */
export const PY_SPACE = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python `\w` on str: alphanumeric (letters and every numeric category) or underscore; JS `\w` is ASCII-only. */
export const PY_WORD = '\\p{L}\\p{N}_';
/** Python `\d` on str: decimal digits of every script. */
export const PY_DIGIT = '\\p{Nd}';

/**
 * Rewrites a Python pattern into a JS one: `\s`, `\S`, `\w`, `\W`, `\d`, `\D` get Python's classes; `.` excludes
 * only `\n` (JS also excludes `\r`, U+2028 and U+2029); `$` also matches before one final `\n`.
 */
export function pyToJs(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1];
      i++;
      const cls = n === 's' || n === 'S' ? PY_SPACE : n === 'w' || n === 'W' ? PY_WORD : n === 'd' || n === 'D' ? PY_DIGIT : undefined;
      if (cls === undefined) out += '\\' + n;
      else if (inClass) {
        if (n !== n.toLowerCase()) throw new Error(`negated class \\${n} inside [...] is not supported: ${pattern}`);
        out += cls;
      } else out += n === n.toLowerCase() ? `[${cls}]` : `[^${cls}]`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '.') out += '[^\\n]';
    else if (c === '$') out += '(?=\\n?$)';
    else out += c;
  }
  return out;
}

export function pyRegex(pattern: string): RegExp {
  return new RegExp(pyToJs(pattern), 'gu');
}

/** Non-overlapping, left-to-right matches, as Python's re.findall counts them. */
export function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    n++;
    if (m[0].length === 0) re.lastIndex++;
  }
  return n;
}

/** Python's len(): code points, not UTF-16 units. */
export function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
