import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linesOfTextRange } from '../../io/readers/text-range.js';
import { textRanges } from '../../runtime/text-ranges.js';

/** A deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/** Text of lines of 0 to `longest` bytes (some empty), ending with a newline or not. */
function text(rnd: () => number, lines: number, longest: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) parts.push('x'.repeat(Math.floor(rnd() * rnd() * longest)) + `${i}`);
  return Buffer.from(parts.join('\n') + (rnd() < 0.5 ? '\n' : ''));
}

/** The stream in chunks of random sizes; it fails once `failAt` bytes are out, as a damaged archive does. */
async function* chunked(buf: Buffer, rnd: () => number, failAt = Infinity): AsyncGenerator<Buffer> {
  let pos = 0;
  while (pos < Math.min(buf.length, failAt)) {
    const n = Math.min(1 + Math.floor(rnd() * 300), Math.min(buf.length, failAt) - pos);
    yield buf.subarray(pos, pos + n);
    pos += n;
  }
  if (failAt <= buf.length) throw new Error('damaged');
}

interface Read {
  lines: { line: number; text: string }[];
  failed: boolean;
}

/** Reads a range as the JSON lines reader does: whole lines from the chunks, numbered from the first. */
async function readRange(buf: Buffer, range: { from: number; to?: number }, rnd: () => number, failAt?: number): Promise<Read> {
  let line = 1;
  const chunks: Buffer[] = [];
  let failed = false;
  try {
    for await (const c of linesOfTextRange(() => chunked(buf, rnd, failAt), range, 1, () => {}, (first) => (line = first))) chunks.push(c);
  } catch {
    failed = true;
  }
  const got = Buffer.concat(chunks).toString('latin1');
  const parts = got.split('\n');
  // A whole read leaves a last line without its newline, or an empty string after the last newline.
  if (parts[parts.length - 1] === '' || failed) parts.pop();
  return { lines: parts.map((t, i) => ({ line: line + i, text: t })), failed };
}

test('ranges of a stream share its lines out whole, each once, with the numbers of a whole read', async () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rnd = random(seed);
    const buf = text(rnd, 1 + Math.floor(rnd() * 60), rnd() < 0.2 ? 2000 : 80);
    const whole = await readRange(buf, { from: 0 }, rnd);
    const k = 1 + Math.floor(rnd() * 6);
    // Cuts anywhere, also past the end of the stream (a stated size larger than the real one).
    const size = Math.floor(buf.length * (0.5 + rnd()));
    const cuts = Array.from({ length: k - 1 }, () => Math.floor(rnd() * size)).sort((a, b) => a - b);
    const ranges = [0, ...cuts].map((from, i) => (i < cuts.length ? { from, to: cuts[i] } : { from }));
    const split = [];
    for (const r of ranges) split.push(...(await readRange(buf, r, rnd)).lines);
    assert.deepEqual(split, whole.lines, `seed ${seed}, cuts ${cuts}`);
  }
});

test('a stream that fails is reported by one range, the one reading where it fails, after the same lines', async () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rnd = random(seed);
    const buf = text(rnd, 1 + Math.floor(rnd() * 40), 120);
    const failAt = Math.floor(rnd() * (buf.length + 1));
    const whole = await readRange(buf, { from: 0 }, rnd, failAt);
    assert.ok(whole.failed);
    const k = 2 + Math.floor(rnd() * 5);
    const cuts = Array.from({ length: k - 1 }, () => Math.floor(rnd() * buf.length)).sort((a, b) => a - b);
    const ranges = [0, ...cuts].map((from, i) => (i < cuts.length ? { from, to: cuts[i] } : { from }));
    const reads = [];
    for (const r of ranges) reads.push(await readRange(buf, r, rnd, failAt));
    assert.equal(reads.filter((r) => r.failed).length, 1, `seed ${seed}: one range reports the damage at ${failAt}, cuts ${cuts}`);
    assert.deepEqual(reads.flatMap((r) => r.lines), whole.lines, `seed ${seed}`);
    // The reading stops at the damage in the reporting range, with the next line's number as a whole read has it.
    const at = reads.findIndex((r) => r.failed);
    assert.ok(reads.slice(at + 1).every((r) => r.lines.length === 0), `seed ${seed}: no range after the damage reads a line`);
  }
});

test('progress counts only the range, up to its share of the file', async () => {
  const buf = Buffer.from('a\nbb\nccc\n'.repeat(1000));
  let told = 0;
  const open = (onRead: (n: number) => void) => (async function* () {
    for (let pos = 0; pos < buf.length; pos += 100) {
      onRead(10);
      yield buf.subarray(pos, pos + 100);
    }
  })();
  for await (const _ of linesOfTextRange(open, { from: 4500, to: 6000 }, 120, (n) => (told += n), () => {})) void _;
  assert.ok(told > 0 && told <= 120, `told ${told}`);
});

test('text ranges: equal cuts of the decompressed size, shares of the file summing to its size, 4 MiB of text at least, four at most', () => {
  const MiB = 1 << 20;
  assert.deepEqual(textRanges(1000, 3 * MiB, MiB), [{ bytes: 1000 }], 'less text than two ranges need');
  assert.deepEqual(textRanges(1000, 20 * MiB, 32 * MiB), [{ bytes: 1000 }], 'less text than a task');
  const r = textRanges(1001, 40 * MiB, 10 * MiB);
  assert.deepEqual(r.map((t) => t.textRange), [{ from: 0, to: 10 * MiB }, { from: 10 * MiB, to: 20 * MiB }, { from: 20 * MiB, to: 30 * MiB }, { from: 30 * MiB }]);
  assert.equal(r.reduce((n, t) => n + t.bytes, 0), 1001);
  assert.equal(textRanges(1000, 1000 * MiB, MiB).length, 4);
  assert.equal(textRanges(1000, 10 * MiB, MiB).length, 2);
  assert.equal(textRanges(1000, 10 * MiB, 6 * MiB).length, 2);
});
