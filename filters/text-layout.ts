import { SPACE, unitClass } from './char-classes.js';
import { UnitBuffer } from '../core/utf16.js';
import { RangeInterner, reallocate } from './text-interner.js';

/**
 * Where a text's words, content lines and paragraphs are, found in one pass over its UTF-16 units without
 * building substrings:
 * - a word is a maximal run of non-`\s` (`/\S+/gu`; whitespace is never a surrogate, so units will do);
 * - a content line is a `\n`-separated line, trimmed, if not empty: exactly the words between two `\n`s;
 * - a paragraph is a `/\n{2,}/`-separated block, trimmed, if not empty: the words between two such runs.
 * A trimmed line or paragraph therefore runs from its first word's start to its last word's end. (`trim`
 * removes exactly the `\s` set.)
 *
 * The filters of a chain look at one doc's text in a row, and only C4 changes it, so `layoutOf` keeps the
 * layout of the last text it was asked for and reuses it while the text is the same. Each derived figure
 * (word ids, repeated lines, …) is computed on first request. The object is reused for the next text:
 * read it within one filter call, never keep it.
 */
export class TextLayout {
  text = '';
  wordCount = 0;
  wordStart = new Int32Array(16);
  wordEnd = new Int32Array(16);
  /** wordHash() of each word: equal words hash equal (it only guides the exact interner). */
  wordHash = new Int32Array(16);
  /** The union of the char-classes.ts classes and marks of each word's units. */
  wordFlags = new Uint8Array(16);
  /** Content line k is words lineWord[k] … lineWord[k + 1] − 1, on `\n`-separated line lineRaw[k] (from 0). */
  lineCount = 0;
  lineWord = new Int32Array(16);
  lineRaw = new Int32Array(16);
  /** Paragraph k is words paraWord[k] … paraWord[k + 1] − 1. */
  paraCount = 0;
  paraWord = new Int32Array(16);
  newlines = 0;

  private wordIdsOf = new Int32Array(16);
  idFirst = new Int32Array(16);
  idCount = new Int32Array(16);
  private distinctWordCount = -1;
  private lineRepeatOf: Uint8Array = new Uint8Array(16);
  private lineRepeatsDone = false;
  /** Per content line, once lineRepeats() is done: its line's id, equal ids for equal lines. */
  private lineIdOf = new Int32Array(16);
  private lineSeen = new Uint8Array(16);
  private paraRepeatOf: Uint8Array = new Uint8Array(16);
  private paraRepeatsDone = false;
  private readonly interner = new RangeInterner();
  /** The text's units, copied out on first need: loops over them beat loops over charCodeAt. */
  private readonly unitBuffer = new UnitBuffer(1 << 12);
  private unitsOfText: Uint16Array | undefined;

  /** Forgets the last text; room for `most` words (and lines, paragraphs). */
  private start(text: string, most: number): void {
    this.text = text;
    this.unitsOfText = undefined;
    this.distinctWordCount = -1;
    this.lineRepeatsDone = false;
    this.paraRepeatsDone = false;
    if (reallocate(this.wordStart.length, most + 1)) {
      this.wordStart = new Int32Array(most + 1);
      this.wordEnd = new Int32Array(most + 1);
      this.wordHash = new Int32Array(most + 1);
      this.wordFlags = new Uint8Array(most + 1);
      this.lineWord = new Int32Array(most + 1);
      this.lineRaw = new Int32Array(most + 1);
      this.paraWord = new Int32Array(most + 1);
    }
  }

