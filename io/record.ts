import type { SourceConfig } from '../core/config-schema.js';
import type { Task } from '../core/task.js';
import type { Doc, InputProblem, RecordErrorKind } from '../core/types.js';

/** Where a record sits in its file: a 1-based line for JSON lines, a 0-based row for columnar files. */
export type Position = { line: number } | { row: number };

export function positionalId(task: Task, pos: Position): string {
  return `${task.source}/${task.relpath}#${'line' in pos ? pos.line : pos.row}`;
}

export function problemAt(task: Task, pos: Position, kind: RecordErrorKind, message: string): InputProblem {
  const where = 'line' in pos ? `line ${pos.line}` : `row ${pos.row}`;
  return { kind, file: task.file, ...pos, message: `${task.file}: ${where}: ${message}`, docs: 1 };
}

function getPath(value: Record<string, unknown>, path: string[]): unknown {
  let cur: unknown = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A copy of `value` without the leaf at `path`, copying only the objects along the path. */
function withoutPath(value: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const out = { ...value };
  if (path.length === 1) {
    delete out[path[0]];
    return out;
  }
  const child = out[path[0]];
  if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
    out[path[0]] = withoutPath(child as Record<string, unknown>, path.slice(1));
  }
  return out;
}

/** Turns one parsed record into a Doc, or a problem that names the file and position. */
export class RecordMapper {
  private readonly textPath: string[];
  private readonly idPath?: string[];

  constructor(
    private readonly source: SourceConfig,
    private readonly task: Task,
    private readonly maxDocBytes: number,
  ) {
    // A zyda output carries its own id; metadata comes back out of its JSON column.
    this.textPath = task.zyda ? ['text'] : source.text_field.split('.');
    const idField = task.zyda ? source.id_field ?? 'id' : source.id_field;
    this.idPath = idField?.split('.');
  }

  map(value: unknown, pos: Position): Doc | InputProblem {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return problemAt(this.task, pos, 'not_an_object', `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
    }
    const record = value as Record<string, unknown>;
    const text = getPath(record, this.textPath);
    if (text === undefined || text === null) {
      return problemAt(this.task, pos, 'missing_text', `no text field "${this.textPath.join('.')}" (fields: ${Object.keys(record).slice(0, 12).join(', ')})`);
    }
    if (typeof text !== 'string') return problemAt(this.task, pos, 'text_not_string', `text field "${this.textPath.join('.')}" is ${typeof text}, not a string`);
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so the exact count is only needed near the limit.
    if (text.length * 3 > this.maxDocBytes && Buffer.byteLength(text) > this.maxDocBytes) {
      return problemAt(this.task, pos, 'doc_too_large', `document of ${Buffer.byteLength(text)} bytes is over max_doc_bytes (${this.maxDocBytes})`);
    }
    const rawId = this.idPath ? getPath(record, this.idPath) : undefined;
    const id = typeof rawId === 'string' || typeof rawId === 'number' || typeof rawId === 'bigint' ? String(rawId) : positionalId(this.task, pos);
    // JSON.parse builds values of any depth, but what handles them after (metadata_fields' copy, JSON.stringify
    // in the part and shard writers) recurses and overflows the stack a few thousand levels down.
    const tooDeep = () => problemAt(this.task, pos, 'too_deep', `metadata nested more than ${MAX_NESTING} levels deep`);
    // A parsed JSON line is checked as it is; a columnar row only once made plain (Arrow values carry their
    // buffers, and a zyda shard's metadata is JSON text until parsed).
    const columnar = this.task.format === 'parquet' || this.task.format === 'arrow';
    if (!columnar && nestedDeeperThan(record, MAX_NESTING)) return tooDeep();
    const meta = this.task.zyda ? zydaMeta(record) : this.meta(record);
    if (columnar && nestedDeeperThan(meta, MAX_NESTING)) return tooDeep();
    return { id, text, source: this.task.source, meta };
  }

  private meta(record: Record<string, unknown>): Record<string, unknown> {
    const fields = this.source.metadata_fields;
    if (fields) {
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const v = getPath(record, f.split('.'));
        if (v !== undefined) out[f] = jsonSafe(v);
      }
      return out;
    }
    // A record from JSON.parse is already JSON-safe: the other fields need only be picked out. A rest pattern
    // copies them into an object of its own shape, where `delete` would turn the record into a slow dictionary
    // (about a quarter of a second per GB here, and more again when the writer stringifies it).
    if (this.task.format !== 'parquet' && this.task.format !== 'arrow' && this.textPath.length === 1 && (this.idPath?.length ?? 1) === 1) {
      const textKey = this.textPath[0];
      if (!this.idPath) {
        const { [textKey]: _text, ...rest } = record;
        return rest;
      }
      const { [textKey]: _text, [this.idPath[0]]: _id, ...rest } = record;
      return rest;
    }
    let rest = withoutPath(record, this.textPath);
    if (this.idPath) rest = withoutPath(rest, this.idPath);
    return this.task.format === 'parquet' || this.task.format === 'arrow' ? (jsonSafe(rest) as Record<string, unknown>) : rest;
  }
}

/** The deepest nesting of metadata zyda carries; far beyond any real record, far within JSON.stringify's reach. */
export const MAX_NESTING = 1000;

function nestedDeeperThan(value: object, levels: number): boolean {
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === 'object' && nestedDeeperThan(v as object, levels - 1)) return true;
    return false;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v === 'object' && nestedDeeperThan(v, levels - 1)) return true;
  }
  return false;
}

function zydaMeta(record: Record<string, unknown>): Record<string, unknown> {
  const m = record.metadata;
  if (typeof m !== 'string' || m === '') return {};
  try {
    const parsed = JSON.parse(m) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { metadata: parsed };
  } catch {
    return { metadata: m };
  }
}

/** Makes columnar values JSON-ready: BigInt, bytes and Arrow vectors have no faithful JSON form of their own. */
export function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, jsonSafe);
  if (Array.isArray(v)) return v.map(jsonSafe);
  const withJson = v as { toJSON?: () => unknown; toArray?: () => unknown };
  if (typeof withJson.toArray === 'function' && !(v.constructor === Object)) return jsonSafe(Array.from(withJson.toArray() as Iterable<unknown>));
  if (typeof withJson.toJSON === 'function' && !(v.constructor === Object)) return jsonSafe(withJson.toJSON());
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[k] = jsonSafe(val);
  return out;
}
