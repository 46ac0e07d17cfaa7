import { ConfigError } from '../core/errors.js';

/** One piece of a single-sequence template: a special token's ids, or the text's own tokens. */
type Piece = { special: number[]; typeId: number } | { sequence: true; typeId: number };

/** How a tokenizer.json's post-processor wraps one text's tokens: the special tokens around them, and type ids. */
export interface SingleTemplate {
  /** Special tokens the template adds, which truncation leaves room for. */
  readonly added: number;
  apply(ids: readonly number[]): { ids: number[]; typeIds: number[] };
}

type Json = Record<string, unknown>;

function templatePieces(processor: Json, where: string): Piece[] {
  const specials = (processor.special_tokens ?? {}) as Record<string, { ids: number[] }>;
  return (processor.single as Json[]).map((item): Piece => {
    if ('Sequence' in item) return { sequence: true, typeId: (item.Sequence as Json).type_id as number };
    const token = item.SpecialToken as { id: string; type_id: number };
    const ids = specials[token.id]?.ids;
    if (!ids) throw new ConfigError(`${where}: the post-processor's template names ${JSON.stringify(token.id)}, which its special_tokens lack`);
    return { special: ids, typeId: token.type_id };
  });
}

/** [cls] text [sep], the layout of BertProcessing and RobertaProcessing, whose entries are [token, id]. */
function clsSep(processor: Json): Piece[] {
  const [cls, sep] = [processor.cls, processor.sep] as [string, number][];
  return [{ special: [cls[1]], typeId: 0 }, { sequence: true, typeId: 0 }, { special: [sep[1]], typeId: 0 }];
}

/** A post-processor's single-sequence pieces; those that add no tokens (ByteLevel) give just the text. */
function pieces(processor: Json | null | undefined, where: string): Piece[] {
  const text: Piece[] = [{ sequence: true, typeId: 0 }];
  if (!processor) return text;
  switch (processor.type) {
    case 'TemplateProcessing':
      return templatePieces(processor, where);
    case 'BertProcessing':
    case 'RobertaProcessing':
      return clsSep(processor);
    case 'ByteLevel':
      return text;
    case 'Sequence': {
      // Each processor rewraps what the previous one produced; at most one of them adds tokens in practice.
      const adding = (processor.processors as Json[]).map((p) => pieces(p, where)).filter((p) => p.length > 1);
      if (adding.length > 1) throw new ConfigError(`${where}: a Sequence post-processor with more than one template is not supported`);
      return adding[0] ?? text;
    }
    default:
      throw new ConfigError(`${where}: post-processor ${JSON.stringify(processor.type)} is not supported`);
  }
}

/** The template a tokenizer.json's `post_processor` applies to a single text (what `add_special_tokens` adds). */
export function singleTemplate(tokenizerJson: Json, where: string): SingleTemplate {
  const list = pieces(tokenizerJson.post_processor as Json | null, where);
  const added = list.reduce((n, p) => n + ('special' in p ? p.special.length : 0), 0);
  return {
    added,
    apply(content) {
      const ids: number[] = [];
      const typeIds: number[] = [];
      for (const p of list) {
        const part = 'special' in p ? p.special : content;
        for (const id of part) {
          ids.push(id);
          typeIds.push(p.typeId);
        }
      }
      return { ids, typeIds };
    },
  };
}
