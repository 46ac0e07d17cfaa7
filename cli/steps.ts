import type { Command } from 'commander';
import { join } from 'node:path';
import { writeJsonAtomic } from '../core/atomic.js';
import { rmSync } from 'node:fs';
import { ConfigError, InterruptedError, RunError } from '../core/errors.js';
import { interruptible } from './signals.js';
import type { PipelineConfig } from '../core/config-schema.js';
import type { PlanFile } from '../runtime/plan-file.js';
import { stageLabel } from '../runtime/segments.js';
import { intValue } from '../core/flags.js';
import { flagParser } from './flags.js';
import { formatSummary } from './summary.js';
import { table } from '../core/table.js';

/** What the step commands run, loaded when one runs: `zyda --help` and the other commands start without it. */
async function runtime() {
  const [config, pipeline, steps, commit, ownership, locks, leftovers] = await Promise.all([
    import('../runtime/config.js'),
    import('../runtime/pipeline.js'),
    import('../runtime/steps.js'),
    import('../runtime/commit-run.js'),
    import('../runtime/output-ownership.js'),
    import('../runtime/run-locks.js'),
    import('../runtime/leftovers.js'),
  ]);
  return { ...config, ...pipeline, ...steps, ...commit, ...ownership, ...locks, ...leftovers };
}

/**
 * The run as separate steps, for a cluster scheduler or by hand: `zyda steps CONFIG` lists them, `zyda step
 * ID CONFIG --task i --tasks N` runs every task j ≡ i (mod N) of one step in this process, and `zyda commit
 * CONFIG` makes the output visible once every step is done. `zyda dedup signatures|buckets|clusters|apply`
 * name the steps of a dedup stage.
 */
/**
 * The plan the steps run: a fresh one (written to the workdir), or with `usePlan` the one already there, as
 * the jobs of one Slurm submission must all run the plan it was made from, even if inputs change meanwhile.
 */
async function planFor(cfg: PipelineConfig, usePlan = false): Promise<{ plan: PlanFile; planPath: string }> {
  const rt = await runtime();
  rt.claimOutputs(cfg);
  const planPath = join(cfg.workdir, 'plan.json');
  if (usePlan) {
    const plan = rt.existingPlan(cfg);
    if (!plan) throw new RunError(`--use-plan: no ${planPath} made from this config`);
    return { plan, planPath };
  }
  const plan = await rt.planRun(cfg);
  writeJsonAtomic(planPath, plan);
  return { plan, planPath };
}

interface SliceOptions {
  task: number;
  tasks: number;
  force?: boolean;
  usePlan?: boolean;
}

function slice({ task, tasks }: SliceOptions): { task: number; tasks: number } {
  if (tasks < 1) throw new ConfigError(`--tasks must be a positive integer, got ${tasks}`);
  if (task < 0 || task >= tasks) throw new ConfigError(`--task must be an integer in 0..${tasks - 1}, got ${task}`);
  return { task, tasks };
}

