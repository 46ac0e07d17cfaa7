import type { Readable, Transform } from 'node:stream';

/**
 * A stream's chunks, then its error. A stream's own async iterator stops at the error and drops the chunks
 * still buffered: decompressed documents that came before the damage.
 */
export function chunksOf(stream: Readable): AsyncGenerator<Buffer> {
  // Listening starts now, not at the first next(): an end or error before it would otherwise pass unheard.
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  stream.on('readable', notify);
  stream.on('end', () => {
    ended = true;
    notify();
  });
  stream.on('error', (err: Error) => {
    failure = err;
    notify();
  });
  return (async function* () {
    try {
      for (;;) {
        let chunk: Buffer | null;
        while ((chunk = stream.read() as Buffer | null) !== null) yield chunk;
        if (failure) throw failure;
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      // Left early (the fail policy, a consumer's error): nothing more is wanted from it.
      if (!ended) stream.destroy();
    }
  })();
}

/** `source` piped into `through`, whose chunks come out; a read error of the source fails `through` too. */
export function chunksThrough(source: Readable, through: Transform): AsyncGenerator<Buffer> {
  source.on('error', (err) => through.destroy(err));
  through.on('close', () => source.destroy());
  return chunksOf(source.pipe(through));
}
