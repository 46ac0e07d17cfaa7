import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import type { PipelineConfig, StageSpec } from '../core/config-schema.js';
import type { StageKind } from '../core/stage.js';
import { RunError } from '../core/errors.js';
import { findStageKind, stageKind } from '../core/registry.js';
import { addCounts, emptyAccounting, sumCounts, type SourceAccounting } from '../core/types.js';
import type { Manifest } from './manifest.js';
import type { PlanFile } from './plan-file.js';
import type { SegmentTaskResult } from './runner.js';
import { stageContext, stageLabel } from './segments.js';
import { checkedIdentities, readDecision, runIdentity, segmentResults, stepsOf, type Step } from './steps.js';
import { mergeReports, type ReportData } from './report/data.js';
import { loadRenderer, REPORT_DATA_KEY, reportDataPath } from './report/write.js';
import { DEDUP_CLUSTERS_KEY, sampleClusterFile, type SampleCluster } from './report/clusters.js';

/** A value worked out once, when first asked for; an error is kept too and thrown to each caller. */
function once<T>(work: () => T): () => T {
  let done: { value: T } | { error: unknown } | undefined;
  return () => {
    if (!done) {
      try {
        done = { value: work() };
      } catch (error) {
        done = { error };
      }
    }
    if ('error' in done) throw done.error;
    return done.value;
  };
}

interface Barrier {
  spec: StageSpec;
  i: number;
  def: Extract<StageKind, { type: 'barrier' }>;
  decision: unknown;
}

/**
 * What the commit reads and works out from finished steps, each piece once. The executor may ask for the pieces
 * whose steps are done while later steps' tasks still run (prepare), so the commit after the last step is short;
 * a piece that fails keeps its error for the commit to throw where it would have. Files to publish are first
 * written into the workdir and renamed into the output at the commit.
 */
export class CommitInputs {
  readonly stagingDir: string;
  private work: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();
  private readonly staged = new Map<string, () => string>();

  constructor(private readonly plan: PlanFile) {
    this.stagingDir = join(plan.config.workdir, 'publish');
  }

  readonly segments = once(() => segmentResults(this.plan));
  readonly accounting = once(() => account(this.plan.config, this.plan, this.segments()));
  readonly report = once(() => gatheredReport(this.plan, this.segments()));
  /** The identities of every step before the write, checked (steps.ts checkedIdentities). */
  readonly identities = once(() => checkedIdentities(this.plan, stepsOf(this.plan).filter((s) => s.kind !== 'write')));
  /** The run's identity (steps.ts runIdentity), once the write's markers are there. */
  readonly runIdentity = once(() => {
    const before = this.identities();
    return before && runIdentity(this.plan, before);
  });

  /** The barrier stages with their decisions, and what each reports in the manifest. */
  readonly barriers = once(() => {
    const cfg = this.plan.config;
    const reports: Record<string, unknown> = {};
    const barriers = cfg.stages.flatMap((spec, i): Barrier[] => {
      const def = stageKind(spec.kind);
      return def.type === 'barrier' ? [{ spec, i, def, decision: readDecision(this.plan, i) }] : [];
    });
    for (const { spec, i, def, decision } of barriers) if (def.report) reports[stageLabel(spec, i)] = def.report(decision);
    return { barriers, reports };
  });

  /** What the output publishes beside its shards, each writing to the path it is given: the barriers' files, then the report data. */
  private readonly sources = once((): Publisher[] => {
    const cfg = this.plan.config;
    const list: Publisher[] = this.barriers().barriers.filter((b) => b.def.published).map(({ spec, i, def, decision }) => ({
      paths: (generation) => def.published!(spec.options, generation),
      publish: (key, dest) => def.publish!(spec.options, decision, stageContext(cfg, i), key, dest),
    }));
    list.push({
      paths: (generation) => ({ [REPORT_DATA_KEY]: reportDataPath(generation) }),
      publish: (_key, dest) => writeFileAtomic(dest, JSON.stringify(this.report())),
    });
    return list;
  });

  /** The publishers the commit uses: each file is staged in the workdir (once), then renamed into the output. */
  readonly publishers = once((): Publisher[] => this.sources().map((p) => ({ paths: p.paths, publish: (key, dest) => this.place(key, dest, p) })));

  /** A few duplicate clusters for the report, read from the staged clusters file. */
  readonly clusterSample = once(async (): Promise<SampleCluster[]> => {
    const publisher = this.sources().find((p) => DEDUP_CLUSTERS_KEY in p.paths(0));
    return publisher ? sampleClusterFile(this.stage(DEDUP_CLUSTERS_KEY, publisher)!, this.report()) : [];
  });

