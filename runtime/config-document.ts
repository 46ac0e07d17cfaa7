import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { ConfigError } from '../core/errors.js';

/**
 * A config file read as YAML, not yet validated: what a command can know before it loads the stage definitions
 * (and zod), such as how many worker threads the run will want (executors/early-threads.ts).
 */
export interface ConfigDocument {
  path: string;
  raw: unknown;
  doc: Document;
  lines: LineCounter;
}

export function readConfigDocument(path: string): ConfigDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot read the config (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    throw new ConfigError(`${path}:${pos.line}:${pos.col}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  return { path, raw: toPlainValue(doc, path, lines), doc, lines };
}

/** The document as plain data; the yaml package refuses aliases that would expand without bound ("billion laughs"). */
function toPlainValue(doc: Document, path: string, lines: LineCounter): unknown {
  try {
    return doc.toJS();
  } catch (err) {
    let at = 0;
    visit(doc, {
      Alias(_key, node) {
        at = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const pos = lines.linePos(at);
    throw new ConfigError(`${path}:${pos.line}:${pos.col}: invalid YAML: ${(err as Error).message}`);
  }
}
