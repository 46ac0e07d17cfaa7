import '../stages/builtins.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromObject } from '../runtime/config.js';
import type { PipelineConfig } from '../core/config-schema.js';
import { buildPlan } from '../runtime/plan.js';
import { readTask } from '../io/readers/index.js';
import type { Doc } from '../core/types.js';

/** The config the CLI would build for `--input <dir> --source web`; output is never written by the reader. */
export function benchConfig(dir: string, output = join(tmpdir(), 'zyda-bench-unused')): Promise<PipelineConfig> {
  return configFromObject({ output, sources: [{ name: 'web', paths: [dir] }] });
}

/**
 * Every doc of a corpus directory (or of every `of`-th task from `index`), batch by batch, through the real
 * planner and readers. The bench corpus is clean, so any problem means the corpus or the reader is broken:
 * stop rather than count it.
 */
export async function* readDocs(dir: string, share?: { index: number; of: number }): AsyncGenerator<Doc[]> {
  const cfg = await benchConfig(dir);
  const plan = await buildPlan(cfg);
  if (plan.tasks.length === 0) throw new Error(`${dir}: no input files`);
  for (const task of plan.tasks) {
    if (share && task.index % share.of !== share.index) continue;
    for await (const batch of readTask(task, cfg.sources[0], cfg)) {
      if (batch.problems.length > 0) throw new Error(`${task.file}: ${batch.problems[0].message}`);
      yield batch.docs;
    }
  }
}

/**
 * The first `limit` docs of a corpus directory, read before any timing starts. They come out of
 * JSON.parse as flat strings, as the pipeline sees them: never rebuild or concatenate their text here,
 * since V8 cons-strings make character loops look several times slower than they are.
 */
export async function sampleDocs(dir: string, limit: number): Promise<Doc[]> {
  const docs: Doc[] = [];
  for await (const batch of readDocs(dir)) {
    for (const d of batch) if (docs.length < limit) docs.push(d);
    if (docs.length >= limit) break;
  }
  return docs;
}

/** UTF-8 bytes of the docs' text: what MB/s divides for the in-process cases. */
export function textBytes(texts: Iterable<string>): number {
  let n = 0;
  for (const t of texts) n += Buffer.byteLength(t);
  return n;
}
