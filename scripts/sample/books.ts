// Brown corpus -> book passages.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BookRow, PackageInfo } from './records.js';
import type { Screen } from './screen.js';
import { BOOK_PASSAGE_MIN_WORDS, BOOKS_PER_GENRE } from './settings.js';
import { wordCount } from './shingles.js';

const BROWN_GENRE_NAMES: Record<string, string> = {
  news: 'press: reportage',
  editorial: 'press: editorial',
  reviews: 'press: reviews',
  religion: 'religion',
  hobbies: 'skill and hobbies',
  lore: 'popular lore',
  belles_lettres: 'belles-lettres',
  government: 'government documents',
  learned: 'learned',
  fiction: 'fiction: general',
  mystery: 'fiction: mystery',
  science_fiction: 'fiction: science',
  adventure: 'fiction: adventure',
  romance: 'fiction: romance',
  humor: 'humor',
};

/** Turns Brown's "word/tag" tokens back into ordinary running text. */
function detokenizeBrown(tokens: string[]): string {
  let out = '';
  let glueNext = true;
  for (const token of tokens) {
    const slash = token.lastIndexOf('/');
    const word = slash > 0 ? token.slice(0, slash) : token;
    if (word === '``') {
      out += (glueNext ? '' : ' ') + '"';
      glueNext = true;
    } else if (word === "''") {
      out += '"';
      glueNext = false;
    } else if (/^[.,;:?!)\]]+$/.test(word)) {
      out += word;
      glueNext = false;
    } else if (word === '(' || word === '[') {
      out += (glueNext ? '' : ' ') + word;
      glueNext = true;
    } else {
      out += (glueNext ? '' : ' ') + word;
      glueNext = false;
    }
  }
  return out;
}

function brownParagraphs(raw: string): string[] {
  return raw
    .split(/\n[ \t]*\n/)
    .map((p) => detokenizeBrown(p.split(/\s+/).filter((t) => t.length > 0)))
    .filter((p) => p.length > 0);
}

/** Titles come from the bibliography in CONTENTS, e.g. "A01. The Atlanta Constitution". */
function brownTitles(contents: string): Map<string, string> {
  const titles = new Map<string, string>();
  for (const m of contents.matchAll(/^([A-R])(\d\d)\. +(.+)$/gm)) {
    const [, letter = '', num = '', title = ''] = m;
    titles.set(`c${letter.toLowerCase()}${num}`, title.trim().replace(/\s+/g, ' '));
  }
  return titles;
}

export function loadBooks(pkg: PackageInfo, screen: Screen): BookRow[] {
  const titles = brownTitles(readFileSync(join(pkg.dir, 'CONTENTS'), 'utf8'));
  const categories = readFileSync(join(pkg.dir, 'cats.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts): parts is [string, string] => parts.length === 2)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const perGenre = new Map<string, number>();
  const rows: BookRow[] = [];
  for (const [file, category] of categories) {
    if ((perGenre.get(category) ?? 0) >= BOOKS_PER_GENRE) continue;
    const paragraphs = brownParagraphs(readFileSync(join(pkg.dir, file), 'utf8'));
    const passage: string[] = [];
    let count = 0;
    for (const p of paragraphs) {
      passage.push(p);
      count += wordCount(p);
      if (count >= BOOK_PASSAGE_MIN_WORDS) break;
    }
    const content = passage.join('\n\n');
    if (!screen.accept(content)) continue;
    perGenre.set(category, (perGenre.get(category) ?? 0) + 1);
    rows.push({
      id: `brown-${file}`,
      content,
      title: titles.get(file) ?? file,
      genre: BROWN_GENRE_NAMES[category] ?? category,
    });
  }
  return rows;
}
