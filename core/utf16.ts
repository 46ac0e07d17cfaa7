/**
 * A text's UTF-16 units as a Uint16Array. Loops that index a typed array run several times faster than
 * loops over charCodeAt, which checks the string's representation on every call; copying the units out
 * first is one native call. Lone surrogates are copied as they are.
 */
function view(b: Buffer): Uint16Array {
  return new Uint16Array(b.buffer, b.byteOffset, b.length >> 1);
}

/** Buffer's "ucs2" is little-endian; a Uint16Array is in the machine's order. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A buffer of texts' units, one text at a time, grown as needed; for a holder that reads them across calls. */
export class UnitBuffer {
  private bytes: Buffer;
  private units: Uint16Array;

  constructor(initialUnits = 1 << 15) {
    this.bytes = Buffer.alloc(2 * initialUnits);
    this.units = view(this.bytes);
  }

  /** The units of `text` in its first text.length slots: valid until this buffer's next fill, and longer than the text. */
  fill(text: string): Uint16Array {
    const n = text.length;
    if (n > this.units.length) {
      this.bytes = Buffer.alloc(2 * n + 1024);
      this.units = view(this.bytes);
    }
    if (LITTLE_ENDIAN) this.bytes.write(text, 0, 2 * n, 'utf16le');
    else for (let i = 0; i < n; i++) this.units[i] = text.charCodeAt(i);
    return this.units;
  }
}

const shared = new UnitBuffer();

/**
 * The units of `text` in its first text.length slots, in a buffer shared by every call: valid until the next
 * call, and longer than the text.
 */
export function unitsOf(text: string): Uint16Array {
  return shared.fill(text);
}
