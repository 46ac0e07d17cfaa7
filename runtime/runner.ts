import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineConfig } from '../core/config-schema.js';
import { InputError, RunError } from '../core/errors.js';
import { slowPoint } from '../core/pause-point.js';
import { errorLogPath } from './error-log.js';
import { PartWriter, readPart, type PartInfo } from '../io/parts.js';
import type { PlanFile } from './plan-file.js';
import { addProgress, ProportionalBytes, type ProgressCounter } from './progress-counter.js';
import { filesOf, taskLabel, type Task, type TaskFile } from '../core/task.js';
import { taskKey } from './task-key.js';
import { readTask } from '../io/readers/index.js';
import { decisionPath, passesInputOn, stageContext } from './segments.js';
import { rejectedDoc } from './columns.js';
import type { Collector, StreamingStage, StreamingTasks } from '../core/stage.js';
import { stageTasks } from '../core/registry.js';
import { addCounts, isFileErrorKind, type Counts, type Doc, type InputProblem } from '../core/types.js';
import type { SourceReport } from './report/data.js';
import { filterRules } from './report/data.js';
import { ReportGatherer } from './report/gather.js';

export interface SegmentTaskInput {
  planPath: string;
  segment: number;
  task: number;
  /** The previous segment's part for this task; absent for segment 0, and for segment 1 after a segment 0 that passes its input on (segments.ts). */
  input?: PartInfo;
  /** Where the task adds the docs it takes in and the input bytes it has consumed. */
  progress?: ProgressCounter;
}

export interface SegmentTaskResult {
  task: number;
  segment: number;
  read: number;
  written: number;
  dropped: Counts;
  errored: Counts;
  /** The first few problem messages, for the terminal; all of them are in workdir/logs/errors/. */
  messages: string[];
  /** Absent when the pass passes its input on to the next one (segments.ts passesInputOn). */
  part?: PartInfo;
  /** Dropped docs with their reasons, when the run keeps rejected docs. */
  rejected?: PartInfo;
  artifact?: unknown;
  /** What the report gathered of this task's docs (runtime/report/). */
  report?: SourceReport;
}

const MAX_MESSAGES = 20;

export function partPath(cfg: PipelineConfig, segment: number, task: Task, kind: 'kept' | 'rejected' = 'kept'): string {
  const name = `task-${taskKey(task)}.part`;
  return join(cfg.workdir, 'parts', kind === 'kept' ? `seg${segment}` : `rejected-seg${segment}`, name);
}

/** Stages this thread made for the run's earlier tasks (StreamingKind.reusable), by stage position. */
const reused = new Map<number, Promise<StreamingStage>>();
/** The config they were made for: a thread that moves on to another run lets them go. */
let reusedFor: string | undefined;

function streamingStage(plan: PlanFile, index: number, def: StreamingTasks<unknown>): Promise<StreamingStage> {
  const spec = plan.config.stages[index];
  const make = async () => def.create(spec.options, stageContext(plan.config, index));
  if (!def.reusable?.(spec.options)) return make();
  if (reusedFor !== plan.config_sha256) {
    reused.clear();
    reusedFor = plan.config_sha256;
  }
  let stage = reused.get(index);
  if (!stage) {
    reused.set(index, (stage = make()));
    stage.catch(() => reused.delete(index));
  }
  return stage;
}

