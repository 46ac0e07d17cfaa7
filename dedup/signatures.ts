import { hash32 } from '../stages/hash.js';
import type { Collector } from '../stages/stage.js';
import type { Doc } from '../stages/types.js';
import { docHasher } from './doc-signature.js';
import { DOCS_WIDTH, FLAG_EMPTY, layout } from './layout.js';
import type { DedupOptions, LshShape } from './options.js';
import { RecordWriter, writeRecords } from './record-file.js';
import { sortRecords } from './sort-records.js';

/** What one task's signature pass reports to the reduce step. */
export interface SignatureArtifact {
  task: number;
  docs: number;
  /** Docs with no words after normalisation: never duplicates. */
  empty: number;
}

/** A growable array of u32 words. */
class Words {
  data = new Uint32Array(1024);
  length = 0;
  push4(a: number, b: number, c: number, d: number): void {
    if (this.length + 4 > this.data.length) this.grow();
    this.data[this.length++] = a;
    this.data[this.length++] = b;
    this.data[this.length++] = c;
    this.data[this.length++] = d;
  }
  push(x: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = x;
  }
  private grow(): void {
    const next = new Uint32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The stable 64-bit identity of a doc id, as two words: cluster ids and index entries are made of it. */
export function idHash(id: string): [number, number] {
  return [hash32(id, 0x5bd1e995), hash32(id, 0x1b873593)];
}

export function clusterIdOf(hi: number, lo: number): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/**
 * Stage 1, signatures: per doc of one task, the exact key, the MinHash signature, its band values, and the
 * doc's id hash. At the end each band's records are sorted and written with a checksum.
 */
export function signatureCollector(o: DedupOptions, shape: LshShape, task: number, dir: string): Collector<SignatureArtifact> {
  const hasher = docHasher(o);
  const bands = o.minhash ? Array.from({ length: shape.bands }, () => new Words()) : [];
  const exact = new Words();
  const sigs = o.minhash ? new RecordWriter(layout.sigs(dir, task), 'sigs', o.num_perm) : undefined;
  const docs = new RecordWriter(layout.docs(dir, task), 'docs', DOCS_WIDTH);
  const none = new Uint32Array(o.num_perm).fill(0xffffffff);
  let row = 0;
  let empty = 0;
  return {
    add(batch: Doc[]) {
      for (const doc of batch) {
        const keys = hasher(doc.text);
        const [hi, lo] = idHash(doc.id);
        const isEmpty = keys.exact === undefined && keys.signature === undefined;
        if (isEmpty) empty++;
        docs.write(hi, lo, isEmpty ? FLAG_EMPTY : 0);
        if (keys.exact) {
          exact.push4(keys.exact[0], keys.exact[1], keys.exact[2], keys.exact[3]);
          exact.push(row);
        }
        if (sigs) {
          const sig = keys.signature ?? none;
          sigs.writeWords(sig);
          if (keys.signature) {
            for (let b = 0; b < bands.length; b++) {
              const w = bands[b];
              for (let r = 0; r < shape.rows; r++) w.push(sig[b * shape.rows + r]);
              w.push(row);
            }
          }
        }
        row++;
      }
    },
    finish() {
      docs.close();
      sigs?.close();
      if (o.exact) writeRecords(layout.exact(dir, task), 'exact', 5, sortRecords(exact.view(), 5, 4));
      bands.forEach((w, b) => writeRecords(layout.band(dir, b, task), 'band', shape.rows + 1, sortRecords(w.view(), shape.rows + 1, shape.rows)));
      return { task, docs: row, empty };
    },
  };
}
