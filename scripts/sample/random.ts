import { fnv1a } from '../../core/hash.js';
import { mulberry32 } from '../../core/prng.js';
import { SEED } from './settings.js';

/** The sample's only randomness: seeded mulberry32 draws, so every byte it writes is reproducible. */
export class Rng {
  /** A float in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  float(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** Each part of the generator gets its own stream so tweaking one part leaves the others' output alone. */
export function rngFor(label: string): Rng {
  return new Rng(fnv1a(label) ^ SEED);
}