  scan(text: string): void {
    // Words alternate with whitespace, so there are at most ⌈length / 2⌉ of them (and of lines, paragraphs).
    this.start(text, (text.length + 1) >> 1);
    const { wordStart, wordEnd, wordHash, wordFlags, lineWord, lineRaw, paraWord } = this;
    const n = text.length;
    const u = this.units();
    let words = 0;
    let lines = 0;
    let paras = 0;
    let newlines = 0;
    // A line (paragraph) starts at the first word after a `\n` (a run of 2+ `\n`), or at the text's first word.
    let lineBreak = true;
    let paraBreak = true;
    let i = 0;
    for (;;) {
      // The whitespace before a word: where lines and paragraphs break.
      let prevNewline = false;
      let c = 0;
      let k = 0;
      for (; i < n; i++) {
        c = u[i];
        k = unitClass(c);
        if (!(k & SPACE)) break;
        if (c === NEWLINE) {
          newlines++;
          lineBreak = true;
          if (prevNewline) paraBreak = true;
          prevNewline = true;
        } else prevNewline = false;
      }
      if (i >= n) break;
      if (lineBreak) {
        lineRaw[lines] = newlines;
        lineWord[lines++] = words;
        lineBreak = false;
      }
      if (paraBreak) {
        paraWord[paras++] = words;
        paraBreak = false;
      }
      wordStart[words] = i;
      let h = 0;
      let flags = 0;
      do {
        h = (Math.imul(h, HASH_BASE) + (c | 32)) | 0;
        flags |= k;
        if (++i >= n) break;
        c = u[i];
        k = unitClass(c);
      } while (!(k & SPACE));
      wordEnd[words] = i;
      wordHash[words] = h;
      wordFlags[words] = flags;
      words++;
    }
    lineWord[lines] = words;
    paraWord[paras] = words;
    this.wordCount = words;
    this.lineCount = lines;
    this.paraCount = paras;
    this.newlines = newlines;
  }

  /**
   * Makes this the layout of `lines` joined by `\n`, and returns that text, without scanning it: a line given
   * by number is content line k of `source`, whose words are copied (shifted); a line given as a string must be
   * trimmed and without `\n` (blank is ''), and is scanned. The result is what scan() of the text would give,
   * as the line, paragraph and newline bookkeeping below replays scan()'s over the `\n`s between the lines.
   */
  join(source: TextLayout, lines: (number | string)[]): string {
    const { wordStart: fromStart, wordEnd: fromEnd, wordHash: fromHash, wordFlags: fromFlags, lineWord: fromLine } = source;
    const pieces = lines.map((l) => (typeof l === 'number' ? source.text.slice(source.lineStart(l), source.lineEnd(l)) : l));
    const text = pieces.join('\n');
    let most = source.wordCount;
    for (const l of lines) if (typeof l === 'string') most += (l.length + 1) >> 1;
    this.start(text, most);
    const { wordStart, wordEnd, wordHash, wordFlags, lineWord, lineRaw, paraWord } = this;
    let words = 0;
    let lineCount = 0;
    let paras = 0;
    let newlines = 0;
    let paraBreak = true;
    let prevNewline = false;
    let offset = 0;
    for (let j = 0; j < lines.length; j++) {
      if (j > 0) {
        newlines++;
        if (prevNewline) paraBreak = true;
        prevNewline = true;
      }
      const piece = pieces[j];
      if (piece.length > 0) {
        // Trimmed and not empty: it starts with a word, the first after a `\n` (or the text's first).
        lineRaw[lineCount] = newlines;
        lineWord[lineCount++] = words;
        if (paraBreak) {
          paraWord[paras++] = words;
          paraBreak = false;
        }
        prevNewline = false;
        const l = lines[j];
        if (typeof l === 'number') {
          const last = fromLine[l + 1];
          const shift = offset - fromStart[fromLine[l]];
          for (let w = fromLine[l]; w < last; w++, words++) {
            wordStart[words] = fromStart[w] + shift;
            wordEnd[words] = fromEnd[w] + shift;
            wordHash[words] = fromHash[w];
            wordFlags[words] = fromFlags[w];
          }
        } else words = this.scanWords(text, offset, offset + piece.length, words);
      }
      offset += piece.length + 1;
    }
    lineWord[lineCount] = words;
    paraWord[paras] = words;
    this.wordCount = words;
    this.lineCount = lineCount;
    this.paraCount = paras;
    this.newlines = newlines;
    if (source.lineRepeatsDone && lines.every((l) => typeof l === 'number' || l === '')) this.keepLineRepeats(source, lines);
    return text;
  }

