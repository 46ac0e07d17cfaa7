import { PairInterner, reallocate } from './text-interner.js';
import type { TextLayout } from './text-layout.js';

/** What the n-grams are read from: a layout's words, or any words given the same way. */
export type NgramWords = Pick<TextLayout, 'wordCount' | 'wordStart' | 'wordEnd' | 'wordIds' | 'distinctWords' | 'idFirst' | 'idCount'>;

/**
 * A doc's word n-grams as classes, for n = 1, 2, 3, … in turn: two n-grams share a class exactly when their
 * words are equal. No n-gram string is built and no hash stands for a key: the 1-grams are the word ids, and
 * the (n+1)-gram at i is the pair (n-gram at i, n-gram at i + 1), interned exactly.
 *
 * Only n-grams that occur more than once matter to Gopher's figures, and an (n+1)-gram can only repeat where
 * the n-grams at i and i + 1 both do. So each level keeps the list of positions whose n-gram repeats, and the
 * next level looks only at neighbours in that list; it empties within a few levels on ordinary text.
 */
export class NgramClasses {
  n = 0;
  private words = 0;
  private layout: NgramWords | undefined;
  /** Positions whose n-gram occurs more than once, ascending; the first `live` entries are in use. */
  private active = new Int32Array(16);
  private live = 0;
  /** Per live position: its n-gram's class. */
  private cls = new Int32Array(16);
  /** Per class of the current level: where it first occurs, and how often. */
  private first = new Int32Array(16);
  private occurrences = new Int32Array(16);
  private classes = 0;
  private covered = 0;
  /** prefix[i]: characters (a word's end − start) in words 0 … i − 1. */
  private prefix = new Int32Array(16);
  private readonly pairs = new PairInterner();
  /** Per class: met yet by greedyDuplicateChars. */
  private seen = new Uint8Array(16);

  /** Starts over at n = 0 on the words of a layout. */
  reset(t: NgramWords): void {
    const words = t.wordCount;
    const { wordStart, wordEnd } = t;
    this.n = 0;
    this.words = words;
    this.layout = t;
    this.classes = 0;
    this.covered = 0;
    this.live = 0;
    if (reallocate(this.cls.length, words)) {
      this.seen = new Uint8Array(words);
      this.cls = new Int32Array(words);
      this.active = new Int32Array(words);
      this.first = new Int32Array(words);
      this.occurrences = new Int32Array(words);
    }
    if (reallocate(this.prefix.length, words + 1)) this.prefix = new Int32Array(words + 1);
    const prefix = this.prefix;
    prefix[0] = 0;
    for (let i = 0; i < words; i++) prefix[i + 1] = prefix[i] + wordEnd[i] - wordStart[i];
  }

  /** Characters in all words. */
  get totalChars(): number {
    return this.prefix[this.words];
  }

  /** Moves from the n-grams to the (n+1)-grams. */
  advance(): void {
    const n = ++this.n;
    if (n === 1) return this.words1();
    const { cls, active, first, occurrences, prefix, pairs } = this;
    // Each live position whose right neighbour is live too.
    const live = this.live;
    pairs.reset(live);
    let classes = 0;
    let covered = 0;
    let coveredUntil = 0;
    let candidates = 0;
    for (let j = 0; j + 1 < live; j++) {
      const i = active[j];
      if (active[j + 1] !== i + 1) continue;
      // In place: cls[i + 1] still holds the n-gram class this step reads.
      const id = pairs.intern(cls[i], cls[i + 1]);
      cls[i] = id;
      active[candidates++] = i;
      // Ids are numbered in order of first sight, so a new one is the next number.
      if (id === classes) {
        classes++;
        first[id] = i;
        occurrences[id] = 1;
      } else {
        // A repeat of an earlier n-gram: its words i … i + n − 1 count as covered, each word once.
        occurrences[id]++;
        const from = coveredUntil > i ? coveredUntil : i;
        covered += prefix[i + n] - prefix[from];
        coveredUntil = i + n;
      }
    }
    let kept = 0;
    for (let j = 0; j < candidates; j++) {
      const i = active[j];
      if (occurrences[cls[i]] > 1) active[kept++] = i;
    }
    this.live = kept;
    this.classes = classes;
    this.covered = covered;
  }

  /** The 1-grams: the layout's word ids, with their first occurrences and counts. */
  private words1(): void {
    const t = this.layout!;
    const ids = t.wordIds();
    const classes = t.distinctWords;
    this.first.set(t.idFirst.subarray(0, classes));
    this.occurrences.set(t.idCount.subarray(0, classes));
    const { cls, active, first, occurrences, prefix } = this;
    let live = 0;
    let covered = 0;
    for (let i = 0; i < this.words; i++) {
      const id = ids[i];
      if (occurrences[id] > 1) {
        cls[i] = id;
        active[live++] = i;
        if (first[id] !== i) covered += prefix[i + 1] - prefix[i];
      }
    }
    this.live = live;
    this.classes = classes;
    this.covered = covered;
  }

  /** Characters of the words of n-grams that repeat an earlier n-gram, each word counted once. */
  get duplicateChars(): number {
    return this.covered;
  }

  /** The most, over n-grams that occur more than once, of their characters times their occurrences. */
  get topChars(): number {
    const { first, occurrences, prefix, n } = this;
    let best = 0;
    for (let id = 0; id < this.classes; id++) {
      const k = occurrences[id];
      if (k < 2) continue;
      const chars = (prefix[first[id] + n] - prefix[first[id]]) * k;
      if (chars > best) best = chars;
    }
    return best;
  }

  /**
   * datatrove's top n-gram figure (find_top_duplicate over n-grams joined by spaces): the characters of the
   * most frequent n-gram, spaces included, times its count; among equally frequent ones the first seen, and
   * with none repeated the first n-gram. Undefined when there are fewer than n words.
   */
  get firstTopSpacedChars(): number | undefined {
    const { first, occurrences, prefix, n } = this;
    if (n <= 0 || this.words < n) return undefined;
    // Classes are numbered in order of first sight: the first with the top count is the one kept.
    let best = -1;
    let bestCount = 1;
    for (let id = 0; id < this.classes; id++) {
      if (occurrences[id] > bestCount) {
        best = id;
        bestCount = occurrences[id];
      }
    }
    const at = best < 0 ? 0 : first[best];
    return (prefix[at + n] - prefix[at] + n - 1) * bestCount;
  }

  /**
   * datatrove's duplicated n-gram figure (find_all_duplicate): scanning from the left, an n-gram seen before
   * adds its characters and the scan jumps past it; any other is remembered and the scan moves one word on.
   * Only repeating n-grams can be seen before, so only the live positions are visited.
   */
  get greedyDuplicateChars(): number {
    const { n, prefix, cls, active, seen } = this;
    if (n <= 0) return 0;
    seen.fill(0, 0, this.classes);
    let repeated = 0;
    let next = 0;
    for (let j = 0; j < this.live; j++) {
      const i = active[j];
      if (i < next) continue;
      const c = cls[i];
      if (seen[c]) {
        repeated += prefix[i + n] - prefix[i];
        next = i + n;
      } else {
        seen[c] = 1;
        next = i + 1;
      }
    }
    return repeated;
  }
}
