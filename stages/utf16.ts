/**
 * A text's UTF-16 units as a Uint16Array. Loops that index a typed array run several times faster than
 * loops over charCodeAt, which checks the string's representation on every call; copying the units out
 * first is one native call. Lone surrogates are copied as they are.
 */
let bytes = Buffer.alloc(1 << 16);
let units = view(bytes);

function view(b: Buffer): Uint16Array {
  return new Uint16Array(b.buffer, b.byteOffset, b.length >> 1);
}

/** Buffer's "ucs2" is little-endian; a Uint16Array is in the machine's order. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The units of `text` in its first text.length slots, in a buffer shared by every call: valid until the next
 * call, and longer than the text.
 */
export function unitsOf(text: string): Uint16Array {
  const n = text.length;
  if (n > units.length) {
    bytes = Buffer.alloc(2 * n + 1024);
    units = view(bytes);
  }
  if (LITTLE_ENDIAN) bytes.write(text, 0, 2 * n, 'utf16le');
  else for (let i = 0; i < n; i++) units[i] = text.charCodeAt(i);
  return units;
}
