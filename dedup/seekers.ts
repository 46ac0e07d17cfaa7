import { RecordSeeker, type RecordKind } from './record-file.js';

/** Seekers a lookup keeps open; the least recently opened is closed past this, so open files stay bounded. */
const MAX_OPEN = 64;

/** Random-access readers of many record files, opened on demand and at most MAX_OPEN at a time. */
export class SeekerCache {
  private readonly open = new Map<string, RecordSeeker>();

  constructor(private readonly kind: RecordKind) {}

  get(path: string, rerun: string): RecordSeeker {
    let s = this.open.get(path);
    if (s) return s;
    if (this.open.size >= MAX_OPEN) {
      const [oldest, seeker] = this.open.entries().next().value as [string, RecordSeeker];
      seeker.close();
      this.open.delete(oldest);
    }
    s = new RecordSeeker(path, this.kind, rerun);
    this.open.set(path, s);
    return s;
  }

  close(): void {
    for (const s of this.open.values()) s.close();
    this.open.clear();
  }
}
