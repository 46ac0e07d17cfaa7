/** A decompression failure, classified so the accounting can tell a cut-off file from a corrupt one. */
export class StreamError extends Error {
  constructor(
    readonly kind: 'truncated_file' | 'corrupt_file' | 'unreadable_file',
    message: string,
  ) {
    super(message);
  }
}

/** The file could not be opened at all (gone since the plan, no permission, not a file): unreadable_file. */
export function unreadableCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'ELOOP' ? code : undefined;
}
