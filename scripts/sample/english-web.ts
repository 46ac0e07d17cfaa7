// nlp-corpus -> English web pages.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJson } from './packages.js';
import { type Rng, rngFor } from './random.js';
import type { PackageInfo, WebDoc } from './records.js';
import type { Screen } from './screen.js';
import { WEB_ENGLISH_DOCS } from './settings.js';
import type { Urls } from './urls.js';

/** nlp-corpus ships shuffled one-line sentences from many sources; concatenating runs of them gives page-length text. */
export function* nlpSentences(pkg: PackageInfo): Generator<string> {
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

export function takeSentences(source: Iterator<string>, n: number): string[] {
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

export function loadEnglishWeb(sentences: Iterator<string>, screen: Screen, urls: Urls): WebDoc[] {
  const rng = rngFor('web-english');
  const docs: WebDoc[] = [];
  while (docs.length < WEB_ENGLISH_DOCS) {
    const text = paragraphsFromSentences(rng, takeSentences(sentences, rng.int(6, 20)));
    if (!screen.accept(text)) continue;
    docs.push({ text, url: urls.make(rng, text), lang: 'en' });
  }
  return docs;
}
