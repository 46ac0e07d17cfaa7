import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempPathFor } from '../core/atomic.js';
import type { StreamingStage } from '../core/stage.js';
import { CLUSTER_ID, CLUSTER_SIZE } from './cluster-columns.js';
import type { Doc } from '../core/types.js';
import { ANNOT_REMOVED, ANNOT_WIDTH, DOCS_WIDTH, layout } from './layout.js';
import { estimatedJaccard } from './minhash.js';
import { readAnnotations } from './annotations.js';
import { DocRecords } from './seekers.js';
import { clusterIdOf } from './signatures.js';
import type { TaskInfo } from './task-info.js';

/** One line of members/task-T.jsonl and of the output's dedup/clusters.jsonl.zst. */
export interface MemberLine {
  cluster: string;
  size: number;
  id: string;
  source: string;
  rank: number;
  kept: boolean;
  /** exact or near: the phase whose cluster this is. */
  phase: 'exact' | 'near';
  /** Signature-estimated Jaccard with the kept member (1 for exact duplicates). */
  jaccard: number;
}

export interface ApplyContext {
  dir: string;
  task: TaskInfo;
  tasks: TaskInfo[];
  minhash: boolean;
  clusterColumns: boolean;
}

/**
 * Stage 4, apply: streams one task's docs in the order the signature pass saw them, drops the rows the
 * clusters step marked, tags cluster members when asked, and lists every member for `zyda inspect`.
 * A near-duplicate annotation wins over an exact one for the same row: exact winners can join near clusters.
 */
export function applyStage(ctx: ApplyContext): StreamingStage & { finish(): void } {
  const exact = readAnnotations(ctx.dir, 'exact', ctx.task.task);
  const near = readAnnotations(ctx.dir, 'near', ctx.task.task);
  let ei = 0;
  let ni = 0;
  let row = 0;
  // Named by the task's key, like the pass's other outputs: a later plan may find this task at another position.
  const members = new MembersWriter(layout.members(ctx.dir, ctx.task.key ?? ctx.task.task));
  const sigs = new SignatureLookup(ctx);
  const clusterIds = new ClusterIds(ctx);

  return {
    process(docs, drops, reject) {
      const kept: Doc[] = [];
      for (const doc of docs) {
        while (ei < exact.length && exact[ei] < row) ei += ANNOT_WIDTH;
        while (ni < near.length && near[ni] < row) ni += ANNOT_WIDTH;
        const inNear = ni < near.length && near[ni] === row;
        const inExact = ei < exact.length && exact[ei] === row;
        row++;
        if (!inNear && !inExact) {
          kept.push(doc);
          continue;
        }
        const a = inNear ? near : exact;
        const at = inNear ? ni : ei;
        const removed = (a[at + 1] & ANNOT_REMOVED) !== 0;
        const size = a[at + 2];
        const keptDoc = a[at + 3];
        const cluster = clusterIds.of(keptDoc);
        const phase = inNear ? 'near' : 'exact';
        const self = ctx.task.offset + row - 1;
        // An exact cluster's kept doc can then lose in a near cluster: list it in both, so each cluster shows who it kept.
        if (inNear && inExact) members.add({ cluster: clusterIds.of(exact[ei + 3]), size: exact[ei + 2], id: doc.id, source: doc.source, rank: ctx.task.rank, kept: (exact[ei + 1] & ANNOT_REMOVED) === 0, phase: 'exact', jaccard: 1 });
        members.add({ cluster, size, id: doc.id, source: doc.source, rank: ctx.task.rank, kept: !removed, phase, jaccard: phase === 'exact' || keptDoc === self ? 1 : sigs.jaccard(self, keptDoc) });
        if (removed) {
          drops[phase] = (drops[phase] ?? 0) + 1;
          reject?.(doc, phase);
          continue;
        }
        if (ctx.clusterColumns) {
          const columns = (doc.columns ??= {});
          columns[CLUSTER_ID] = cluster;
          columns[CLUSTER_SIZE] = size;
        }
        kept.push(doc);
      }
      return kept;
    },
    finish() {
      if (row !== ctx.task.count) throw new Error(`dedup apply for task ${ctx.task.task} saw ${row} docs, but its signature pass saw ${ctx.task.count}; rerun the dedup stages for this task`);
      members.close();
      sigs.close();
      clusterIds.close();
    },
  };
}

class MembersWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private pending: string[] = [];

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = tempPathFor(path);
    this.fd = openSync(this.tmp, 'w');
  }

  add(m: MemberLine): void {
    this.pending.push(JSON.stringify(m));
    if (this.pending.length >= 4096) this.flush();
  }

  private flush(): void {
    if (this.pending.length > 0) writeSync(this.fd, this.pending.join('\n') + '\n');
    this.pending = [];
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }
}

class SignatureLookup {
  private readonly sigs: DocRecords;

  constructor(private readonly ctx: ApplyContext) {
    this.sigs = new DocRecords(ctx.dir, ctx.tasks, 'sigs');
  }

  jaccard(a: number, b: number): number {
    if (!this.ctx.minhash) return 1;
    return Math.round(estimatedJaccard(this.sigs.read(a), this.sigs.read(b)) * 1000) / 1000;
  }

  close(): void {
    this.sigs.close();
  }
}

/** A cluster's id, the hash of its kept doc's id, from that doc's task's doc file (it may be another task). */
class ClusterIds {
  private readonly docs: DocRecords;
  private readonly buf = new Uint32Array(DOCS_WIDTH);
  private readonly known = new Map<number, string>();

  constructor(ctx: ApplyContext) {
    this.docs = new DocRecords(ctx.dir, ctx.tasks, 'docs');
  }

  of(kept: number): string {
    let id = this.known.get(kept);
    if (id !== undefined) return id;
    this.docs.read(kept, this.buf);
    id = clusterIdOf(this.buf[0], this.buf[1]);
    // A task's members of one cluster are mostly near one another; a bounded cache covers them.
    if (this.known.size >= 4096) this.known.clear();
    this.known.set(kept, id);
    return id;
  }

  close(): void {
    this.docs.close();
  }
}
