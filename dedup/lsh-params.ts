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

/** Every (bands, rows) with bands × rows ≤ numPerm, in that order; the first with the least weighted error wins. */
export function optimalBands(threshold: number, numPerm: number, fpWeight = 0.5, fnWeight = 0.5): { bands: number; rows: number } {
  let best = { bands: 1, rows: numPerm };
  let bestError = Infinity;
  for (let bands = 1; bands <= numPerm; bands++) {
    for (let rows = 1; bands * rows <= numPerm; rows++) {
      const error = fpWeight * falsePositiveArea(threshold, bands, rows) + fnWeight * falseNegativeArea(threshold, bands, rows);
      if (error < bestError) {
        bestError = error;
        best = { bands, rows };
      }
    }
  }
  return best;
}
