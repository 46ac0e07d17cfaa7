/**
 * Zyda's "substring replacement" (zyda-spec §3): thirteen steps, in order, each collapsing any run of at least N
 * of one character into a single copy. Shorter runs and mixed sequences (`\r\n\r\n…`) are left alone.
 */
export const ZYDA_TRANSFORM_STEPS: [char: string, minRun: number][] = [
  ['-', 10], [' ', 40], ['_', 10], ['/', 10], ['\\', 10], ['\n', 10], ['\t', 20], ['\r', 10], ['.', 10], [',', 10], [':', 10], ['?', 10], ['\u00a0', 10],
];

const escape = (c: string) => c.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');
const STEPS = ZYDA_TRANSFORM_STEPS.map(([c, n]) => ({ re: new RegExp(`${escape(c)}{${n},}`, 'g'), c }));

/** Each step's minimum run, by character code (0: not a step character). All codes are below 256. */
const MIN_RUN = new Uint8Array(256);
for (const [c, n] of ZYDA_TRANSFORM_STEPS) MIN_RUN[c.charCodeAt(0)] = n;
/** The shortest minimum run: any run that long covers a position that is a multiple of it. */
const PROBE = Math.min(...ZYDA_TRANSFORM_STEPS.map(([, n]) => n));

/**
 * Whether any step would change the text: some run of a step character reaches its minimum. Every such run is
 * at least PROBE long, so it covers one of the positions PROBE-1, 2·PROBE-1, …; only those are probed, and a
 * probe that lands on a step character measures the run around it.
 */
export function needsTransform(text: string): boolean {
  const n = text.length;
  for (let p = PROBE - 1; p < n; p += PROBE) {
    const c = text.charCodeAt(p);
    const min = c < 256 ? MIN_RUN[c] : 0;
    if (min === 0) continue;
    let a = p;
    while (a > 0 && text.charCodeAt(a - 1) === c) a--;
    let b = p + 1;
    while (b < n && text.charCodeAt(b) === c) b++;
    if (b - a >= min) return true;
  }
  return false;
}

export function zydaTransform(text: string): string {
  if (!needsTransform(text)) return text;
  for (const { re, c } of STEPS) text = text.replace(re, c);
  return text;
}
