import type { StageSpec } from '../core/config-schema.js';
import { ConfigError } from '../core/errors.js';
import { stageTasks } from '../core/registry.js';
import type { ColumnDef } from '../core/stage.js';
import type { Doc } from '../core/types.js';

/** The five columns every shard has; io/shard-writer.ts writes them before the declared ones. */
export const BASE_COLUMNS = ['id', 'text', 'source', 'token_count', 'metadata'];

/**
 * The rejected-docs output says why each doc was dropped and what the filters measured, whatever the stages
 * declare: inspecting drops is what it is for.
 */
const REJECTED_COLUMNS: ColumnDef[] = [
  { name: 'reason', type: 'string', fill: '' },
  featuresColumn(),
];

/**
 * `filtering_features`: what the filters measured (`doc.features`), as JSON, made when the shard is written. The
 * filter stage declares the same column for the kept docs (`features_column`).
 */
export function featuresColumn(): ColumnDef {
  return { name: 'filtering_features', type: 'string', fill: '{}', statistics: false, value: (doc) => JSON.stringify(doc.features ?? {}) };
}

/**
 * The columns after the base five, in stage order. Stages that declare the same name (two `filter` stages
 * writing features, two `langid` stages) share one column, at the first one's place.
 */
export function outputColumns(stages: StageSpec[], into: 'output' | 'rejected'): ColumnDef[] {
  const columns = into === 'rejected' ? [...REJECTED_COLUMNS] : [];
  for (const c of declaredColumns(stages)) {
    if (into === 'rejected' && c.def.keptOnly) continue;
    if (!columns.some((have) => have.name === c.def.name)) columns.push(c.def);
  }
  return columns;
}

/** Names only zyda writes: the base columns, and the reason of the rejected-docs output. */
const RESERVED = [...BASE_COLUMNS, 'reason'];

/** Refuses declared columns that would collide: a name zyda writes itself, or one name with two types. */
export function checkColumns(stages: StageSpec[], error: (stageIndex: number, message: string) => Error): void {
  const seen = new Map(REJECTED_COLUMNS.map((def) => [def.name, { def, owner: 'the rejected-docs output' }]));
  for (const { def, stage } of declaredColumns(stages)) {
    if (RESERVED.includes(def.name)) throw error(stage, `column ${JSON.stringify(def.name)} is one zyda writes itself; a stage cannot declare it`);
    const had = seen.get(def.name);
    if (had && had.def.type !== def.type) throw error(stage, `column ${JSON.stringify(def.name)} is a ${def.type} here but a ${had.def.type} in ${had.owner}`);
    if (!had) seen.set(def.name, { def, owner: `stage ${stage + 1} (${stages[stage].kind})` });
  }
}

function declaredColumns(stages: StageSpec[]): { def: ColumnDef; stage: number }[] {
  return stages.flatMap((spec, stage) => (stageTasks(spec.kind).columns?.(spec.options) ?? []).map((def) => ({ def, stage })));
}

/** A dropped doc as the rejected-docs output stores it: with its reason as a column. */
export function rejectedDoc(doc: Doc, reason: string): Doc {
  return { ...doc, columns: { ...doc.columns, reason } };
}
