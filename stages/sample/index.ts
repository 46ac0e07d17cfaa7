import { z } from 'zod';
import type { StreamingKind } from '../../core/stage.js';
import { sampleTasks } from './kind.js';

const options = z.strictObject({
  fraction: z.number().gt(0).lte(1).describe('share of docs to keep, in (0, 1]'),
  seed: z.number().int().default(0).describe('hash seed'),
});

export type SampleOptions = z.output<typeof options>;

export const sampleStage: StreamingKind<SampleOptions> = {
  ...sampleTasks,
  description: 'keep a deterministic fraction of docs, chosen by a hash of their id',
  options,
};
