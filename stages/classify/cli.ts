import { ConfigError } from '../../core/errors.js';
import { listValue, numValue } from '../../core/flags.js';
import type { StageCli } from '../../core/stage.js';

function boolValue(v: string): boolean {
  if (v === 'true' || v === 'false') return v === 'true';
  throw new Error(`expected true or false, got ${JSON.stringify(v)}`);
}

/**
 * `zyda classify` flags beyond those made from the options: `--name` and `--tokenizer` are flags of every stage
 * command (the dataset's name, the output's tokenizer), and the keep rule and the preprocessing are objects, set
 * one key per flag.
 */
export const classifyCli: StageCli = {
  flags: [
    { flags: '--classifier <name>', key: 'name', help: "the classifier's name: columns <name>_label, <name>_score; drop reasons classify/<name>/<why>" },
    { flags: '--model-tokenizer <path>', key: 'tokenizer', help: 'tokenizer.json of a transformer model' },
    { flags: '--keep-label <list>', key: 'keep_label', shows: 'keep.label', help: 'comma-separated labels kept (the top label must be one of them)', parse: listValue },
    { flags: '--min-prob <number>', key: 'min_prob', shows: 'keep.min_prob', help: "with --keep-label: the top label's probability at least this", parse: numValue },
    { flags: '--min-score <number>', key: 'min_score', shows: 'keep.min_score', help: 'regression heads: keep docs scoring at least this', parse: numValue },
    { flags: '--score <choice>', key: 'score', shows: 'keep.score', help: 'with --min-score: the raw score, or int_score = round(clamp(score, 0, 5))', choices: ['score', 'int_score'] },
    { flags: '--newlines <choice>', key: 'newlines', shows: 'preprocess.newlines', help: 'newlines become spaces, or stay (default: space for fastText, keep for transformers)', choices: ['space', 'keep'] },
    { flags: '--lowercase <bool>', key: 'lowercase', shows: 'preprocess.lowercase', help: 'lowercase the text first: true or false (default false)', parse: boolValue },
  ],
  shape(o) {
    const take = (key: string) => {
      const v = o[key];
      delete o[key];
      return v;
    };
    const [label, minProb, minScore, score, newlines, lowercase] = ['keep_label', 'min_prob', 'min_score', 'score', 'newlines', 'lowercase'].map(take);
    if (label !== undefined && minScore !== undefined) throw new ConfigError('--keep-label and --min-score are two keep rules: give one');
    if (minProb !== undefined && label === undefined) throw new ConfigError('--min-prob goes with --keep-label');
    if (score !== undefined && minScore === undefined) throw new ConfigError('--score goes with --min-score');
    if (label !== undefined) o.keep = minProb === undefined ? { label } : { label, min_prob: minProb };
    if (minScore !== undefined) o.keep = score === undefined ? { min_score: minScore } : { min_score: minScore, score };
    if (newlines !== undefined || lowercase !== undefined) o.preprocess = { ...(newlines === undefined ? {} : { newlines }), ...(lowercase === undefined ? {} : { lowercase }) };
  },
  unflagged: () => ['keep', 'preprocess'],
};
