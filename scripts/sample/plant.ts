// Planting duplicates: exact copies, and near copies graded by their word 5-gram Jaccard to the original.

import { type Rng, rngFor } from './random.js';
import { type AnyRecord, type BookRow, type DupGroup, type EmailRec, textOf, type WebDoc } from './records.js';
import { NEAR_MIN_WORDS, NEAR_TARGET_MAX, NEAR_TARGET_MIN, PLANT } from './settings.js';
import { jaccard, shingles, wordCount } from './shingles.js';
import { MIRROR_HOSTS, type Urls } from './urls.js';

const WEB_HEADERS = [
  'Posted by admin | 3 comments',
  'UPDATE: this article has been revised since it was first published.',
  'Reposted with permission.',
  'From our archives',
  'Sponsored content | Advertisement',
  'Guest post',
];
const WEB_FOOTERS = [
  'Share this: Facebook | Twitter | Email | Print',
  'Originally published on example.org. All rights reserved.',
  'Related posts: Top ten reads of the week | Editor picks',
  'Like this? Subscribe to our newsletter for more.',
  'Tags: news, opinion, archive',
  'Comments are closed.',
];
const BOOK_HEADERS = ['[Abridged edition]', '[Revised edition, with corrections]', '[Excerpt]', '[Anthology reprint]'];
const EMAIL_GREETINGS = ['Dear Friend,', 'Dear Valued Customer,', 'Hello Member,', 'Hi there,', 'Dear Sir or Madam,', 'Attention:'];

interface Decoration {
  header?: string;
  footer?: string;
}

/**
 * Rewrites a copy until its 5-gram Jaccard to the original drops just under a
 * random target, so copies spread over the range a dedup threshold is tuned on.
 */
function nearCopy(rng: Rng, original: string, decoration: Decoration): { text: string; jaccard: number } {
  const target = rng.float(NEAR_TARGET_MIN, NEAR_TARGET_MAX);
  const originalShingles = shingles(original);
  const tokens = original.split(/(\s+)/);
  const wordSlots = tokens.map((t, i) => (/[\p{L}\p{N}]/u.test(t) ? i : -1)).filter((i) => i >= 0);
  const render = (): string =>
    [decoration.header, tokens.join(''), decoration.footer].filter((part): part is string => part !== undefined).join('\n\n');

  let text = render();
  let score = jaccard(originalShingles, shingles(text));
  for (let step = 0; score > target; step++) {
    if (step > wordSlots.length * 4) throw new Error('near copy did not diverge enough');
    // Swap in another word of the same document, so the copy stays in the same language.
    const slot = rng.pick(wordSlots);
    tokens[slot] = tokens[rng.pick(wordSlots)] ?? '';
    text = render();
    score = jaccard(originalShingles, shingles(text));
  }
  if (score < 0.5 || score > 0.9) throw new Error(`near copy out of range: ${score}`);
  return { text, jaccard: score };
}

/** Hands out each original once, so no document ends up in two planted groups. */
class Pool<T> {
  private readonly items: T[];

  constructor(rng: Rng, items: readonly T[], eligible: (item: T) => boolean = () => true) {
    this.items = rng.shuffled(items.filter(eligible));
  }

  take(): T {
    const item = this.items.shift();
    if (item === undefined) throw new Error('ran out of originals to duplicate');
    return item;
  }
}

const longEnough = (rec: AnyRecord): boolean => wordCount(textOf(rec)) >= NEAR_MIN_WORDS;

export function plantWebDuplicates(web: WebDoc[], dups: DupGroup[], urls: Urls): WebDoc[] {
  const rng = rngFor('plant-web');
  const pool = new Pool(rng, web, longEnough);
  const copies: WebDoc[] = [];
  for (let g = 0; g < PLANT.webExactPairs + PLANT.webExactTriples; g++) {
    const original = pool.take();
    const members: WebDoc[] = [original];
    const extra = g < PLANT.webExactPairs ? 1 : 2;
    for (let i = 0; i < extra; i++) members.push({ ...original, url: urls.make(rng, original.text, MIRROR_HOSTS) });
    copies.push(...members.slice(1));
    dups.push({ kind: 'exact', scope: 'web', note: 'same page text served from a mirror URL', members });
  }
  for (let i = 0; i < PLANT.webNear; i++) {
    const original = pool.take();
    const copy = nearCopy(rng, original.text, { header: rng.pick(WEB_HEADERS), footer: rng.pick(WEB_FOOTERS) });
    const doc: WebDoc = { text: copy.text, url: urls.make(rng, copy.text), lang: original.lang };
    copies.push(doc);
    dups.push({ kind: 'near', scope: 'web', note: 'reposted with a new header/footer and some words changed', members: [original, doc] });
  }
  return copies;
}

