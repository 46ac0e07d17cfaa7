import { statSync } from 'node:fs';
import { formatBytes } from '../core/bytes.js';
import type { PipelineConfig } from '../core/config-schema.js';
import { usableWorkers } from '../executors/usable-workers.js';
import { oversubscription } from '../runtime/oversubscribed.js';
import { planRun } from '../runtime/pipeline.js';
import { plannedFiles } from '../runtime/task-groups.js';

/** `--dry-run`: what would run, without running it. */
export async function printPlan(cfg: PipelineConfig): Promise<void> {
  const plan = await planRun(cfg);
  // The worker count the local executor would use: a request beyond its cap is clamped, and said so.
  const clamped: string[] = [];
  const workers = cfg.executor === 'local' ? usableWorkers(cfg.workers, (m) => clamped.push(m)) : cfg.workers;
  const lines: string[] = [`pipeline ${cfg.name} (config sha256 ${plan.config_sha256.slice(0, 12)})`, `output   ${cfg.output}`, `workdir  ${cfg.workdir}`, `workers  ${workers}`, '', 'sources:'];
  for (const s of cfg.sources) {
    const tasks = plan.tasks.filter((t) => t.source === s.name);
    const files = [...plannedFiles(tasks).keys()];
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    lines.push(`  ${s.name} (rank ${s.rank}, text_field ${s.text_field}${s.id_field ? `, id_field ${s.id_field}` : ''}): ${files.length} files, ${formatBytes(bytes)}, ${tasks.length} tasks`);
    for (const f of files.slice(0, 20)) lines.push(`    ${f}`);
    if (files.length > 20) lines.push(`    … ${files.length - 20} more`);
  }
  lines.push(`  tasks of up to ${formatBytes(plan.task_bytes)}${cfg.task_bytes === 'auto' ? ' (task_bytes: auto, by the total input size)' : ''}`);
  for (const n of plan.notes) lines.push(`  ${n}`);
  lines.push('', 'stages:');
  cfg.stages.forEach((s, i) => lines.push(`  ${i + 1}. ${s.kind} ${JSON.stringify(s.options)}`));
  lines.push(`  then write: parquet (${cfg.write.compression}), shards ≤ ${formatBytes(cfg.write.shard_max_bytes)}, tokenizer ${cfg.write.tokenizer}`);
  lines.push('', `segments: ${plan.segments.length} (a barrier stage splits the pass)`);
  const tooMany = oversubscription(cfg, workers);
  for (const w of [...clamped, ...(tooMany ? [tooMany] : []), ...plan.warnings.map((x) => x.message)]) lines.push(`warning: ${w}`);
  process.stdout.write(lines.join('\n') + '\n');
}
