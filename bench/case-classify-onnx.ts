import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadOnnxClassifier } from '../classifiers/onnx/index.js';
import type { CaseFigures } from './child.js';
import { inThreads, serveShare, type Share } from './threads.js';
import { ROOT } from './settings.js';

/** The committed docs of the transformer fixtures (test/fixtures/make_transformer_fixtures.py). */
export const FIXTURE_DIR = join(ROOT, 'test', 'fixtures', 'transformers');

interface Args {
  modelDir: string;
  docs: number;
  minChars: number;
  shareWeights: boolean;
}

/** The fixture docs, each joined with the next ones until it has `minChars`, so long inputs reach the token limit. */
function texts(count: number, minChars: number): string[] {
  const docs = gunzipSync(readFileSync(join(FIXTURE_DIR, 'docs.jsonl.gz')))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { text: string }).text);
  return Array.from({ length: count }, (_, i) => {
    let text = docs[i % docs.length];
    for (let j = i + 1; text.length < minChars; j++) text += '\n\n' + docs[j % docs.length];
    return text;
  });
}

/**
 * The process's resident memory split into anonymous pages (copies it owns) and file pages (mapped weights, in
 * the page cache once however many sessions map them, yet counted in RSS once per mapping); zeros off Linux.
 */
function residentKb(): { anon: number; file: number } {
  if (!existsSync('/proc/self/status')) return { anon: 0, file: 0 };
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { anon: kb('RssAnon'), file: kb('RssFile') };
}

interface ShareFigures {
  seconds: number;
  docs: number;
  text_bytes: number;
  load_seconds: number;
  /** CPU time of the whole process while this share ran: with one worker, what the docs cost a core on a busy machine. */
  process_cpu_seconds: number;
  rss_after_load_kb: number;
}

/** One worker's part: its own session (one intra-op thread), every `of`-th doc, classified in calls of 64. */
async function classifyShare(args: Args, share: Share): Promise<ShareFigures> {
  const mine = texts(args.docs, args.minChars).filter((_, i) => i % share.of === share.index);
  const tl = performance.now();
  const classifier = await loadOnnxClassifier({ model: join(args.modelDir, 'model.onnx'), tokenizer: join(args.modelDir, 'tokenizer.json'), threads: 1, shareWeights: args.shareWeights });
  const load_seconds = (performance.now() - tl) / 1000;
  const rss_after_load_kb = process.memoryUsage().rss / 1024;
  await classifier.classify(mine.slice(0, 2));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < mine.length; i += 64) await classifier.classify(mine.slice(i, i + 64));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const text_bytes = mine.reduce((n, t) => n + Buffer.byteLength(t), 0);
  return { seconds, docs: mine.length, text_bytes, load_seconds, rss_after_load_kb, process_cpu_seconds: (cpu.user + cpu.system) / 1e6 };
}

await serveShare(classifyShare);

/**
 * A transformer classifier over fixture docs on `workers` threads, each with its own session (`shared`: with
 * shareWeights); docs/s over the slowest thread's time, so with one worker it is per core.
 */
export async function run([modelDir, docs, minChars, workers, weights]: string[]): Promise<CaseFigures> {
  const args: Args = { modelDir, docs: Number(docs), minChars: Number(minChars), shareWeights: weights === 'shared' };
  // Peaks of the two kinds of pages over the whole case, every session loaded and running.
  const peak = { anon: 0, file: 0 };
  const poll = setInterval(() => {
    const now = residentKb();
    peak.anon = Math.max(peak.anon, now.anon);
    peak.file = Math.max(peak.file, now.file);
  }, 100);
  const shares = await inThreads<ShareFigures>(new URL(import.meta.url), Number(workers), args).finally(() => clearInterval(poll));
  const sum = (key: keyof ShareFigures) => shares.reduce((n, s) => n + s[key], 0);
  // RSS is the process's, read by each thread after its load; the largest reading is the nearest to all sessions loaded.
  const mb = (key: keyof ShareFigures) => Math.round(Math.max(...shares.map((s) => s[key])) / 1024);
  return {
    seconds: Math.max(...shares.map((s) => s.seconds)),
    docs: sum('docs'),
    text_bytes: sum('text_bytes'),
    extra: { process_cpu_seconds: Math.max(...shares.map((s) => s.process_cpu_seconds)), load_seconds: Math.max(...shares.map((s) => s.load_seconds)), rss_after_load_mb: mb('rss_after_load_kb'), peak_anon_mb: Math.round(peak.anon / 1024), peak_file_mb: Math.round(peak.file / 1024) },
  };
}
