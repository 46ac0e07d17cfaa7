import { join } from 'node:path';
import type { PipelineConfig, StageSpec } from '../core/config-schema.js';
import { stageTasks } from '../core/registry.js';
import type { StageContext } from '../core/stage.js';

/**
 * The stage list cut at its barriers. A segment is one pass over every task, fused in one worker:
 * it first applies the previous barrier's decision, then its streaming stages, then feeds the next
 * barrier's collector. Segment 0 reads the inputs; later ones read the previous segment's parts.
 */
export interface Segment {
  index: number;
  applyBarrier?: number;
  streaming: number[];
  collectBarrier?: number;
}

export function segmentsOf(stages: StageSpec[]): Segment[] {
  const segments: Segment[] = [{ index: 0, streaming: [] }];
  stages.forEach((spec, i) => {
    const cur = segments[segments.length - 1];
    if (stageTasks(spec.kind).type === 'barrier') {
      cur.collectBarrier = i;
      segments.push({ index: segments.length, applyBarrier: i, streaming: [] });
    } else {
      cur.streaming.push(i);
    }
  });
  return segments;
}

/**
 * A segment 0 that only feeds a barrier passes the input's docs on as read, so it leaves no part: the next
 * pass reads the same input again, which costs less than writing every doc to a part and reading it back.
 */
export function passesInputOn(seg: Segment): boolean {
  return seg.index === 0 && seg.applyBarrier === undefined && seg.streaming.length === 0 && seg.collectBarrier !== undefined;
}

export function stageLabel(spec: StageSpec, index: number): string {
  return `${index}-${spec.kind}`;
}

export function stageContext(cfg: PipelineConfig, stageIndex: number): StageContext {
  const spec = cfg.stages[stageIndex];
  return { config: cfg, stageIndex, stageDir: join(cfg.workdir, 'stages', stageLabel(spec, stageIndex)) };
}

export function decisionPath(cfg: PipelineConfig, stageIndex: number): string {
  return join(stageContext(cfg, stageIndex).stageDir, 'decision.json');
}
