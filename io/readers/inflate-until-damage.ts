import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { constants, createInflateRaw } from 'node:zlib';
import { chunksThrough } from './chunks.js';

/** The read size of a raw inflater's input: zlib fails within one write, so the damage is within this of where it stopped. */
export const INFLATE_READ_BYTES = 256 << 10;

// Bytes zlib may have taken into its bit buffer before the last output it gave: the damage can begin there.
const HELD_BYTES = 4 << 10;

/** True for zlib's "the deflate data is invalid", as against a read error or a cut-off. */
export function isDataError(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'Z_DATA_ERROR';
}

/**
 * The raw deflate data at `start` in `file`, decoded again up to the damage an inflater met after taking
 * `consumed` bytes and giving `given` bytes of output; yields what comes after those `given` bytes.
 *
 * zlib drops the output of the write in which it finds the damage, up to a whole read's worth. Here the part
 * before the damage is fed again in large writes, and from just before where the first inflater stopped, one byte
 * per write: the write that fails then holds one byte, and every byte decodable before it has come out.
 * Ends at the damage; the caller raises the first inflater's error.
 */
export async function* inflateUntilDamage(file: string, start: number, consumed: number, given: number): AsyncGenerator<Buffer> {
  const bytewiseFrom = start + Math.max(0, consumed - HELD_BYTES);
  const bytewiseEnd = start + consumed + INFLATE_READ_BYTES;
  const inflater = createInflateRaw({ chunkSize: 1 << 20, finishFlush: constants.Z_SYNC_FLUSH });
  let skip = given;
  try {
    for await (const chunk of chunksThrough(Readable.from(replayInput(file, start, bytewiseFrom, bytewiseEnd)), inflater)) {
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      yield skip > 0 ? chunk.subarray(skip) : chunk;
      skip = 0;
    }
  } catch (err) {
    if (!isDataError(err)) throw err;
  }
}

/** [start, bytewiseFrom) of the file in large reads, then [bytewiseFrom, bytewiseEnd) one byte at a time. */
async function* replayInput(file: string, start: number, bytewiseFrom: number, bytewiseEnd: number): AsyncGenerator<Buffer> {
  if (bytewiseFrom > start) {
    yield* createReadStream(file, { start, end: bytewiseFrom - 1, highWaterMark: INFLATE_READ_BYTES }) as AsyncIterable<Buffer>;
  }
  const fh = await open(file, 'r');
  let region: Buffer;
  try {
    const room = Buffer.allocUnsafe(bytewiseEnd - bytewiseFrom);
    region = room.subarray(0, (await fh.read(room, 0, room.length, bytewiseFrom)).bytesRead);
  } finally {
    await fh.close();
  }
  for (let i = 0; i < region.length; i++) yield region.subarray(i, i + 1);
}
