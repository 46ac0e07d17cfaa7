/**
 * Zyda's "substring replacement" (zyda-spec §3): thirteen steps, in order, each collapsing any run of at least N
 * of one character into a single copy. Shorter runs and mixed sequences (`\r\n\r\n…`) are left alone.
 */
export const ZYDA_TRANSFORM_STEPS: [char: string, minRun: number][] = [
  ['-', 10], [' ', 40], ['_', 10], ['/', 10], ['\\', 10], ['\n', 10], ['\t', 20], ['\r', 10], ['.', 10], [',', 10], [':', 10], ['?', 10], ['\u00a0', 10],
];

const escape = (c: string) => c.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');
const STEPS = ZYDA_TRANSFORM_STEPS.map(([c, n]) => ({ re: new RegExp(`${escape(c)}{${n},}`, 'g'), c }));
/** One scan that tells whether any step would change the text; most documents need none. */
const ANY = new RegExp(ZYDA_TRANSFORM_STEPS.map(([c, n]) => `${escape(c)}{${n}}`).join('|'));

export function zydaTransform(text: string): string {
  if (!ANY.test(text)) return text;
  for (const { re, c } of STEPS) text = text.replace(re, c);
  return text;
}
