import { fileOf } from './layout.js';
import { RecordSeeker } from './record-file.js';
import { rerunHint, taskOfDoc, type TaskInfo } from './task-info.js';

/** Seekers a lookup keeps open; the least recently opened is closed past this, so open files stay bounded. */
const MAX_OPEN = 64;

/**
 * Random reads of one kind of per-task record file (signatures or doc ids) by global doc number. Files are
 * opened on demand, at most MAX_OPEN at a time, and found by task number, so a lookup builds no path.
 */
export class DocRecords {
  private readonly open = new Map<number, RecordSeeker>();

  constructor(
    private readonly dir: string,
    private readonly tasks: TaskInfo[],
    private readonly kind: 'sigs' | 'docs',
  ) {}

  read(g: number, out?: Uint32Array<ArrayBuffer>): Uint32Array {
    const t = taskOfDoc(this.tasks, g);
    return this.seeker(t).read(g - t.offset, out);
  }

  private seeker(t: TaskInfo): RecordSeeker {
    let s = this.open.get(t.task);
    if (s) return s;
    if (this.open.size >= MAX_OPEN) {
      const [oldest, seeker] = this.open.entries().next().value as [number, RecordSeeker];
      seeker.close();
      this.open.delete(oldest);
    }
    s = new RecordSeeker(fileOf(this.dir, t, this.kind), this.kind, rerunHint(t));
    this.open.set(t.task, s);
    return s;
  }

  close(): void {
    for (const s of this.open.values()) s.close();
    this.open.clear();
  }
}
