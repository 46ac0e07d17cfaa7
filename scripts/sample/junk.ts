// Junk pages that quality filters should drop.

import { type Rng, rngFor } from './random.js';
import { type Junk, JUNK_KINDS } from './records.js';
import { PLANT } from './settings.js';
import type { Urls } from './urls.js';
import { takeSentences } from './english-web.js';

const BOILERPLATE_ITEMS = [
  'Cookie policy', 'Terms of use', 'Privacy', 'Subscribe', 'Home', 'About us', 'Contact', 'Sitemap',
  'All rights reserved', 'Log in', 'Sign up', 'Accept all cookies', 'Manage preferences', 'Facebook',
  'Twitter', 'Instagram', 'Back to top', 'Skip to content', 'Advertise', 'Careers', 'Help center',
  'Share', 'Read more', 'Next page', 'Previous page', 'Menu', 'Search', 'Cart (0)', 'My account', 'FAQ',
  'Shipping & returns', 'Gift cards', 'Newsletter', 'Press', 'Accessibility', 'Do not sell my info',
];

const SHORT_TEXTS = [
  'Page not found', 'Loading...', 'Click here to continue', 'Access denied', 'Thanks!', 'Coming soon',
  '404', 'Under construction', 'Redirecting', 'Please enable JavaScript', 'Sold out', 'No results found',
  'Session expired', 'Out of stock', 'Login required', 'Error 500', 'Untitled', 'hello world',
  'test post please ignore', 'lorem ipsum', 'More info soon', 'Nothing here',
];

const CHAR_RUN_UNITS = ['!', '?', 'a', 'o', 'z', '.', '*', '=', 'ha', 'lol'];

function boilerplateDoc(rng: Rng): string {
  const lines: string[] = [];
  const distinct = rng.int(3, 6);
  for (let i = 0; i < distinct; i++) {
    lines.push(rng.shuffled(BOILERPLATE_ITEMS).slice(0, rng.int(4, 8)).join(' | '));
  }
  // Navigation repeats on every part of a page, which is what repetition filters look for.
  const out: string[] = [];
  for (let i = 0; i < rng.int(8, 16); i++) out.push(rng.pick(lines));
  return out.join('\n');
}

function gibberishDoc(rng: Rng): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#$%&*@^~+=<>{}[]|/';
  const tokens: string[] = [];
  for (let i = 0; i < rng.int(40, 160); i++) {
    let token = '';
    for (let j = 0; j < rng.int(2, 12); j++) token += alphabet[rng.int(0, alphabet.length - 1)];
    tokens.push(token);
  }
  return tokens.join(' ');
}

function charRunsDoc(rng: Rng, sentence: string): string {
  const parts: string[] = [sentence];
  for (let i = 0; i < rng.int(3, 8); i++) {
    const unit = rng.pick(CHAR_RUN_UNITS);
    parts.push(unit.repeat(Math.ceil(rng.int(30, 200) / unit.length)));
  }
  return parts.join(' ');
}

function numberLinesDoc(rng: Rng): string {
  const lines: string[] = [];
  for (let i = 0; i < rng.int(8, 30); i++) {
    const cells: string[] = [];
    for (let j = 0; j < rng.int(3, 10); j++) {
      cells.push(rng.next() < 0.5 ? String(rng.int(0, 99999)) : (rng.next() * 1000).toFixed(2));
    }
    lines.push(cells.join(rng.next() < 0.5 ? ' ' : '\t'));
  }
  return lines.join('\n');
}

export function makeJunk(sentences: Iterator<string>, urls: Urls): Junk[] {
  const rng = rngFor('junk');
  const shortTexts = rng.shuffled(SHORT_TEXTS);
  const junk: Junk[] = [];
  for (const kind of JUNK_KINDS) {
    for (let i = 0; i < PLANT.junkPerKind; i++) {
      let text: string;
      switch (kind) {
        case 'boilerplate':
          text = boilerplateDoc(rng);
          break;
        case 'gibberish':
          text = gibberishDoc(rng);
          break;
        case 'very-short':
          text = shortTexts[i] ?? 'Nothing';
          break;
        case 'char-runs':
          text = charRunsDoc(rng, takeSentences(sentences, 1)[0] ?? '');
          break;
        case 'number-lines':
          text = numberLinesDoc(rng);
          break;
      }
      junk.push({ kind, doc: { text, url: urls.make(rng, kind), lang: 'en' } });
    }
  }
  return junk;
}