  /**
   * Works out, a piece at a time, the pieces whose steps `finished` holds; between pieces the event loop serves
   * the pool, so the tasks still running keep their threads busy.
   */
  prepare(finished: Set<string>): void {
    const steps = stepsOf(this.plan);
    const done = (kind: Step['kind']) => steps.every((s) => s.kind !== kind || finished.has(s.id));
    const pieces: (() => unknown)[] = [];
    const add = (name: string, piece: () => unknown) => {
      if (!this.queued.has(name)) pieces.push(piece);
      this.queued.add(name);
    };
    const stageAll = () => {
      for (const p of this.sources()) for (const key of Object.keys(p.paths(0))) this.stage(key, p, true);
    };
    // The report's renderer loads once the first tasks are out, rather than before them or at the commit.
    add('renderer', loadRenderer);
    if (done('reduce')) add('barriers', this.barriers);
    if (done('segment')) {
      add('segments', this.segments);
      add('accounting', this.accounting);
      add('report', this.report);
      add('identities', this.identities);
    }
    // A barrier's published files may hold what the passes after its decision wrote (dedup's cluster members).
    if (done('reduce') && done('segment')) {
      add('staged', stageAll);
      add('sample', this.clusterSample);
    }
    if (pieces.length === 0) return;
    this.work = this.work.then(async () => {
      for (const piece of pieces) {
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await piece();
        } catch {
          // Kept by the piece for the commit, which throws it in its own order.
        }
      }
    });
  }

  /** Whether prepare has worked out the piece `name`. */
  prepared(name: string): boolean {
    return this.queued.has(name);
  }

  /** After a failed run: what was staged goes, once no piece is being worked out. */
  async discard(): Promise<void> {
    await this.work;
    rmSync(this.stagingDir, { recursive: true, force: true });
  }

  /** Resolves once no piece is being worked out. */
  settled(): Promise<void> {
    return this.work;
  }

  private stagedPath(key: string): string {
    return join(this.stagingDir, key);
  }

  /** Writes `key` into the workdir, once; returns where. `quiet`: an error waits for the commit. */
  private stage(key: string, publisher: Publisher, quiet = false): string | undefined {
    let staging = this.staged.get(key);
    if (!staging) {
      staging = once(() => {
        const path = this.stagedPath(key);
        rmSync(path, { recursive: true, force: true });
        mkdirSync(this.stagingDir, { recursive: true });
        publisher.publish(key, path);
        return path;
      });
      this.staged.set(key, staging);
    }
    if (!quiet) return staging();
    try {
      return staging();
    } catch {
      return undefined;
    }
  }

  /** Moves a staged file into the output; a workdir on another filesystem has it written again in place. */
  private place(key: string, dest: string, publisher: Publisher): void {
    const from = this.stage(key, publisher)!;
    mkdirSync(dirname(dest), { recursive: true });
    rmSync(dest, { recursive: true, force: true });
    try {
      renameSync(from, dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      publisher.publish(key, dest);
    }
  }
}

/** The tasks' report data merged, in plan order. */
function gatheredReport(plan: PlanFile, bySegment: SegmentTaskResult[][]): ReportData {
  const parts = bySegment.flatMap((seg) => seg.flatMap((r) => (r.report ? [{ source: plan.tasks[r.task].source, data: r.report }] : [])));
  return mergeReports(plan.config.sources.map((s) => s.name), parts);
}

/** A drop reason is `<kind>/<reason>`: its kind says whether it removed a duplicate or filtered a doc. */
function isDuplicateReason(reason: string): boolean {
  return findStageKind(reason.slice(0, reason.indexOf('/')))?.dropsAreDuplicates === true;
}

/** Per source: read = written + dropped + errored, or the run fails, since a gap means a doc was lost. */
function account(cfg: PipelineConfig, plan: PlanFile, bySegment: SegmentTaskResult[][]): Manifest['accounting'] {
  const bySource: Record<string, SourceAccounting> = {};
  for (const s of cfg.sources) bySource[s.name] = emptyAccounting();
  for (const r of bySegment[0]) {
    const a = bySource[plan.tasks[r.task].source];
    a.read += r.read;
    addCounts(a.errored, r.errored);
  }
  for (const results of bySegment) {
    for (const r of results) {
      const a = bySource[plan.tasks[r.task].source];
      for (const [reason, n] of Object.entries(r.dropped)) addCounts(isDuplicateReason(reason) ? a.duplicates : a.dropped, { [reason]: n });
    }
  }
  for (const r of bySegment[bySegment.length - 1]) bySource[plan.tasks[r.task].source].written += r.written;

  const total = emptyAccounting();
  for (const [name, a] of Object.entries(bySource)) {
    const out = a.written + sumCounts(a.dropped) + sumCounts(a.duplicates) + sumCounts(a.errored);
    if (a.read !== out) {
      throw new RunError(`accounting mismatch for source ${name}: read ${a.read} ≠ written ${a.written} + dropped ${sumCounts(a.dropped)} + duplicates ${sumCounts(a.duplicates)} + errored ${sumCounts(a.errored)}; this is a bug in zyda`);
    }
    total.read += a.read;
    total.written += a.written;
    addCounts(total.dropped, a.dropped);
    addCounts(total.duplicates, a.duplicates);
    addCounts(total.errored, a.errored);
  }
  return { ...total, by_source: bySource };
}

/** A barrier stage's files beside the shards: their paths in a generation, and how to write one. */
export interface Publisher {
  paths: (generation: number) => Record<string, string>;
  publish: (key: string, dest: string) => void;
}