  /**
   * The line repeats of a join of whole lines of `source` (and blanks), from the source's line ids: a line
   * repeats when its id came before among the lines kept. Spares interning the same lines a second time.
   */
  private keepLineRepeats(source: TextLayout, lines: (number | string)[]): void {
    if (reallocate(this.lineRepeatOf.length, this.lineCount)) this.lineRepeatOf = new Uint8Array(this.lineCount);
    if (reallocate(this.lineIdOf.length, this.lineCount)) this.lineIdOf = new Int32Array(this.lineCount);
    if (reallocate(this.lineSeen.length, source.lineCount)) this.lineSeen = new Uint8Array(source.lineCount);
    const { lineRepeatOf: out, lineIdOf: ids, lineSeen: seen } = this;
    seen.fill(0, 0, source.lineCount);
    let k = 0;
    for (const l of lines) {
      if (typeof l !== 'number') continue;
      const id = source.lineIdOf[l];
      ids[k] = id;
      out[k++] = seen[id];
      seen[id] = 1;
    }
    this.lineRepeatsDone = true;
  }

  /**
   * Adds the words of text[from, to), which holds no `\n`, as scan() would; returns the new word count. The
   * word loop repeats scan()'s on purpose: one shared method, called per word, makes scan() measurably slower.
   */
  private scanWords(text: string, from: number, to: number, words: number): number {
    const { wordStart, wordEnd, wordHash, wordFlags } = this;
    let i = from;
    while (i < to) {
      let c = text.charCodeAt(i);
      let k = unitClass(c);
      if (k & SPACE) {
        i++;
        continue;
      }
      wordStart[words] = i;
      let h = 0;
      let flags = 0;
      do {
        h = (Math.imul(h, HASH_BASE) + (c | 32)) | 0;
        flags |= k;
        if (++i >= to) break;
        c = text.charCodeAt(i);
        k = unitClass(c);
      } while (!(k & SPACE));
      wordEnd[words] = i;
      wordHash[words] = h;
      wordFlags[words] = flags;
      words++;
    }
    return words;
  }

  /** The text's UTF-16 units, in its first text.length slots. */
  private units(): Uint16Array {
    return (this.unitsOfText ??= this.unitBuffer.fill(this.text));
  }

  /**
   * Each word as a dense id, equal ids for equal words, numbered in order of first occurrence;
   * `distinctWords` is how many ids there are. Also fills, per id, its first word (idFirst) and how many
   * words have it (idCount).
   */
  wordIds(): Int32Array {
    if (this.distinctWordCount < 0) {
      const n = this.wordCount;
      if (reallocate(this.wordIdsOf.length, n)) {
        this.wordIdsOf = new Int32Array(n);
        this.idFirst = new Int32Array(n);
        this.idCount = new Int32Array(n);
      }
      const { wordIdsOf: ids, idFirst, idCount, wordStart, wordEnd, wordHash, interner } = this;
      interner.reset(this.units(), n);
      let distinct = 0;
      for (let i = 0; i < n; i++) {
        const id = interner.intern(wordStart[i], wordEnd[i], wordHash[i]);
        ids[i] = id;
        if (id === distinct) {
          distinct++;
          idFirst[id] = i;
          idCount[id] = 1;
        } else idCount[id]++;
      }
      this.distinctWordCount = distinct;
    }
    return this.wordIdsOf;
  }

  get distinctWords(): number {
    this.wordIds();
    return this.distinctWordCount;
  }

  /** Per content line: 1 if an equal line came before it. */
  lineRepeats(): Uint8Array {
    if (!this.lineRepeatsDone) {
      if (reallocate(this.lineIdOf.length, this.lineCount)) this.lineIdOf = new Int32Array(this.lineCount);
      this.lineRepeatOf = this.repeats(this.lineWord, this.lineCount, this.lineRepeatOf, this.lineIdOf);
      this.lineRepeatsDone = true;
    }
    return this.lineRepeatOf;
  }

  /** Per paragraph: 1 if an equal paragraph came before it. */
  paraRepeats(): Uint8Array {
    // Every paragraph starts a line, so as many paragraphs as lines are the lines (as in most web pages).
    if (this.paraCount === this.lineCount) return this.lineRepeats();
    if (!this.paraRepeatsDone) {
      this.paraRepeatOf = this.repeats(this.paraWord, this.paraCount, this.paraRepeatOf, undefined);
      this.paraRepeatsDone = true;
    }
    return this.paraRepeatOf;
  }

