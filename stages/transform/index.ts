import { z } from 'zod';
import type { StreamingKind } from '../../core/stage.js';
import { transformTasks } from './kind.js';

const options = z.strictObject({
  preset: z.enum(['zyda']).default('zyda').describe('transform preset'),
  /** Zyda never transformed StarCoder. */
  skip_sources: z.array(z.string()).default([]).describe('comma-separated sources left untouched'),
});

export type TransformOptions = z.output<typeof options>;

export const transformStage: StreamingKind<TransformOptions> = {
  ...transformTasks,
  description: "rewrite text: Zyda's collapse of long runs of 13 characters",
  options,
};
