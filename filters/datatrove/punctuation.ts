/**
 * datatrove's two punctuation sets (datatrove.utils.text): PUNCTUATION_SET, whose members a word made only of
 * is no word to Gopher's quality rules, and TERMINAL_PUNCTUATION, the marks FineWeb counts as ending a line.
 * Both are sets of code points.
 */

/** TERMINAL_PUNCTUATION, as hex code points: sentence terminals across scripts (close to Unicode's STerm). */
const TERMINAL_HEX = [
  '21 2e 3f 589 61d 61e 61f 6d4 700 701 702 7f9 837 839 83d 83e 964 965 104a 104b 1362 1367 1368 166e',
  '1735 1736 17d4 17d5 17d6 17d9 17da 1803 1809 1944 1945 1aa8 1aa9 1aaa 1aab 1b5a 1b5b 1b5e 1b5f 1b7d',
  '1b7e 1c3b 1c3c 1c7e 1c7f 203c 203d 2047 2048 2049 2e2e 2e3c 2e53 2e54 3002 a4ff a60e a60f a6f3 a6f7',
  'a876 a877 a8ce a8cf a92f a9c8 a9c9 aa5d aa5e aa5f aaf0 aaf1 abeb fe52 fe56 fe57 ff01 ff0e ff1f ff61',
  '10a56 10a57 10f55 10f56 10f57 10f58 10f59 10f86 10f87 10f88 10f89 11047 11048 110be 110bf 110c0',
  '110c1 11141 11142 11143 111c5 111c6 111cd 111de 111df 11238 11239 1123b 1123c 112a9 1144b 1144c',
  '115c2 115c3 115c9 115ca 115cb 115cc 115cd 115ce 115cf 115d0 115d1 115d2 115d3 115d4 115d5 115d6',
  '115d7 11641 11642 1173c 1173d 1173e 11944 11946 11a42 11a43 11a9b 11a9c 11c41 11c42 11ef7 11ef8',
  '11f43 11f44 16a6e 16a6f 16af5 16b37 16b38 16b44 16e98 1bc9f 1da88',
];

export const TERMINAL_PUNCTUATION: ReadonlySet<number> = new Set(TERMINAL_HEX.join(' ').split(' ').map((h) => parseInt(h, 16)));

/** The printable members of PUNCTUATION (ASCII punctuation and common CJK and typographic marks). */
const PRINTABLE = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~«´»–—’“”„…∶━►、。〈〉《》「」【】！％（），．１：；？～';

/** PUNCTUATION_SET: PRINTABLE, the C0 controls but tab and newline, DEL, the C1 controls, and the terminals. */
export const PUNCTUATION_SET: ReadonlySet<number> = new Set([
  ...[...PRINTABLE].map((c) => c.codePointAt(0)!),
  ...range(0x00, 0x09),
  ...range(0x0b, 0x20),
  ...range(0x7f, 0xa0),
  ...TERMINAL_PUNCTUATION,
]);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}
