import type { Doc, InputProblem } from '../../core/types.js';

/** What a reader hands the runner: docs plus the problems met while reading them. */
export interface ReadBatch {
  docs: Doc[];
  problems: InputProblem[];
  /** Docs this batch accounts for: docs.length plus what the problems stand for. */
  read: number;
  /** Input file bytes consumed since the previous batch, when the reader knows its position in the file. */
  bytes?: number;
}

/**
 * Collects docs and problems until about `batchBytes` of text. Batches stay on the worker that reads them, so
 * they need only be big enough for per-batch costs to vanish. Kept small, a batch is done with before the
 * garbage collector's young generation fills, and its docs die young; docs of a large batch are still live at
 * each scavenge, so they are copied and promoted, which slows reading down.
 */
export class BatchBuilder {
  private docs: Doc[] = [];
  private problems: InputProblem[] = [];
  private read = 0;
  private chars = 0;
  private bytes?: number;

  constructor(private readonly batchBytes: number) {}

  addDoc(doc: Doc): void {
    this.docs.push(doc);
    this.read++;
    this.chars += doc.text.length;
  }

  addProblem(p: InputProblem): void {
    this.problems.push(p);
    this.read += p.docs;
  }

  /** Input bytes consumed, for progress. */
  consumed(bytes: number): void {
    this.bytes = (this.bytes ?? 0) + bytes;
  }

  get full(): boolean {
    return this.chars >= this.batchBytes || this.read >= 100_000;
  }

  take(): ReadBatch {
    const b: ReadBatch = { docs: this.docs, problems: this.problems, read: this.read, bytes: this.bytes };
    this.bytes = undefined;
    this.docs = [];
    this.problems = [];
    this.read = 0;
    this.chars = 0;
    return b;
  }

  get empty(): boolean {
    return this.read === 0;
  }
}
