import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { constants, crc32, createInflateRaw } from 'node:zlib';
import { chunksThrough } from './chunks.js';
import { INFLATE_READ_BYTES, inflateUntilDamage, isDataError } from './inflate-until-damage.js';
import { StreamError } from './stream-error.js';

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/**
 * The decompressed bytes of a gzip file, member after member (a concatenated .gz is one file to gzip).
 *
 * Each member's deflate data goes through a raw inflater, which stops at the end of the member and says how
 * many bytes it took: what follows is found here, not by zlib's gunzip. That one, on bytes after a member that
 * are not another member, fails and loses the output of its last step, the end of the member before them.
 * Here every member is read to its end first, and what follows is judged after: zero padding is allowed, any
 * other bytes are a corrupt_file problem once all the documents before them are out. Damage inside a member's
 * deflate data is met by the same loss, and the output before it is recovered by inflateUntilDamage.
 */
export async function* gunzipMembers(file: string, onRead: (fileBytes: number) => void = () => {}): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    let offset = 0;
    // How far into the file the chunks yielded so far reach: the inflater's input position.
    let told = 0;
    const tell = (position: number) => {
      if (position > told) onRead(position - told);
      told = Math.max(told, position);
    };
    for (let member = 0; offset < size || member === 0; member++) {
      const header = await readHeader(fh, file, offset, size, member);
      if (header === 'end') return;
      const body = offset + header;
      const inflater = createInflateRaw({ chunkSize: 1 << 20, finishFlush: constants.Z_SYNC_FLUSH });
      // Small reads: the stream is dropped at the member's end, and what it read beyond is read again for the next.
      const source = createReadStream(file, { start: body, highWaterMark: INFLATE_READ_BYTES });
      let crc = 0;
      let length = 0;
      try {
        for await (const chunk of chunksThrough(source, inflater)) {
          crc = crc32(chunk, crc);
          length += chunk.length;
          tell(body + inflater.bytesWritten);
          yield chunk;
        }
      } catch (err) {
        if (!isDataError(err)) throw err;
        yield* inflateUntilDamage(file, body, inflater.bytesWritten, length);
        throw err;
      }
      // The inflater stops at the member's end, or when the file ends first: then no trailer follows.
      const trailer = body + inflater.bytesWritten;
      inflater.destroy();
      if (trailer + 8 > size) throw new StreamError('truncated_file', `${file}: truncated compressed stream (unexpected end of file in gzip member ${member + 1})`);
      const { buffer } = await fh.read(Buffer.alloc(8), 0, 8, trailer);
      if (buffer.readUInt32LE(0) !== crc >>> 0 || buffer.readUInt32LE(4) !== length % 2 ** 32) {
        throw new StreamError('corrupt_file', `${file}: corrupt compressed stream (gzip member ${member + 1} fails its CRC or length check)`);
      }
      offset = trailer + 8;
      tell(offset);
    }
  } finally {
    await fh.close();
  }
}

/** The length of the gzip header at `offset`; 'end' when only zero padding is left after the last member. */
async function readHeader(fh: FileHandle, file: string, offset: number, size: number, member: number): Promise<number | 'end'> {
  const room = Buffer.allocUnsafe(Math.min(64 << 10, size - offset));
  const probe = room.subarray(0, (await fh.read(room, 0, room.length, offset)).bytesRead);
  if (member > 0 && !(probe[0] === 0x1f && probe[1] === 0x8b)) {
    if (await onlyZeros(fh, offset, size)) return 'end';
    throw new StreamError('corrupt_file', `${file}: corrupt compressed stream (trailing garbage: ${size - offset} bytes after gzip member ${member}, from byte ${offset}, are not gzip data)`);
  }
  if (probe.length < 10) throw new StreamError('truncated_file', `${file}: truncated compressed stream (unexpected end of file in a gzip header)`);
  if (probe[0] !== 0x1f || probe[1] !== 0x8b || probe[2] !== 8) throw new StreamError('corrupt_file', `${file}: corrupt compressed stream (not in gzip format: incorrect header check)`);
  const flags = probe[3];
  let at = 10;
  if (flags & FEXTRA) at += 2 + (at + 2 <= probe.length ? probe.readUInt16LE(at) : 0);
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const zero = probe.indexOf(0, at);
    at = zero === -1 ? probe.length + 1 : zero + 1;
  }
  if (flags & FHCRC) at += 2;
  if (at > probe.length) {
    if (probe.length < size - offset) throw new StreamError('corrupt_file', `${file}: corrupt compressed stream (a gzip header longer than 64 kB)`);
    throw new StreamError('truncated_file', `${file}: truncated compressed stream (unexpected end of file in a gzip header)`);
  }
  return at;
}

async function onlyZeros(fh: FileHandle, offset: number, size: number): Promise<boolean> {
  const buf = Buffer.alloc(Math.min(1 << 20, size - offset));
  for (let at = offset; at < size; at += buf.length) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - at), at);
    for (let i = 0; i < bytesRead; i++) if (buf[i] !== 0) return false;
  }
  return true;
}
