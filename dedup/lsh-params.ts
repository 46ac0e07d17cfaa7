/**
 * Bands × rows for a Jaccard threshold, chosen as datasketch does: minimise the weighted false-positive area
 * (candidates below the threshold) plus false-negative area (missed pairs above it) of the S-curve
 * P(s) = 1 − (1 − s^r)^b, over every b·r ≤ num_perm. Zyda's 0.4 with 128 perms gives 32 × 4.
 */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}

/** Simpson's rule on a fine grid: the areas need three good digits, not quadrature to machine precision. */
function integrate(f: (x: number) => number, a: number, b: number, steps = 1000): number {
  if (b <= a) return 0;
  const h = (b - a) / steps;
  let sum = f(a) + f(b);
  for (let i = 1; i < steps; i++) sum += f(a + i * h) * (i % 2 === 1 ? 4 : 2);
  return (sum * h) / 3;
}

export function falsePositiveArea(threshold: number, bands: number, rows: number): number {
  return integrate((s) => candidateProbability(s, bands, rows), 0, threshold);
}

export function falseNegativeArea(threshold: number, bands: number, rows: number): number {
  return integrate((s) => 1 - candidateProbability(s, bands, rows), threshold, 1);
}

/**
 * Every (bands, rows) with bands × rows ≤ numPerm, in that order; the first with the least weighted error wins.
 * The weights are not negative.
 */
export function optimalBands(threshold: number, numPerm: number, fpWeight = 0.5, fnWeight = 0.5): { bands: number; rows: number } {
  // The areas of falsePositiveArea and falseNegativeArea, with 1 − s^rows taken once per grid point and row
  // count rather than once per band count too: the same operations in the same order, so the same sums.
  const below = missTables(0, threshold, numPerm);
  const above = missTables(threshold, 1, numPerm);
  let best = { bands: 1, rows: numPerm };
  let bestError = Infinity;
  // Most pairs cannot win, and the areas say which without the other one's sums: the false-negative area only
  // grows with rows at fixed bands, the false-positive area only with bands at fixed rows, and either one
  // weighted is below a pair's error. A pair is passed over only when that part alone exceeds the best error
  // so far by more than rounding could move it, so the pair picked is the one the full search picks.
  const beyond = (part: number) => part > bestError * (1 + 1e-9);
  const fpTooHigh = new Uint8Array(numPerm + 1);
  for (let bands = 1; bands <= numPerm; bands++) {
    for (let rows = 1; bands * rows <= numPerm; rows++) {
      if (fpTooHigh[rows]) continue;
      const fn = simpson(above, rows, bands, true);
      if (beyond(fnWeight * fn)) break;
      const fp = simpson(below, rows, bands, false);
      if (beyond(fpWeight * fp)) {
        fpTooHigh[rows] = 1;
        continue;
      }
      const error = fpWeight * fp + fnWeight * fn;
      if (error < bestError) {
        bestError = error;
        best = { bands, rows };
      }
    }
  }
  return best;
}

const STEPS = 1000;

/** On integrate's grid over [a, b]: 1 − s^rows at every point, for the row counts the search asks for, and the step. */
interface MissTables {
  a: number;
  b: number;
  h: number;
  /** miss[rows][i]: at s = a (i = 0), b (i = STEPS), else a + i·h; made on first use, as most row counts are passed over. */
  miss: (Float64Array | undefined)[];
}

function missTables(a: number, b: number, maxRows: number): MissTables {
  return { a, b, h: (b - a) / STEPS, miss: new Array<Float64Array | undefined>(maxRows + 1) };
}

function missRow(t: MissTables, rows: number): Float64Array {
  let row = t.miss[rows];
  if (row === undefined) {
    row = new Float64Array(STEPS + 1);
    for (let i = 0; i <= STEPS; i++) row[i] = 1 - (i === 0 ? t.a : i === STEPS ? t.b : t.a + i * t.h) ** rows;
    t.miss[rows] = row;
  }
  return row;
}

/**
 * integrate() over the tables' interval of the candidate probability 1 − (1 − s^rows)^bands, or of its
 * complement (`missed`), summed in integrate's order.
 */
function simpson(t: MissTables, rows: number, bands: number, missed: boolean): number {
  if (t.b <= t.a) return 0;
  const m = missRow(t, rows);
  const f = (miss: number) => (missed ? 1 - (1 - miss ** bands) : 1 - miss ** bands);
  let sum = f(m[0]) + f(m[STEPS]);
  for (let i = 1; i < STEPS; i++) sum += f(m[i]) * (i % 2 === 1 ? 4 : 2);
  return (sum * t.h) / 3;
}
