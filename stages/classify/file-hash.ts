import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** Hashes already made in this process, by file identity: a config is resolved more than once per run. */
const known = new Map<string, string>();

/** sha256 of a file's content, read in chunks so a model of several GB never sits in memory for it. */
export function fileSha256(path: string): string {
  const st = statSync(path);
  const key = `${path}\0${st.dev}\0${st.ino}\0${st.size}\0${st.mtimeMs}`;
  const had = known.get(key);
  if (had) return had;
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(8 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  const hex = hash.digest('hex');
  known.set(key, hex);
  return hex;
}
