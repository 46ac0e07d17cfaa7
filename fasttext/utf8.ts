/**
 * UTF-8 bytes of s[from, to) exactly as Emscripten's stringToUTF8 writes them, which is how fasttext.wasm.js
 * hands text to fastText. For well-formed text that is standard UTF-8. A surrogate code unit, paired or
 * not, always takes the next code unit with it (whatever it is, or 0 past the end) and the two become one
 * 4-byte sequence built from their low 10 bits each: lone surrogates are not replaced by U+FFFD.
 * `out` needs room for 3 bytes per code unit, plus 1.
 */
export function encodeUtf8(s: string, from: number, to: number, out: Uint8Array): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    let u = s.charCodeAt(i);
    if (u >= 0xd800 && u <= 0xdfff) {
      // charCodeAt past the end is NaN, and NaN & 0x3ff is 0, as in Emscripten.
      const next = s.charCodeAt(++i);
      u = (0x10000 + ((u & 0x3ff) << 10)) | (next & 0x3ff);
    }
    if (u <= 0x7f) out[n++] = u;
    else if (u <= 0x7ff) {
      out[n++] = 0xc0 | (u >> 6);
      out[n++] = 0x80 | (u & 0x3f);
    } else if (u <= 0xffff) {
      out[n++] = 0xe0 | (u >> 12);
      out[n++] = 0x80 | ((u >> 6) & 0x3f);
      out[n++] = 0x80 | (u & 0x3f);
    } else {
      out[n++] = 0xf0 | (u >> 18);
      out[n++] = 0x80 | ((u >> 12) & 0x3f);
      out[n++] = 0x80 | ((u >> 6) & 0x3f);
      out[n++] = 0x80 | (u & 0x3f);
    }
  }
  return n;
}

const encoder = new TextEncoder();

/**
 * A whole line's bytes, as encodeUtf8 gives them. A well-formed string (no lone surrogate) is plain UTF-8,
 * which the native encoder writes several times faster. `out` needs room for 3 bytes per code unit, plus 1.
 */
export function encodeLine(s: string, out: Uint8Array): number {
  // String.prototype.isWellFormed is in Node 20 but not yet in TypeScript's ES2023 lib.
  if ((s as unknown as { isWellFormed(): boolean }).isWellFormed()) return encoder.encodeInto(s, out).written;
  return encodeUtf8(s, 0, s.length, out);
}
