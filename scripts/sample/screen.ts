import { SCREEN_JACCARD } from './settings.js';
import { OverlapIndex, shingles } from './shingles.js';

/** Screening: base documents must not overlap each other, so the planted list is the whole truth. */
export class Screen {
  private readonly index = new OverlapIndex();

  /** Exact repeats score 1, so they are caught here too. */
  accept(text: string): boolean {
    const sh = shingles(text);
    if (sh.size === 0 || this.index.maxOverlap(sh) >= SCREEN_JACCARD) return false;
    this.index.add(sh);
    return true;
  }
}
