import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PipelineConfig } from '../core/config-schema.js';
import { stdinSpoolPath } from '../runtime/path-overlap.js';

/**
 * Worker threads cannot read the process's stdin, so `--input -` is spooled to the workdir first
 * and read from there like any file (its ids read `<source>/stdin.jsonl#<line>`).
 */
export async function spoolStdin(cfg: PipelineConfig): Promise<void> {
  const users = cfg.sources.filter((s) => s.paths.includes('-'));
  if (users.length === 0) return;
  const file = stdinSpoolPath(cfg.workdir);
  mkdirSync(dirname(file), { recursive: true });
  await pipeline(process.stdin, createWriteStream(file));
  for (const s of users) s.paths = s.paths.map((p) => (p === '-' ? file : p));
}
