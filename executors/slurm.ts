import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonAtomic } from '../core/atomic.js';
import type { PipelineConfig } from '../core/config-schema.js';
import { RunError } from '../core/errors.js';
import { recoverCommits } from '../runtime/commit.js';
import { rawConfigOf } from '../runtime/config.js';
import { claimOutputs } from '../runtime/output-ownership.js';
import { manifestPath, readManifest, type Manifest } from '../runtime/manifest.js';
import { planRun, type RunOptions } from '../runtime/pipeline.js';
import type { PlanFile } from '../runtime/plan-file.js';
import { clearMarkers, isDone, stepsOf } from '../runtime/steps.js';
import { removeStaleTaskFiles } from '../runtime/stale-tasks.js';
import type { Executor } from './executor.js';

/**
 * `executor: slurm`: the resolved config is written to the workdir (so flags given on the command line reach the
 * jobs), the plan's unfinished tasks are submitted, and with `wait` the jobs are followed to the end.
 */
export class SlurmExecutor implements Executor {
  readonly name = 'slurm';

  async run(cfg: PipelineConfig, opts: RunOptions): Promise<Manifest | undefined> {
    claimOutputs(cfg);
    const resolved = join(cfg.workdir, 'slurm', 'config.json');
    mkdirSync(dirname(resolved), { recursive: true });
    writeFileSync(resolved, JSON.stringify({ ...rawConfigOf(cfg), executor: 'local' }, null, 2) + '\n');
    recoverCommits([cfg.output, cfg.keep_rejected]);
    const plan = await planRun(cfg);
    for (const n of plan.notes) process.stderr.write(`${n}\n`);
    writeJsonAtomic(join(cfg.workdir, 'plan.json'), plan);
    removeStaleTaskFiles(plan);
    if (opts.force) clearMarkers(plan);
    const jobs = submitToSlurm(plan, resolved, fileURLToPath(new URL('../cli/main.js', import.meta.url)));
    for (const j of jobs.jobs) process.stderr.write(`submitted ${j.step}: job ${j.job}${j.step === 'commit' ? '' : `, tasks ${arraySpec(j.tasks)}`}; logs ${j.log}\n`);
    if (!opts.wait) {
      process.stdout.write(`submitted ${jobs.jobs.length} jobs; follow them with: zyda status ${resolved}\n`);
      return undefined;
    }
    const states = await waitForJobs(jobs);
    const bad = [...states].filter(([, s]) => s !== 'COMPLETED');
    if (bad.length > 0 || !existsSync(manifestPath(cfg.output))) {
      throw new RunError(`the Slurm jobs did not all complete: ${bad.map(([id, s]) => `${id} ${s}`).join(', ') || 'no manifest was written'}; see zyda status ${resolved} and ${join(cfg.workdir, 'logs')}/`);
    }
    return readManifest(cfg.output);
  }
}

/**
 * The Slurm executor: the whole plan is submitted up front, one `sbatch --array` per step whose tasks run
 * `zyda step ID CONFIG --task $SLURM_ARRAY_TASK_ID --tasks N` on the shared workdir, chained with
 * `--dependency=afterok:<previous>` and `--kill-on-invalid-dep=yes`, then one job for `zyda commit`. Tasks
 * already done are left out of their array, so a rerun resubmits only what is unfinished.
 *
 * sbatch is run with an argument vector, never through a shell. The batch script each job runs holds only
 * zyda's own paths and the step id, each single-quoted; nothing from the config's contents goes into it.
 */
export interface SlurmSubmission {
  step: string;
  job: string;
  tasks: number[];
  log: string;
}

export interface SlurmJobs {
  submitted_at: string;
  jobs: SlurmSubmission[];
}