export function plantBookDuplicates(books: BookRow[], dups: DupGroup[], urls: Urls): { books: BookRow[]; toWeb: WebDoc[] } {
  const rng = rngFor('plant-books');
  const pool = new Pool(rng, books, longEnough);
  const copies: BookRow[] = [];
  for (let i = 0; i < PLANT.booksExact; i++) {
    const original = pool.take();
    const copy: BookRow = { ...original, id: `${original.id}-reprint`, title: `${original.title} (reprint)` };
    copies.push(copy);
    dups.push({ kind: 'exact', scope: 'books', note: 'same passage reprinted under another title', members: [original, copy] });
  }
  for (let i = 0; i < PLANT.booksNear; i++) {
    const original = pool.take();
    const near = nearCopy(rng, original.content, { header: rng.pick(BOOK_HEADERS) });
    const copy: BookRow = { ...original, id: `${original.id}-rev`, content: near.text, title: `${original.title} (revised)` };
    copies.push(copy);
    dups.push({ kind: 'near', scope: 'books', note: 'edited edition of the same passage', members: [original, copy] });
  }

  const toWeb: WebDoc[] = [];
  for (let i = 0; i < PLANT.booksToWebExact; i++) {
    const original = pool.take();
    const doc: WebDoc = { text: original.content, url: urls.make(rng, original.content), lang: 'en' };
    toWeb.push(doc);
    dups.push({ kind: 'exact', scope: 'books+web', note: 'book passage copied verbatim onto a web page', members: [original, doc] });
  }
  for (let i = 0; i < PLANT.booksToWebNear; i++) {
    const original = pool.take();
    const near = nearCopy(rng, original.content, { header: rng.pick(WEB_HEADERS), footer: rng.pick(WEB_FOOTERS) });
    const doc: WebDoc = { text: near.text, url: urls.make(rng, near.text), lang: 'en' };
    toWeb.push(doc);
    dups.push({ kind: 'near', scope: 'books+web', note: 'book passage quoted on a web page with edits', members: [original, doc] });
  }
  return { books: copies, toWeb };
}

export function plantEmailDuplicates(emails: EmailRec[], dups: DupGroup[]): { emails: EmailRec[]; toWeb: WebDoc[] } {
  const rng = rngFor('plant-email');
  const spamPool = new Pool(rng, emails, (e) => e.label === 'spam' && longEnough(e));
  const hamPool = new Pool(rng, emails, (e) => e.label === 'ham' && longEnough(e));
  const copies: EmailRec[] = [];
  for (let i = 0; i < PLANT.emailExact; i++) {
    const original = spamPool.take();
    const copy: EmailRec = { ...original, id: `${original.id}-resent` };
    copies.push(copy);
    dups.push({ kind: 'exact', scope: 'email', note: 'the same spam delivered twice', members: [original, copy] });
  }
  for (let i = 0; i < PLANT.emailNear; i++) {
    const original = spamPool.take();
    const ref = `Ref #${rng.int(100000, 999999)}. To unsubscribe reply with REMOVE in the subject.`;
    const near = nearCopy(rng, original.body.text, { header: rng.pick(EMAIL_GREETINGS), footer: ref });
    const copy: EmailRec = {
      id: `${original.id}-variant`,
      subject: `${original.subject} [${rng.int(1000, 9999)}]`,
      body: { text: near.text, content_type: original.body.content_type },
      label: original.label,
    };
    copies.push(copy);
    dups.push({ kind: 'near', scope: 'email', note: 'same spam template with other names and numbers', members: [original, copy] });
  }

  const toWeb: WebDoc[] = [];
  const archiveUrl = (): string => `https://lists.example.org/archive/${rng.int(2001, 2002)}/msg${rng.int(10000, 99999)}.html`;
  for (let i = 0; i < PLANT.emailToWebExact; i++) {
    const original = hamPool.take();
    const doc: WebDoc = { text: original.body.text, url: archiveUrl(), lang: 'en' };
    toWeb.push(doc);
    dups.push({ kind: 'exact', scope: 'email+web', note: 'mailing-list post mirrored by a web archive', members: [original, doc] });
  }
  for (let i = 0; i < PLANT.emailToWebNear; i++) {
    const original = hamPool.take();
    const near = nearCopy(rng, original.body.text, { header: `Subject: ${original.subject}`, footer: 'Previous message | Next message | Thread index' });
    const doc: WebDoc = { text: near.text, url: archiveUrl(), lang: 'en' };
    toWeb.push(doc);
    dups.push({ kind: 'near', scope: 'email+web', note: 'mailing-list post in a web archive with navigation and edits', members: [original, doc] });
  }
  return { emails: copies, toWeb };
}
