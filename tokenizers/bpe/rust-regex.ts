/**
 * Pre-tokenizer patterns are written for Rust's regex engines (tiktoken: fancy-regex; HF tokenizers: Oniguruma).
 * JavaScript differs on three points that change token counts, so patterns are rewritten before compiling:
 * - `\s` in JS also matches U+FEFF and misses U+0085; Rust follows Unicode White_Space exactly.
 * - JS (Node 20) has no possessive quantifiers (`++`, `?+`, `{1,3}+`). In these patterns each possessive
 *   quantifier is followed by nothing its operand could give back, so the greedy form matches the same text.
 * - JS (Node 20) has no inline `(?i:…)` groups; they are expanded into explicit case classes, including
 *   Unicode simple case folding (`s` also matches U+017F LONG S, `k` U+212A KELVIN SIGN).
 */

/** Unicode White_Space, as Rust's `\s` matches it, written for use inside a character class. */
export const RUST_WHITESPACE = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const FOLDS: Record<string, string> = { s: 'sS\\u017f', k: 'kK\\u212a' };

export function toJsPattern(pattern: string): string {
  let out = '';
  let inClass = false;
  let caseless = 0;
  const groups: boolean[] = [];
  // Whether the last thing written was a quantifier, so a `+` right after it makes it possessive.
  let afterQuantifier = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const wasQuantifier: boolean = afterQuantifier;
    afterQuantifier = false;
    if (c === '\\') {
      const next = pattern[i + 1];
      i++;
      if (next === 's') out += inClass ? RUST_WHITESPACE : `[${RUST_WHITESPACE}]`;
      else if (next === 'S') {
        if (inClass) throw new Error(`\\S inside a character class is not supported: ${pattern}`);
        out += `[^${RUST_WHITESPACE}]`;
      } else if (next === 'p' || next === 'P') {
        // Copy a property escape whole, so its name is not case-expanded.
        const end = pattern.indexOf('}', i);
        out += '\\' + pattern.slice(i, end + 1);
        i = end;
      } else out += '\\' + next;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      if (caseless > 0 && /[a-zA-Z]/.test(c)) {
        if (pattern[i + 1] === '-' || pattern[i - 1] === '-') throw new Error(`a range inside (?i:…) is not supported: ${pattern}`);
        const lower = c.toLowerCase();
        out += FOLDS[lower] ?? lower + lower.toUpperCase();
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?i:', i)) {
        groups.push(true);
        caseless++;
        out += '(?:';
        i += 3;
      } else {
        groups.push(false);
        out += c;
      }
      continue;
    }
    if (c === ')') {
      if (groups.pop()) caseless--;
      out += c;
      continue;
    }
    // A `+` after a quantifier makes it possessive; drop it (see above).
    if (c === '+' && wasQuantifier) continue;
    if (c === '{') {
      const end = pattern.indexOf('}', i);
      out += pattern.slice(i, end + 1);
      i = end;
      afterQuantifier = true;
      continue;
    }
    if (c === '+' || c === '*' || c === '?') {
      out += c;
      afterQuantifier = c !== '?' || !wasQuantifier;
      continue;
    }
    if (caseless > 0 && /[a-zA-Z]/.test(c)) {
      const lower = c.toLowerCase();
      out += `[${FOLDS[lower] ?? lower + lower.toUpperCase()}]`;
      continue;
    }
    out += c;
  }
  return out;
}

export function compileRustPattern(pattern: string): RegExp {
  return new RegExp(toJsPattern(pattern), 'gu');
}