async function runStep(configPath: string, stepId: (plan: PlanFile) => string, opts: SliceOptions): Promise<void> {
  const rt = await runtime();
  const { task, tasks } = slice(opts);
  const { plan, planPath } = await planFor(await rt.loadConfigFile(configPath), opts.usePlan === true);
  const step = rt.findStep(plan, stepId(plan));
  const steps = rt.stepsOf(plan);
  let ran = 0;
  let done = 0;
  let current: number | undefined;
  const mine = Math.ceil((step.tasks - task) / tasks);
  try {
    await interruptible(async (signal) => {
      for (let i = task; i < step.tasks; i += tasks) {
        signal.throwIfAborted();
        if (!opts.force && rt.isDone(plan, steps, step, i)) {
          process.stderr.write(`${step.id} task ${i}/${step.tasks} already done\n`);
          done++;
          continue;
        }
        const t0 = Date.now();
        current = i;
        await untilAborted(rt.runStepTask(plan, planPath, step.id, i), signal);
        current = undefined;
        process.stderr.write(`${step.id} task ${i}/${step.tasks} done in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
        ran++;
        done++;
      }
    });
  } catch (err) {
    if (err instanceof InterruptedError) {
      // The task in flight stops with this process: it is not running any more, and its temp files go.
      if (current !== undefined) rmSync(rt.markerPath(plan, step.id, current).replace(/\.json$/, '.running'), { force: true });
      rt.removeOwnLeftovers([plan.config.workdir, plan.config.output, plan.config.keep_rejected]);
      err.message += `; ${done} of the ${mine} tasks of this slice are done`;
    }
    throw err;
  }
  process.stdout.write(`${step.id}: ran ${ran} of its ${step.tasks} tasks (slice ${task} of ${tasks})\n`);
}

/** `work`, or the signal's reason as soon as it is aborted: a task in this process cannot be stopped halfway. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const sliceOptions = (cmd: Command) =>
  cmd
    .option('--task <i>', 'this process runs tasks i, i+N, i+2N, … (a scheduler passes its array index)', flagParser(intValue), 0)
    .option('--tasks <n>', 'N, the number of processes sharing the step', flagParser(intValue), 1)
    .option('--force', 'redo tasks already done with the same inputs and config')
    .option('--use-plan', "run the workdir's plan.json as it is instead of planning again (what Slurm jobs do)");

export function registerSteps(program: Command): void {
  program
    .command('steps')
    .description('list the steps of a run and their task counts, in order (for a scheduler)')
    .argument('<config>', 'pipeline YAML')
    .action(async (configPath: string) => {
      const rt = await runtime();
      const { plan } = await planFor(await rt.loadConfigFile(configPath));
      process.stdout.write(table(['step', 'tasks'], rt.stepsOf(plan).map((s) => [s.id, s.tasks])) + '\n');
    });
  sliceOptions(program.command('step').description('run the tasks of one step (see `zyda steps`) in this process').argument('<id>', 'step id').argument('<config>', 'pipeline YAML')).action(
    (id: string, configPath: string, opts: SliceOptions) => runStep(configPath, () => id, opts),
  );
  program
    .command('commit')
    .description('once every step is done, check the accounting, place the shards and write the manifest')
    .argument('<config>', 'pipeline YAML')
    .option('--use-plan', "commit the workdir's plan.json as it is instead of planning again")
    .action(async (configPath: string, opts: { usePlan?: boolean }) => {
      const started = Date.now();
      const rt = await runtime();
      const cfg = await rt.loadConfigFile(configPath);
      rt.claimOutputs(cfg);
      // The output is someone else's to change while another run or commit holds it.
      const lock = rt.lockRun(cfg, (line) => process.stderr.write(line + '\n'));
      let manifest;
      try {
        manifest = await rt.commitRun((await planFor(cfg, opts.usePlan === true)).plan, {}, started);
      } finally {
        lock.release();
      }
      process.stdout.write(formatSummary(manifest) + '\n');
    });
}

/** `zyda dedup signatures|buckets|clusters|apply CONFIG`: the steps of the config's dedup stage. */
export function registerDedupSteps(dedup: Command): void {
  // `dedup` is also a stage command with options of its own (--force among them): after a step's name, every
  // option is the step's (the program enables positional options too, or it would hand them to `dedup`).
  dedup.enablePositionalOptions();
  const steps: [string, string, (plan: PlanFile, stage: number) => string][] = [
    ['signatures', 'stage 1: signatures, band records and exact keys per input task (the pass that reaches dedup)', (plan, stage) => `seg${plan.segments.find((s) => s.collectBarrier === stage)!.index}`],
    ['buckets', 'stage 2: one task per band (and one for exact keys), a k-way merge into duplicate edges', (plan, stage) => `${stageLabel(plan.config.stages[stage], stage)}.buckets`],
    ['clusters', 'stage 3: union-find over the edges and the keep rule (one task)', (plan, stage) => `${stageLabel(plan.config.stages[stage], stage)}.clusters`],
    ['apply', 'stage 4: drop the losers per input task and pass the rest on (the pass after dedup)', (plan, stage) => `seg${plan.segments.find((s) => s.applyBarrier === stage)!.index}`],
  ];
  for (const [name, help, stepOf] of steps) {
    sliceOptions(dedup.command(name).description(help).argument('<config>', 'pipeline YAML with a dedup stage').option('--stage <n>', 'which dedup stage, by its 1-based position in stages:', flagParser(intValue))).action(
      (configPath: string, opts: SliceOptions & { stage?: number }) =>
        runStep(configPath, (plan) => stepOf(plan, dedupStage(plan, opts.stage)), opts),
    );
  }
}

function dedupStage(plan: PlanFile, position?: number): number {
  const stages = plan.config.stages;
  if (position !== undefined) {
    const i = position - 1;
    if (stages[i]?.kind !== 'dedup') throw new ConfigError(`--stage ${position}: stage ${position} of the config is ${stages[i]?.kind ?? 'missing'}, not dedup`);
    return i;
  }
  const i = stages.findIndex((s) => s.kind === 'dedup');
  if (i < 0) throw new RunError('the config has no dedup stage');
  return i;
}
