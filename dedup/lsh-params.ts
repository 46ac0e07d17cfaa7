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

export function optimalBands(threshold: number, numPerm: number, fpWeight = 0.5, fnWeight = 0.5): { bands: number; rows: number } {
  // The same Simpson sums as falsePositiveArea and falseNegativeArea, for every (b, r) at once: on each grid
  // point s^r comes from s^(r−1) and (1 − s^r)^b from (1 − s^r)^(b−1), by one multiplication each instead of
  // two Math.pow calls. That takes the search from ~170 ms to a few ms, and every process of a run does it.
  const fp = simpsonGrid(0, threshold);
  const fn = simpsonGrid(threshold, 1);
  const error = new Float64Array((numPerm + 1) * (numPerm + 1));
  const sPowFp = new Float64Array(fp.points.length).fill(1);
  const sPowFn = new Float64Array(fn.points.length).fill(1);
  for (let rows = 1; rows <= numPerm; rows++) {
    for (let i = 0; i < fp.points.length; i++) sPowFp[i] *= fp.points[i];
    for (let i = 0; i < fn.points.length; i++) sPowFn[i] *= fn.points[i];
    // missFp[i] = (1 − s^r)^b on the false-positive grid, missFn likewise: the chance a pair is not a candidate.
    const missFp = new Float64Array(fp.points.length).fill(1);
    const missFn = new Float64Array(fn.points.length).fill(1);
    for (let bands = 1; bands * rows <= numPerm; bands++) {
      let fpSum = 0;
      for (let i = 0; i < missFp.length; i++) fpSum += fp.weights[i] * (1 - (missFp[i] *= 1 - sPowFp[i]));
      let fnSum = 0;
      for (let i = 0; i < missFn.length; i++) fnSum += fn.weights[i] * (missFn[i] *= 1 - sPowFn[i]);
      error[bands * (numPerm + 1) + rows] = fpWeight * fpSum * fp.scale + fnWeight * fnSum * fn.scale;
    }
  }
  // The first minimum in (bands, rows) order, as a scan that computed each error in turn would find.
  let best = { bands: 1, rows: numPerm };
  let bestError = Infinity;
  for (let bands = 1; bands <= numPerm; bands++) {
    for (let rows = 1; bands * rows <= numPerm; rows++) {
      const e = error[bands * (numPerm + 1) + rows];
      if (e < bestError) {
        bestError = e;
        best = { bands, rows };
      }
    }
  }
  return best;
}

/** integrate's grid on [a, b]: its points, Simpson weights (1, 4, 2, …, 4, 1) and h/3. */
function simpsonGrid(a: number, b: number, steps = 1000): { points: Float64Array; weights: Float64Array; scale: number } {
  if (b <= a) return { points: new Float64Array(0), weights: new Float64Array(0), scale: 0 };
  const h = (b - a) / steps;
  const points = new Float64Array(steps + 1);
  const weights = new Float64Array(steps + 1);
  for (let i = 0; i <= steps; i++) {
    points[i] = i === steps ? b : a + i * h;
    weights[i] = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
  }
  return { points, weights, scale: h / 3 };
}
