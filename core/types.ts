/** A document as it travels between stages. `meta` holds every input field that is not the text or the id. */
export interface Doc {
  id: string;
  text: string;
  source: string;
  meta: Record<string, unknown>;
  tokenCount?: number;
  /** The text before the `transform` stage changed it; filters that measure the original (Zyda's) read it. */
  original?: string;
  /** Features measured by filters, for the optional `filtering_features` column and rejected-doc output. */
  features?: Record<string, unknown>;
  /** Values of the output columns stages declared (see ColumnDef in core/stage.ts), by column name. */
  columns?: Record<string, ColumnValue>;
}

/** What a stage-declared column holds for one doc. */
export type ColumnValue = string | number | boolean;

/** Counts keyed by reason (drops) or kind (errors). */
export type Counts = Record<string, number>;

/** A problem with one record or one file, reported with enough detail to find it. */
export interface InputProblem {
  kind: ErrorKind;
  file: string;
  /** 1-based line for JSON lines, 0-based row for parquet/arrow. */
  line?: number;
  row?: number;
  message: string;
  /** How many documents this problem stands for in the accounting (a missing column errors every row). */
  docs: number;
}

export const RECORD_ERROR_KINDS = ['malformed_json', 'invalid_utf8', 'not_an_object', 'missing_text', 'text_not_string', 'doc_too_large', 'too_deep', 'bad_id'] as const;
export const FILE_ERROR_KINDS = ['truncated_file', 'corrupt_file', 'unreadable_file', 'missing_text_column'] as const;
export type RecordErrorKind = (typeof RECORD_ERROR_KINDS)[number];
export type FileErrorKind = (typeof FILE_ERROR_KINDS)[number];
export type ErrorKind = RecordErrorKind | FileErrorKind;

export function isFileErrorKind(kind: ErrorKind): kind is FileErrorKind {
  return (FILE_ERROR_KINDS as readonly string[]).includes(kind);
}

/** Per-source tally that must balance: read = written + dropped + duplicates + errored. */
export interface SourceAccounting {
  read: number;
  written: number;
  dropped: Counts;
  /** Docs removed by stages whose kind counts its drops as duplicates (dedup: `dedup/exact`, `dedup/near`). */
  duplicates: Counts;
  errored: Counts;
}

export function emptyAccounting(): SourceAccounting {
  return { read: 0, written: 0, dropped: {}, duplicates: {}, errored: {} };
}

export function addCounts(into: Counts, from: Counts): Counts {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
}

export function sumCounts(c: Counts): number {
  let n = 0;
  for (const v of Object.values(c)) n += v;
  return n;
}