/** One task of one segment: input → barrier apply → streaming stages → collector → part file. */
export async function runSegmentTask(plan: PlanFile, msg: SegmentTaskInput): Promise<SegmentTaskResult> {
  const cfg = plan.config;
  const task = plan.tasks[msg.task];
  const seg = plan.segments[msg.segment];
  const tally: Tally = { read: 0, written: 0, errored: {}, messages: [] };

  // Before anything is written: a pass that reads the input again must find it as the first pass read it.
  if (msg.segment > 0 && !msg.input) for (const file of filesOf(task)) unchangedSince(file, msg.segment);

  const stages: { kind: string; stage: StreamingStage }[] = [];
  if (seg.applyBarrier !== undefined) {
    const spec = cfg.stages[seg.applyBarrier];
    const def = stageTasks(spec.kind);
    if (def.type !== 'barrier') throw new Error(`stage ${spec.kind} is not a barrier`);
    const decision = JSON.parse(readFileSync(decisionPath(cfg, seg.applyBarrier), 'utf8')) as unknown;
    stages.push({ kind: spec.kind, stage: await def.apply(spec.options, decision, task, stageContext(cfg, seg.applyBarrier)) });
  }
  for (const i of seg.streaming) {
    const spec = cfg.stages[i];
    const def = stageTasks(spec.kind);
    if (def.type !== 'streaming') throw new Error(`stage ${spec.kind} is not streaming`);
    stages.push({ kind: spec.kind, stage: await streamingStage(plan, i, def) });
  }
  let collector: Collector<unknown> | undefined;
  if (seg.collectBarrier !== undefined) {
    const spec = cfg.stages[seg.collectBarrier];
    const def = stageTasks(spec.kind);
    if (def.type !== 'barrier') throw new Error(`stage ${spec.kind} is not a barrier`);
    collector = await def.collect(spec.options, task, stageContext(cfg, seg.collectBarrier));
  }

  const out = passesInputOn(seg) ? undefined : new PartWriter(partPath(cfg, msg.segment, task));
  const rejectedOut = cfg.keep_rejected ? new PartWriter(partPath(cfg, msg.segment, task, 'rejected')) : undefined;
  const errorLog = errorLogPath(cfg.workdir, msg.task);
  const drops: Counts = {};
  const gather = new ReportGatherer(cfg.stages, await filterRules(cfg.stages));
  const lastSegment = msg.segment === plan.segments.length - 1;

  const pass = async (docs: Doc[]) => {
    // Rejected docs go out in input order. Stage by stage, they would follow the batch cuts, and a reader cuts
    // batches where its decompressor's chunks end, which differs from run to run.
    const rejected = rejectedOut && new RejectedInOrder(docs);
    for (const { kind, stage } of stages) {
      if (docs.length === 0) break;
      const reasons: Counts = {};
      const reject = (doc: Doc, reason: string) => {
        const full = `${kind}/${reason}`;
        gather.dropped(doc, full);
        rejected?.add(rejectedDoc(doc, full), doc);
      };
      // A model stage (onnxruntime) answers with a promise; the others with the kept docs.
      const result = stage.process(docs, reasons, reject);
      docs = result instanceof Promise ? await result : result;
      for (const [reason, n] of Object.entries(reasons)) drops[`${kind}/${reason}`] = (drops[`${kind}/${reason}`] ?? 0) + n;
    }
    if (rejected) rejectedOut.write(rejected.inOrder());
    if (lastSegment) gather.kept(docs);
    collector?.add(docs);
    out?.write(docs);
    tally.written += docs.length;
  };

  if (msg.input) {
    const progress = new ProportionalBytes(msg.progress, msg.input.rows, msg.input.bytes);
    for await (const docs of readPart(msg.input, `segment ${msg.segment - 1} task ${msg.task} (${taskLabel(task)})`)) {
      progress.add(docs.length);
      await pass(docs);
    }
  } else {
    // A later pass reading the input again: segment 0 counted its docs and problems.
    const again = msg.segment > 0;
    for (const file of filesOf(task)) {
      let bytes = 0;
      for await (const batch of readTask(file, sourceOf(cfg, task), cfg)) {
        if (!again && batch.problems.length > 0) recordProblems(cfg, batch.problems, tally, errorLog);
        if (!again) tally.read += batch.read;
        // Readers tell how far into the file on disk they are; what they leave untold (headers, footers) counts at its end.
        bytes += batch.bytes ?? 0;
        addProgress(msg.progress, batch.read, batch.bytes ?? 0);
        slowPoint('batch-read');
        await pass(batch.docs);
      }
      addProgress(msg.progress, 0, file.bytes - bytes);
    }
  }
  for (const { stage } of stages) stage.finish?.();
  const part = out?.close();
  const rejected = rejectedOut?.close();
  const artifact = collector ? await collector.finish() : undefined;
  return { task: msg.task, segment: msg.segment, ...tally, dropped: drops, part, rejected, artifact, report: gather.result() };
}

/** A pass that reads the input again must see the docs the first pass saw. */
function unchangedSince(file: TaskFile, segment: number): void {
  const st = statSync(file.file);
  if (st.size !== file.input.size || Math.floor(st.mtimeMs) !== file.input.mtime_ms) {
    throw new RunError(`${file.file} changed since the first pass read it, and segment ${segment} reads it again; run again to start over from the file as it is`);
  }
}

/** What a task counts as it reads: docs in and out, and its input problems. */
type Tally = Pick<SegmentTaskResult, 'read' | 'written' | 'errored' | 'messages'>;

function sourceOf(cfg: PipelineConfig, task: Task) {
  const s = cfg.sources.find((x) => x.name === task.source);
  if (!s) throw new Error(`task ${task.index} names unknown source ${task.source}`);
  return s;
}

function recordProblems(cfg: PipelineConfig, problems: InputProblem[], result: Tally, errorLog: string): void {
  mkdirSync(join(errorLog, '..'), { recursive: true });
  appendFileSync(errorLog, problems.map((p) => JSON.stringify(p)).join('\n') + '\n');
  for (const p of problems) {
    const fileLevel = isFileErrorKind(p.kind);
    if ((fileLevel ? cfg.on_file_error : cfg.on_error) === 'fail') {
      throw new InputError(`${p.message} [${p.kind}; ${fileLevel ? 'on_file_error' : 'on_error'}: fail]`);
    }
    addCounts(result.errored, { [p.kind]: p.docs });
    if (result.messages.length < MAX_MESSAGES) result.messages.push(`${p.message} [${p.kind}]`);
  }
}

/** One batch's rejected docs, handed out in the order their docs came in. */
class RejectedInOrder {
  private readonly position: Map<Doc, number>;
  private readonly docs: { doc: Doc; at: number }[] = [];

  constructor(batch: Doc[]) {
    this.position = new Map(batch.map((doc, i) => [doc, i]));
  }

  /** `stored` is what the rejected output keeps of `doc`; a doc a stage made itself goes after the batch's own. */
  add(stored: Doc, doc: Doc): void {
    this.docs.push({ doc: stored, at: this.position.get(doc) ?? this.position.size + this.docs.length });
  }

  inOrder(): Doc[] {
    return this.docs.sort((a, b) => a.at - b.at).map((d) => d.doc);
  }
}
