import { existsSync } from 'node:fs';
import { stageKind } from '../../core/registry.js';
import type { ResolveContext, StreamingKind } from '../../core/stage.js';
import { classifyCli } from './cli.js';
import { backendOf, preprocessOf } from './derived.js';
import { fileSha256 } from './file-hash.js';
import { checkAgainstModel, headBeforeLoading } from './head.js';
import { classifyTasks } from './kind.js';
import { classifyOptions, type ClassifyOptions } from './options.js';

/** A file's path made absolute and its content hash, checked against the hash the config pins when it gives one. */
function hashed(ctx: ResolveContext, key: 'model' | 'tokenizer', path: string, pinned: string | undefined): { path: string; sha256: string } {
  const abs = ctx.abs(path);
  if (!existsSync(abs)) throw ctx.error(`no such file: ${abs}`, key);
  const sha256 = fileSha256(abs);
  if (pinned !== undefined && pinned !== sha256) throw ctx.error(`${abs} has sha256 ${sha256}, not the ${pinned} this config pins (${key}_sha256)`, key);
  return { path: abs, sha256 };
}

function resolveClassify(o: ClassifyOptions, ctx: ResolveContext): ClassifyOptions {
  const mine = new Set(classifyTasks.columns!(o).map((c) => c.name));
  ctx.stages.forEach((spec, i) => {
    // Two classify stages: the later one says so, naming the earlier.
    if (i === ctx.stageIndex || (spec.kind === 'classify' && i > ctx.stageIndex)) return;
    if (spec.kind === 'classify' && spec.options.name === o.name) throw ctx.error(`stage ${i + 1} is a classify stage named ${JSON.stringify(o.name)} too; each needs its own name`, 'name');
    const clash = (stageKind(spec.kind).columns?.(spec.options) ?? []).find((c) => mine.has(c.name));
    if (clash) throw ctx.error(`column ${JSON.stringify(clash.name)} is also stage ${i + 1}'s (${spec.kind}); choose another name`, 'name');
  });
  const model = hashed(ctx, 'model', o.model, o.model_sha256);
  const tokenizer = o.tokenizer === undefined ? undefined : hashed(ctx, 'tokenizer', o.tokenizer, o.tokenizer_sha256);
  const resolved: ClassifyOptions = {
    ...o,
    model: model.path,
    model_sha256: model.sha256,
    ...(tokenizer ? { tokenizer: tokenizer.path, tokenizer_sha256: tokenizer.sha256 } : {}),
    preprocess: preprocessOf(o),
  };
  let head;
  try {
    head = headBeforeLoading(resolved);
  } catch (err) {
    throw ctx.error((err as Error).message, 'labels');
  }
  try {
    checkAgainstModel(resolved, head);
  } catch (err) {
    throw ctx.error((err as Error).message, /^score_label/.test((err as Error).message) ? 'score_label' : 'keep');
  }
  return resolved;
}

export const classifyStage: StreamingKind<ClassifyOptions> = {
  ...classifyTasks,
  description: "label or score each doc with a fastText or transformer classifier, and keep docs by the model's verdict",
  options: classifyOptions,
  cli: classifyCli,
  resolve: resolveClassify,
  threadsPerWorker: (o) => (backendOf(o.model) === 'fasttext' ? 1 : (o.threads ?? 1)),
};
