// Records as they are written, one type per source, and what a built corpus holds.

export interface WebDoc {
  text: string;
  url: string;
  lang: string;
}

export interface BookRow {
  id: string;
  content: string;
  title: string;
  genre: string;
}

export interface EmailRec {
  id: string;
  subject: string;
  body: { text: string; content_type: string };
  label: 'spam' | 'ham';
}

export type SourceName = 'web' | 'books' | 'email';
export type AnyRecord = WebDoc | BookRow | EmailRec;

export type JunkKind = 'boilerplate' | 'gibberish' | 'very-short' | 'char-runs' | 'number-lines';
export const JUNK_KINDS: readonly JunkKind[] = ['boilerplate', 'gibberish', 'very-short', 'char-runs', 'number-lines'];

export interface DupGroup {
  kind: 'exact' | 'near';
  scope: string;
  note: string;
  /** First member is the original; the rest are the planted copies. */
  members: AnyRecord[];
}

export interface Junk {
  doc: WebDoc;
  kind: JunkKind;
}

export interface PackageInfo {
  name: string;
  version: string;
  license: string;
  dir: string;
}

export interface Corpus {
  web: WebDoc[];
  books: BookRow[];
  emails: EmailRec[];
  dups: DupGroup[];
  junk: Junk[];
  packages: PackageInfo[];
}

export function textOf(rec: AnyRecord): string {
  if ('content' in rec) return rec.content;
  if ('body' in rec) return rec.body.text;
  return rec.text;
}
