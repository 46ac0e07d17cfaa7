/** A decompression failure, classified so the accounting can tell a cut-off file from a corrupt one. */
export class StreamError extends Error {
  constructor(
    readonly kind: 'truncated_file' | 'corrupt_file' | 'unreadable_file',
    message: string,
  ) {
    super(message);
  }
}
