import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Manifest } from '../runtime/manifest.js';
import type { PlanFile } from '../runtime/plan-file.js';
import type { runIdentity as identityOf, TaskAttempt } from '../runtime/steps.js';
import { table } from '../core/table.js';
import type { PipelineConfig } from '../core/config-schema.js';

export async function statusCommand(target: string): Promise<void> {
  const [{ priorManifest }, { planRun }, { runIdentity, stepsOf, taskState }] = await Promise.all([
    import('../runtime/manifest.js'),
    import('../runtime/pipeline.js'),
    import('../runtime/steps.js'),
  ]);
  const { cfg, saved } = await statusTarget(target);
  // What a run would do now; planning reads the output, so an incremental plan holds only files it has not seen.
  const fresh = await planRun(cfg);
  const manifest = priorManifest(cfg.output);
  const plan = shownPlan(fresh, saved, manifest, runIdentity);
  const committed = manifest !== undefined && manifest.run_identity !== undefined && runIdentity(plan) === manifest.run_identity;
  const rows: (string | number)[][] = [];
  const failures: string[] = [];
  const slurm = await slurmView(cfg);
  const steps = stepsOf(plan);
  for (const step of steps) {
    const count = { done: 0, running: 0, failed: 0, pending: 0 };
    for (let i = 0; i < step.tasks; i++) {
      // A committed run's tasks are all done, though their intermediate parts may be gone.
      let { state, attempt } = committed ? { state: 'done' as const, attempt: undefined } : taskState(plan, steps, step, i);
      const job = slurm.get(`${step.id}/${i}`);
      // What Slurm knows wins for tasks not done: a job killed for time or memory never wrote its own failure.
      if (state !== 'done' && job && SLURM_RUNNING.has(job.state)) state = 'running';
      if (state !== 'done' && job && SLURM_FAILED.has(job.state)) {
        failures.push(`failed: ${step.id} task ${i}: Slurm job ${job.id} ${job.state}; log ${job.log}`);
        state = 'failed';
      } else if (state === 'failed') failures.push(describe(step.id, i, attempt!));
      count[state]++;
    }
    rows.push([step.id, step.tasks, count.done, count.running, count.failed, count.pending]);
  }
  process.stdout.write(table(['step', 'tasks', 'done', 'running', 'failed', 'pending'], rows) + '\n');
  for (const f of failures) process.stdout.write(f + '\n');
  process.stdout.write(verdict(cfg, fresh, manifest, committed, runIdentity) + "\n");
    
}

type RunIdentity = typeof identityOf;

/**
 * The config to report on: a YAML file, or an output directory whose workdir kept the plan it was run with
 * (outputs made by stage commands or `-o` have no YAML of their own).
 */
async function statusTarget(target: string): Promise<{ cfg: PipelineConfig; saved?: PlanFile }> {
  const path = resolve(target);
  if (!existsSync(path)) throw new ConfigError(`${target}: no such config file or output directory`);
  if (!statSync(path).isDirectory()) {
    const { loadConfigFile } = await import('../runtime/config.js');
    const cfg = await loadConfigFile(target);
    return { cfg, saved: savedPlan(cfg.workdir) };
  }
  const saved = savedPlan(join(path, '.zyda'));
  if (!saved) {
    const why = existsSync(join(path, 'manifest.json')) ? 'its workdir (.zyda) holds no plan.json; give the config it was run with' : 'not a zyda output (no manifest.json, no .zyda/plan.json)';
    throw new ConfigError(`${target}: ${why}`);
  }
  if (saved.plugins) await (await import('../runtime/plugins.js')).loadPlanPlugins(saved.plugins);
  return { cfg: structuredClone(saved.config), saved };
}

function savedPlan(workdir: string): PlanFile | undefined {
  try {
    return JSON.parse(readFileSync(join(workdir, 'plan.json'), 'utf8')) as PlanFile;
  } catch {
    return undefined;
  }
}

/**
 * The plan whose tasks to count: the workdir's when it is this config's (a run under way or stopped), or when it
 * made the committed output (an incremental plan of the next run would have no tasks to show); else a new one.
 */
function shownPlan(fresh: PlanFile, saved: PlanFile | undefined, manifest: Manifest | undefined, runIdentity: RunIdentity): PlanFile {
  if (!saved || saved.config.output !== fresh.config.output) return fresh;
  if (saved.config_sha256 === fresh.config_sha256) return saved;
  return manifest?.run_identity !== undefined && runIdentity(saved) === manifest.run_identity ? saved : fresh;
}

function verdict(cfg: PipelineConfig, fresh: PlanFile, manifest: Manifest | undefined, committed: boolean, runIdentity: RunIdentity): string {
  if (!manifest) return `output ${cfg.output} is not committed yet`;
  const run = manifest.history ? `run ${manifest.history.length}, ` : '';
  const at = `(${run}committed ${manifest.created_at})`;
  if (cfg.incremental) {
    if (fresh.tasks.length === 0) return `output ${cfg.output} is committed and up to date ${at}: every input file is in it`;
    const files = new Set(fresh.tasks.map((t) => t.file)).size;
    return `output ${cfg.output} is committed ${at}; ${files} new input file${files === 1 ? '' : 's'} since: rerun to add ${files === 1 ? 'it' : 'them'}`;
  }
  const identity = runIdentity(fresh);
  if (identity !== undefined && identity === manifest.run_identity) return `output ${cfg.output} is committed and up to date ${at}`;
  if (committed) return `output ${cfg.output} is committed ${at}, but its inputs or config changed since: rerun to update it`;
  return `output ${cfg.output} holds an earlier result ${at}; this plan is not committed yet`;
}

const SLURM_RUNNING = new Set(['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'REQUEUED', 'SUSPENDED']);
const SLURM_FAILED = new Set(['FAILED', 'TIMEOUT', 'CANCELLED', 'OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED']);
/** The last Slurm submission's array tasks, by "step/task", with their squeue state and log path. */
async function slurmView(cfg: PipelineConfig): Promise<Map<string, { id: string; state: string; log: string }>> {
  const { readSlurmJobs, squeueStates } = await import('../executors/slurm.js');
  const view = new Map<string, { id: string; state: string; log: string }>();
  const jobs = readSlurmJobs(cfg);
  if (!jobs) return view;
  const states = squeueStates(jobs.jobs.map((j) => j.job));
  for (const j of jobs.jobs) {
    for (const t of j.tasks) {
      const id = j.step === 'commit' ? j.job : `${j.job}_${t}`;
      const state = states.get(id);
      if (state) view.set(`${j.step}/${t}`, { id, state, log: j.log.replace('%a', String(t)) });
    }
  }
  return view;
}

function describe(step: string, task: number, a: TaskAttempt): string {
  return `failed: ${step} task ${task} (pid ${a.pid} on ${a.host}, ${a.started_at}): ${(a.error ?? '').split('\n')[0]}`;
}
