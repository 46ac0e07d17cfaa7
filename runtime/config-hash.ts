import { createHash } from 'node:crypto';
import type { PipelineConfig } from '../core/config-schema.js';

/**
 * Identifies what data a config produces. Where it goes (output, workdir, keep_rejected) and how the work is cut
 * (workers, task and batch sizes) do not change the data, nor does whether an all-errored source fails the run,
 * so they stay out: such runs must agree.
 */
export function configHash(cfg: PipelineConfig): string {
  const { output: _o, workdir: _w, workers: _n, task_bytes: _t, batch_bytes: _b, keep_rejected: _r, executor: _e, slurm: _s, log_format: _l, progress: _p, progress_interval: _pi, keep_intermediates: _k, overwrite_foreign_output: _f, allow_empty_sources: _a, ...rest } = cfg;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

