import { closeSync, openSync, readSync } from 'node:fs';

const FRAME_MAGIC = 0xfd2fb528;
/** Skippable frames (pzstd puts one before each frame) have magics 0x184D2A50 to 0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

/**
 * Where each frame of a zstd file starts (RFC 8878), found from the frame and block headers alone, without
 * decompressing: a decoder may start at any of them. Undefined when the headers do not add up to the file's
 * size (damaged or truncated), so such a file stays one task and its reader reports the damage.
 */
export function zstdFrameStarts(file: string, size: number): number[] | undefined {
  return zstdFrames(file, size)?.map((f) => f.start);
}

/**
 * What a zstd file decompresses to, from the frame headers' content sizes; undefined when a frame does not
 * state its size (a stream compressed from a pipe). A file whose headers do not add up (truncated, damaged)
 * gives what its first frame states, as far as it goes.
 */
export function zstdContentSize(file: string, size: number): number | undefined {
  const frames = zstdFrames(file, size) ?? zstdFrames(file, size, true);
  if (!frames || frames.some((f) => f.contentSize === undefined)) return undefined;
  return frames.reduce((n, f) => n + f.contentSize!, 0);
}

interface Frame {
  start: number;
  /** Decompressed bytes, as the header states them; 0 for a skippable frame. */
  contentSize?: number;
}

/** The file's frames, or with `firstOnly` those up to its first data frame; undefined where the headers do not add up. */
function zstdFrames(file: string, size: number, firstOnly = false): Frame[] | undefined {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(18);
  const read = (pos: number, n: number): Buffer | undefined => (pos + n <= size && readSync(fd, buf, 0, n, pos) === n ? buf : undefined);
  try {
    const frames: Frame[] = [];
    let pos = 0;
    while (pos < size) {
      const head = read(pos, 5);
      if (!head) return undefined;
      const magic = head.readUInt32LE(0);
      if ((magic & SKIPPABLE_MASK) === SKIPPABLE_MAGIC) {
        frames.push({ start: pos, contentSize: 0 });
        const skip = read(pos + 4, 4);
        if (!skip) return undefined;
        pos += 8 + skip.readUInt32LE(0);
        continue;
      }
      if (magic !== FRAME_MAGIC) return undefined;
      const descriptor = head[4];
      frames.push({ start: pos, contentSize: contentSize(read, pos + 4, descriptor) });
      if (firstOnly) return frames;
      const end = frameEnd(read, pos + 4, descriptor);
      if (end === undefined) return undefined;
      pos = end;
    }
    return pos === size ? frames : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Frame_Content_Size of the frame whose header descriptor byte is at `at`, if the header has one. */
function contentSize(read: (pos: number, n: number) => Buffer | undefined, at: number, descriptor: number): number | undefined {
  const flag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const bytes = flag === 0 ? singleSegment : [0, 2, 4, 8][flag];
  if (bytes === 0) return undefined;
  const b = read(at + 1 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3], bytes);
  if (!b) return undefined;
  // A 2-byte field holds the size less 256.
  if (bytes === 1) return b[0];
  if (bytes === 2) return b.readUInt16LE(0) + 256;
  if (bytes === 4) return b.readUInt32LE(0);
  return Number(b.readBigUInt64LE(0));
}

/** The end of a frame whose header descriptor byte is at `at`: past its header, its blocks and its checksum. */
function frameEnd(read: (pos: number, n: number) => Buffer | undefined, at: number, descriptor: number): number | undefined {
  const contentSizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const checksum = (descriptor >> 2) & 1;
  const dictionaryIdBytes = [0, 1, 2, 4][descriptor & 3];
  const contentSizeBytes = contentSizeFlag === 0 ? singleSegment : [0, 2, 4, 8][contentSizeFlag];
  let pos = at + 1 + (singleSegment ? 0 : 1) + dictionaryIdBytes + contentSizeBytes;
  for (;;) {
    const b = read(pos, 3);
    if (!b) return undefined;
    const header = b[0] | (b[1] << 8) | (b[2] << 16);
    const type = (header >> 1) & 3;
    if (type === 3) return undefined;
    // A run-length block stores one byte, whatever its size; raw and compressed blocks store `size` bytes.
    pos += 3 + (type === 1 ? 1 : header >>> 3);
    if (header & 1) break;
  }
  return pos + (checksum ? 4 : 0);
}
