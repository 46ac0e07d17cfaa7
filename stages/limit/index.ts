import { z } from 'zod';
import type { BarrierKind } from '../../core/stage.js';
import { limitTasks } from './kind.js';

const options = z
  .strictObject({
    max_docs: z.number().int().nonnegative().optional().describe('docs kept in all'),
    max_docs_per_source: z.number().int().nonnegative().optional().describe('docs kept per source'),
  })
  .refine((o) => o.max_docs !== undefined || o.max_docs_per_source !== undefined, 'limit needs max_docs or max_docs_per_source');

export type LimitOptions = z.output<typeof options>;

export const limitStage: BarrierKind<LimitOptions, number, number[]> = {
  ...limitTasks,
  description: 'keep the first N docs in input order',
  options,
};
