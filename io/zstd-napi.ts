import { createRequire } from 'node:module';

type ZstdNapi = typeof import('zstd-napi');
let loaded: ZstdNapi | undefined;

/**
 * zstd-napi, loaded on first use: its native library takes the main thread's start-up some milliseconds, and a
 * run's main thread needs it only for some plans and at the commit. Worker threads load it before their first
 * task (io/readers/index.ts, loadReaders).
 */
export function zstdNapi(): ZstdNapi {
  return (loaded ??= createRequire(import.meta.url)('zstd-napi') as ZstdNapi);
}
