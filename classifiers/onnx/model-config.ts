import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../core/errors.js';

/** What a model's config.json (transformers' format) says about its head and its input limit. */
export interface ModelConfig {
  head: 'labels' | 'score';
  /** The head's labels in output order; empty for a regression head. */
  labels: string[];
  /** The most tokens its positions allow, from max_position_embeddings, when the config gives it. */
  maxPositions?: number;
}

type HfConfig = {
  id2label?: Record<string, string>;
  num_labels?: number;
  problem_type?: string;
  max_position_embeddings?: number;
  model_type?: string;
  pad_token_id?: number;
};

/** Models whose positions start after the padding index, so their table holds pad_token_id + 1 more rows than inputs. */
const OFFSET_POSITIONS = new Set(['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'data2vec-text']);

/** The most tokens the position table takes (514 rows in RoBERTa's config are 512 tokens). */
function positionLimit(config: HfConfig): number | undefined {
  const rows = config.max_position_embeddings;
  if (rows === undefined || !OFFSET_POSITIONS.has(config.model_type ?? '')) return rows;
  return rows - (config.pad_token_id ?? 1) - 1;
}

/** The config.json beside `modelPath`, or undefined when there is none. */
function readConfig(modelPath: string): HfConfig | undefined {
  const path = join(dirname(modelPath), 'config.json');
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as HfConfig;
  } catch (err) {
    throw new ConfigError(`model config ${path}: not valid JSON (${(err as Error).message})`);
  }
}

function configLabels(config: HfConfig): string[] | undefined {
  if (!config.id2label) return undefined;
  const entries = Object.entries(config.id2label).map(([k, v]) => [Number(k), v] as const);
  entries.sort((a, b) => a[0] - b[0]);
  return entries.map(([, v]) => v);
}

/** transformers' placeholder names, which a config has when nobody named the labels. */
const isPlaceholder = (names: string[]) => names.every((n, i) => n === `LABEL_${i}`);

/**
 * The head and labels from config.json when it is there, else from `labels`; a config with one output
 * (num_labels 1 or problem_type regression) is a regression head. Given labels must be the config's (in any
 * order: the config's order is the output order), or name its placeholder LABEL_i outputs.
 */
export function modelConfig(modelPath: string, labels: readonly string[] | undefined): ModelConfig {
  const config = readConfig(modelPath);
  const fromConfig = config && configLabels(config);
  const outputs = config?.num_labels ?? fromConfig?.length;
  const maxPositions = config && positionLimit(config);
  if (config?.problem_type === 'regression' || outputs === 1) return { head: 'score', labels: [], maxPositions };
  const given = labels ? [...labels] : undefined;
  if (!fromConfig || (given && isPlaceholder(fromConfig) && given.length === fromConfig.length)) {
    if (!given) throw new ConfigError(`model ${modelPath}: no config.json with id2label beside it and no labels given; name the labels in the config`);
    return { head: 'labels', labels: given, maxPositions };
  }
  if (given && [...given].sort().join('\u0000') !== [...fromConfig].sort().join('\u0000')) {
    throw new ConfigError(`model ${modelPath}: labels ${JSON.stringify(given)} differ from its config.json's id2label ${JSON.stringify(fromConfig)}`);
  }
  return { head: 'labels', labels: fromConfig, maxPositions };
}
