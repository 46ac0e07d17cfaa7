import type { OnRead } from './byte-stream.js';

/**
 * The lines that begin in decompressed bytes [from, to) of a stream read from its start (Task.textRange), the
 * last one read on past `to` to its end; no `to`: to the end of the stream. Before its first chunk it tells
 * `onFirstLine` the 1-based number of its first line, counted over the bytes it passed. The ranges of one file
 * share its lines out whole, each to one range, however the cuts fall.
 *
 * A read error met before the range's first line is not this range's to report: the range that holds the
 * position reads up to it and reports it, and what lies after it can be read by none. Progress (`onRead`) is
 * told only once the range begins, and never more than `bytes`, the range's share of the file on disk.
 */
export async function* linesOfTextRange(open: (onRead: OnRead) => AsyncIterable<Buffer>, range: { from: number; to?: number }, bytes: number, onRead: OnRead, onFirstLine: (line: number) => void): AsyncGenerator<Buffer> {
  const to = range.to ?? Infinity;
  if (range.from >= to) return;
  let pos = 0;
  let newlines = 0;
  let begun = range.from === 0;
  if (begun) onFirstLine(1);
  let told = 0;
  const source = open((n) => {
    const add = begun ? Math.min(n, bytes - told) : 0;
    if (add > 0) onRead(add);
    told += add;
  })[Symbol.asyncIterator]();
  try {
    for (;;) {
      const chunk = await nextOf(source, begun);
      if (chunk === undefined) break;
      let start = 0;
      if (!begun) {
        // The line before the range ends at the first newline at or after byte from - 1.
        const nl = chunk.indexOf(10, Math.max(0, range.from - 1 - pos));
        if (nl === -1) {
          newlines += countNewlines(chunk, 0, chunk.length);
          pos += chunk.length;
          continue;
        }
        newlines += countNewlines(chunk, 0, nl) + 1;
        start = nl + 1;
        if (pos + start >= to) return;
        begun = true;
        onFirstLine(newlines + 1);
      }
      if (pos + chunk.length >= to) {
        const end = chunk.indexOf(10, Math.max(start, to - 1 - pos));
        if (end !== -1) {
          yield chunk.subarray(start, end + 1);
          return;
        }
      }
      pos += chunk.length;
      yield start === 0 ? chunk : chunk.subarray(start);
    }
  } finally {
    await source.return?.();
  }
}

/** The next chunk, or undefined at the end; an error before the range begins ends it quietly (see above). */
async function nextOf(source: AsyncIterator<Buffer>, begun: boolean): Promise<Buffer | undefined> {
  try {
    const r = await source.next();
    return r.done ? undefined : r.value;
  } catch (err) {
    if (begun) throw err;
    return undefined;
  }
}

function countNewlines(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, start); i !== -1 && i < end; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
