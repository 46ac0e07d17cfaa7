// Sizes and thresholds of the generated sample: changing any of them changes its bytes (bump GENERATOR_VERSION).

/** Bump whenever the output changes, so existing sample/ folders get rebuilt. */
export const GENERATOR_VERSION = 'zyda-sample/1';
export const SEED = 20240607;

export const WEB_ENGLISH_DOCS = 1100;
export const WEB_SHARDS = 2;
export const UDHR_LANGS = ['fra', 'deu_1996', 'spa', 'ita', 'por_PT', 'nld', 'pol', 'rus', 'ces', 'swe', 'fin', 'tur'];
export const UDHR_MIN_WORDS = 100;
export const BOOKS_PER_GENRE = 20;
export const BOOK_PASSAGE_MIN_WORDS = 220;
export const BOOKS_ROW_GROUP_SIZE = 100;
export const EMAIL_QUOTAS: Record<string, number> = {
  'easy-ham-1': 90,
  'easy-ham-2': 70,
  'hard-ham-1': 40,
  'spam-1': 50,
  'spam-2': 50,
};
/** Spreads each email quota over its whole folder instead of the first files. */
export const EMAIL_STRIDE = 7;

export const PLANT = {
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
export const SCREEN_JACCARD = 0.25;
/** Unplanted pairs at or above this are reported as incidental in planted.json. */
export const INCIDENTAL_JACCARD = 0.3;
export const NEAR_TARGET_MIN = 0.55;
export const NEAR_TARGET_MAX = 0.85;
export const NEAR_MIN_WORDS = 80;