  /** Where content line k starts and ends (trimmed). */
  lineStart(k: number): number {
    return this.wordStart[this.lineWord[k]];
  }

  lineEnd(k: number): number {
    return this.wordEnd[this.lineWord[k + 1] - 1];
  }

  /** UTF-16 length of content line or paragraph k, given its first-word array. */
  spanLength(firstWord: Int32Array, k: number): number {
    return this.wordEnd[firstWord[k + 1] - 1] - this.wordStart[firstWord[k]];
  }

  /**
   * Lines and paragraphs are interned by their exact units; their hash is built from their words' hashes and
   * the lengths of the gaps between them, which equal spans share.
   */
  private repeats(firstWord: Int32Array, count: number, into: Uint8Array, ids: Int32Array | undefined): Uint8Array {
    const out = reallocate(into.length, count) ? new Uint8Array(count) : into;
    if (count === 1) {
      out[0] = 0;
      if (ids) ids[0] = 0;
      return out;
    }
    const { wordStart, wordEnd, wordHash, interner } = this;
    interner.reset(this.units(), count);
    for (let k = 0; k < count; k++) {
      const first = firstWord[k];
      const last = firstWord[k + 1] - 1;
      let h = wordHash[first];
      for (let w = first + 1; w <= last; w++) h = (Math.imul(h, SPAN_BASE) + wordHash[w] + wordStart[w] - wordEnd[w - 1]) | 0;
      const before = interner.size;
      const id = interner.intern(wordStart[first], wordEnd[last], h);
      out[k] = id < before ? 1 : 0;
      if (ids) ids[k] = id;
    }
    return out;
  }
}

const NEWLINE = 10;
const HASH_BASE = 0x01000193;

/**
 * The hash the scan gives a word, computed as it is there. Each unit counts with bit 5 set, so a word and its
 * ASCII lower-case hash alike (what StopWords relies on); it is still a function of the units, as interning
 * needs.
 */
export function wordHash(s: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, HASH_BASE) + (s.charCodeAt(i) | 32)) | 0;
  return h;
}
const SPAN_BASE = 0x2c1b3c6d;

/**
 * The layouts of the last two texts asked for: a chain looks at a doc's text, then (after C4) at its cleaned
 * text, whose layout C4 makes by joining lines of the first. A layout it returns holds until two other texts
 * have been asked for: read it within one filter call, never keep it.
 */
export class LayoutCache {
  private readonly layouts = [new TextLayout(), new TextLayout()];
  private newest = 0;

  /** The layout of `text`, reused while the filters of a chain look at the same text. */
  of(text: string): TextLayout {
    const { layouts } = this;
    if (layouts[this.newest].text === text) return layouts[this.newest];
    if (layouts[1 - this.newest].text === text) return layouts[1 - this.newest];
    this.newest = 1 - this.newest;
    layouts[this.newest].scan(text);
    return layouts[this.newest];
  }

  /**
   * Lines joined by `\n` (see TextLayout.join; numbers are content lines of `source`, a layout this cache
   * returned and still holds), with the layout of the result kept.
   */
  join(source: TextLayout, lines: (number | string)[]): string {
    const target = this.layouts[0] === source ? 1 : 0;
    if (this.layouts[1 - target] !== source) throw new Error('join: the source layout is not one this cache holds');
    const text = this.layouts[target].join(source, lines);
    this.newest = target;
    return text;
  }
}

/**
 * One cache for all the filters of this thread, on purpose: the filters of a chain read the same text's
 * layout one after another, and a cache per filter would scan and index each text once per filter. Filters
 * run one call at a time, so sharing it is safe as long as no filter keeps a layout past its call.
 */
const threadLayouts = new LayoutCache();

export function layoutOf(text: string): TextLayout {
  return threadLayouts.of(text);
}

export function joinLines(source: TextLayout, lines: (number | string)[]): string {
  return threadLayouts.join(source, lines);
}
