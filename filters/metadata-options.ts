import { z } from 'zod';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const metadataOptions = z
  .strictObject({
    field: z.string().min(1).describe('the record field: a key, or a dotted path into nested objects'),
    min: z.number().optional().describe('keep values at least this'),
    max: z.number().optional().describe('keep values at most this'),
    in: z.array(scalar).min(1).optional().describe('keep only these values'),
    missing: z.enum(['drop', 'keep']).default('drop').describe('what happens to a doc without the field'),
  })
  .refine((o) => o.min !== undefined || o.max !== undefined || o.in !== undefined, 'give min, max or in');

export type MetadataOptions = z.output<typeof metadataOptions>;