/** POSIX single quotes: everything literal; a quote inside becomes '\''. */
export function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Task indices as an sbatch array spec: 0-3,7,9-10. */
export function arraySpec(tasks: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < tasks.length; ) {
    let j = i;
    while (j + 1 < tasks.length && tasks[j + 1] === tasks[j] + 1) j++;
    parts.push(i === j ? String(tasks[i]) : `${tasks[i]}-${tasks[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function sbatchOptions(cfg: PipelineConfig): string[] {
  const s = cfg.slurm;
  return [
    ...(s.partition ? [`--partition=${s.partition}`] : []),
    ...(s.cpus_per_task ? [`--cpus-per-task=${s.cpus_per_task}`] : []),
    ...(s.mem ? [`--mem=${s.mem}`] : []),
    ...(s.time ? [`--time=${s.time}`] : []),
    ...s.sbatch_args,
  ];
}

export const slurmJobsPath = (cfg: PipelineConfig) => join(cfg.workdir, 'slurm', 'jobs.json');

/** Submits every unfinished task of the plan and the commit; returns the jobs, also saved for `zyda status`. */
export function submitToSlurm(plan: PlanFile, configPath: string, cli: string): SlurmJobs {
  const cfg = plan.config;
  const scripts = join(cfg.workdir, 'slurm');
  const logs = join(cfg.workdir, 'logs');
  mkdirSync(scripts, { recursive: true });
  mkdirSync(logs, { recursive: true });
  const zyda = [process.execPath, cli].map(shellQuote).join(' ');
  const submitted: SlurmSubmission[] = [];
  let previous: string | undefined;
  const steps = stepsOf(plan);
  const submit = (name: string, command: string, array?: number[]): string => {
    const script = join(scripts, `${name}.sh`);
    writeFileSync(script, `#!/bin/sh\n# written by zyda for ${name}; run by Slurm\nexec ${command}\n`, { mode: 0o755 });
    const args = [
      '--parsable',
      `--job-name=zyda-${name}`,
      `--output=${join(logs, array ? '%A_%a.log' : '%j.log')}`,
      ...(array ? [`--array=${arraySpec(array)}`] : []),
      ...(previous ? [`--dependency=afterok:${previous}`, '--kill-on-invalid-dep=yes'] : []),
      ...sbatchOptions(cfg),
      script,
    ];
    let out: string;
    try {
      out = execFileSync('sbatch', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new RunError(`sbatch failed for ${name}: ${(e.stderr ?? e.message).trim()}`);
    }
    // --parsable prints "jobid" or "jobid;cluster".
    const job = out.trim().split(';')[0];
    if (!/^\d+$/.test(job)) throw new RunError(`sbatch for ${name} printed ${JSON.stringify(out)}, not a job id`);
    return job;
  };
  for (const step of steps) {
    const todo = Array.from({ length: step.tasks }, (_, i) => i).filter((i) => !isDone(plan, steps, step, i));
    if (todo.length === 0) continue;
    const job = submit(step.id, `${zyda} step ${shellQuote(step.id)} ${shellQuote(configPath)} --use-plan --task "$SLURM_ARRAY_TASK_ID" --tasks ${step.tasks}`, todo);
    submitted.push({ step: step.id, job, tasks: todo, log: join(logs, `${job}_%a.log`) });
    previous = job;
  }
  const commit = submit('commit', `${zyda} commit ${shellQuote(configPath)} --use-plan`);
  submitted.push({ step: 'commit', job: commit, tasks: [0], log: join(logs, `${commit}.log`) });
  const jobs: SlurmJobs = { submitted_at: new Date().toISOString(), jobs: submitted };
  writeFileSync(slurmJobsPath(cfg), JSON.stringify(jobs, null, 2) + '\n');
  return jobs;
}

export function readSlurmJobs(cfg: PipelineConfig): SlurmJobs | undefined {
  try {
    return JSON.parse(readFileSync(slurmJobsPath(cfg), 'utf8')) as SlurmJobs;
  } catch {
    return undefined;
  }
}

/**
 * Job states from `squeue -h -t all` (sacct may be absent), by job and array task: "123_4" → "FAILED".
 * squeue forgets finished jobs after MinJobAge (300 s by default), so a missing job means it ended long ago.
 */
export function squeueStates(jobs: string[]): Map<string, string> {
  const states = new Map<string, string>();
  if (jobs.length === 0) return states;
  let out: string;
  try {
    out = execFileSync('squeue', ['-h', '-t', 'all', '-r', '-o', '%i %T', '-j', jobs.join(',')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return states;
  }
  for (const line of out.split('\n')) {
    const [id, state] = line.trim().split(/\s+/);
    if (id && state) states.set(id, state);
  }
  return states;
}

/** Waits until none of the jobs is pending or running; returns the states squeue last reported. */
export async function waitForJobs(jobs: SlurmJobs, pollMs = 1000): Promise<Map<string, string>> {
  const ids = jobs.jobs.map((j) => j.job);
  for (;;) {
    const states = squeueStates(ids);
    const active = [...states.values()].some((s) => ['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING', 'SUSPENDED', 'REQUEUED', 'RESIZING'].includes(s));
    if (!active) return states;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
