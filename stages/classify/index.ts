import { existsSync } from 'node:fs';
import { stageKind } from '../../core/registry.js';
import type { ColumnDef, ResolveContext, StreamingKind } from '../../core/stage.js';
import type { Doc } from '../../core/types.js';
import { classifyCli } from './cli.js';
import { decide, ruleRows, type Outcome, type RuleRow } from './decide.js';
import { fileSha256 } from './file-hash.js';
import { checkAgainstModel, classifierFor, headBeforeLoading } from './model.js';
import { backendOf, classifyOptions, preprocessOf, usesIntScore, type ClassifyOptions } from './options.js';
import { prepareText, type Preparation } from './prepare.js';

/**
 * Model-based classification: each doc's text goes through a fastText or transformer classifier (classifiers/),
 * which gives a label with its probability or a regression score. The stage writes them as `<name>_label` and
 * `<name>_score` columns and keeps docs by its rule; drops count as `classify/<name>/<why>`. The model file's
 * sha256 (and the tokenizer's) are options of the resolved stage, so they enter every task identity after it.
 */
function columnsOf(o: ClassifyOptions): ColumnDef[] {
  return [
    { name: `${o.name}_label`, type: 'string', fill: '' },
    { name: `${o.name}_score`, type: 'double', fill: 0 },
    ...(usesIntScore(o.keep) ? [{ name: `${o.name}_int_score`, type: 'int32' as const, fill: 0 }] : []),
  ];
}

/** A fastText model reads newlines as spaces itself when asked (classifierFor does), so no string is rebuilt for them. */
function preparation(o: ClassifyOptions): Preparation {
  const { newlines, lowercase } = preprocessOf(o);
  return { maxChars: o.max_chars, newlines: backendOf(o.model) === 'fasttext' ? 'keep' : newlines, lowercase };
}

/** A file's path made absolute and its content hash, checked against the hash the config pins when it gives one. */
function hashed(ctx: ResolveContext, key: 'model' | 'tokenizer', path: string, pinned: string | undefined): { path: string; sha256: string } {
  const abs = ctx.abs(path);
  if (!existsSync(abs)) throw ctx.error(`no such file: ${abs}`, key);
  const sha256 = fileSha256(abs);
  if (pinned !== undefined && pinned !== sha256) throw ctx.error(`${abs} has sha256 ${sha256}, not the ${pinned} this config pins (${key}_sha256)`, key);
  return { path: abs, sha256 };
}

function resolveClassify(o: ClassifyOptions, ctx: ResolveContext): ClassifyOptions {
  const mine = new Set(columnsOf(o).map((c) => c.name));
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

function record(doc: Doc, o: ClassifyOptions, out: Outcome, intColumn: boolean): void {
  const columns = (doc.columns ??= {});
  columns[`${o.name}_label`] = out.label;
  columns[`${o.name}_score`] = out.score;
  if (intColumn) columns[`${o.name}_int_score`] = out.intScore;
}

export const classifyStage: StreamingKind<ClassifyOptions> = {
  type: 'streaming',
  kind: 'classify',
  description: "label or score each doc with a fastText or transformer classifier, and keep docs by the model's verdict",
  options: classifyOptions,
  cli: classifyCli,
  columns: columnsOf,
  resolve: resolveClassify,
  threadsPerWorker: (o) => (backendOf(o.model) === 'fasttext' ? 1 : (o.threads ?? 1)),
  async create(o) {
    const model = await classifierFor(o);
    const prep = preparation(o);
    const skip = new Set(o.skip_sources);
    const intColumn = usesIntScore(o.keep);
    return {
      async process(docs, drops, reject) {
        const todo = docs.filter((d) => !skip.has(d.source));
        const results = todo.length > 0 ? await model.classify(todo.map((d) => prepareText(d.text, prep))) : [];
        if (results.length !== todo.length) throw new Error(`${o.model}: the ${model.backend} classifier gave ${results.length} results for ${todo.length} docs`);
        const kept: Doc[] = [];
        let next = 0;
        for (const doc of docs) {
          if (skip.has(doc.source)) {
            kept.push(doc);
            continue;
          }
          const out = decide(results[next++], o.keep, o.score_label);
          record(doc, o, out, intColumn);
          if (!out.reason) {
            kept.push(doc);
            continue;
          }
          const reason = `${o.name}/${out.reason}`;
          drops[reason] = (drops[reason] ?? 0) + 1;
          reject?.(doc, reason);
        }
        return kept;
      },
    };
  },
};

/**
 * What `zyda explain` shows for a classify stage: the doc's label and score against the run's keep rule, and
 * whether the model file is still the one the run read (`changed` says how it differs).
 */
export async function explainClassify(o: ClassifyOptions, text: string): Promise<{ rows: RuleRow[]; changed?: string }> {
  if (!existsSync(o.model)) throw new Error(`${o.model}: the run's model file is gone`);
  const now = fileSha256(o.model);
  const changed = o.model_sha256 !== undefined && now !== o.model_sha256 ? `${o.model} has changed since the run (sha256 ${now}, the run's ${o.model_sha256}): this is the verdict of the file there now` : undefined;
  const model = await classifierFor(o);
  const [result] = await model.classify([prepareText(text, preparation(o))]);
  return { rows: ruleRows(decide(result, o.keep, o.score_label), o.keep, o.score_label), changed };
}
