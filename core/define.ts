import type { z } from 'zod';
import type { Decide, FilterDef } from './filter.js';
import type { BarrierKind, StreamingKind } from './stage.js';

/**
 * Typed helpers for plugins: each returns its argument unchanged, so a definition written as a plain object
 * works as well; they only let the options' zod schema type `create`'s argument.
 */
export function defineFilter<S extends z.ZodType, D extends Decide | Promise<Decide>>(def: Omit<FilterDef<z.output<S>>, 'create'> & { options: S; create(options: z.output<S>): D }): Omit<FilterDef<z.output<S>>, 'create'> & { create(options: z.output<S>): D } {
  return def;
}

export function defineStage<S extends z.ZodType>(def: StreamingKind<z.output<S>> & { options: S }): StreamingKind<z.output<S>>;
export function defineStage<S extends z.ZodType, A, D>(def: BarrierKind<z.output<S>, A, D> & { options: S }): BarrierKind<z.output<S>, A, D>;
export function defineStage(def: StreamingKind<unknown> | BarrierKind<unknown, unknown, unknown>): StreamingKind<unknown> | BarrierKind<unknown, unknown, unknown> {
  return def;
}
