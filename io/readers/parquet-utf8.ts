import { isUtf8 } from 'node:buffer';

/**
 * The rows (by index) whose value in one of `columns` is not valid UTF-8, with that column. The Parquet reader
 * decodes strings leniently, a bad byte becoming U+FFFD, so only a row holding U+FFFD can be one: those rows'
 * raw bytes, read again undecoded, tell a bad byte from a U+FFFD that was in the data.
 */
export async function invalidUtf8Rows(
  rows: Record<string, unknown>[],
  columns: string[],
  readRaw: (columns: string[]) => Promise<Record<string, unknown>[]>,
): Promise<Map<number, string>> {
  const bad = new Map<number, string>();
  const suspects = rows.flatMap((r, i) => (columns.some((c) => typeof r[c] === 'string' && (r[c] as string).includes('\uFFFD')) ? [i] : []));
  if (suspects.length === 0) return bad;
  const raw = await readRaw(columns);
  for (const i of suspects) {
    const column = columns.find((c) => raw[i]?.[c] instanceof Uint8Array && !isUtf8(raw[i][c] as Uint8Array));
    if (column !== undefined) bad.set(i, column);
  }
  return bad;
}
