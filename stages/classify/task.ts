import { existsSync } from 'node:fs';
import type { StreamingStage } from '../../core/stage.js';
import type { Doc } from '../../core/types.js';
import { backendOf, preprocessOf, usesIntScore } from './derived.js';
import { decide, ruleRows, type Outcome, type RuleRow } from './decide.js';
import { fileSha256 } from './file-hash.js';
import { classifierFor } from './model.js';
import type { ClassifyOptions } from './options.js';
import { prepareText, type Preparation } from './prepare.js';

/** A fastText model reads newlines as spaces itself when asked (classifierFor does), so no string is rebuilt for them. */
function preparation(o: ClassifyOptions): Preparation {
  const { newlines, lowercase } = preprocessOf(o);
  return { maxChars: o.max_chars, newlines: backendOf(o.model) === 'fasttext' ? 'keep' : newlines, lowercase };
}

function record(doc: Doc, o: ClassifyOptions, out: Outcome, intColumn: boolean): void {
  const columns = (doc.columns ??= {});
  columns[`${o.name}_label`] = out.label;
  columns[`${o.name}_score`] = out.score;
  if (intColumn) columns[`${o.name}_int_score`] = out.intScore;
}

export async function createClassify(o: ClassifyOptions): Promise<StreamingStage> {
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
}

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
