import type { Doc, InputProblem } from '../types.js';

/** What a reader hands the runner: docs plus the problems met while reading them. */
export interface ReadBatch {
  docs: Doc[];
  problems: InputProblem[];
  /** Docs this batch accounts for: docs.length plus what the problems stand for. */
  read: number;
}

/** Collects docs and problems until about `batchBytes` of text, so workers pass few, large messages. */
export class BatchBuilder {
  private docs: Doc[] = [];
  private problems: InputProblem[] = [];
  private read = 0;
  private chars = 0;

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

  get full(): boolean {
    return this.chars >= this.batchBytes || this.read >= 100_000;
  }

  take(): ReadBatch {
    const b = { docs: this.docs, problems: this.problems, read: this.read };
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
