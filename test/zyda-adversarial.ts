import { mulberry32 } from '../core/prng.js';
import { CURSED, PROFANITY, SEXUAL, ZH_PORNSIGNALS } from '../filters/zyda-wordlists.js';
import { ZYDA_TRANSFORM_STEPS } from '../filters/zyda-transform.js';

/**
 * Texts built to reach every Zyda word-list entry, pattern, end anchor, stride entry, transform step and rule
 * edge, in the contexts where a fast path could diverge from the regexes: at the text's ends, back to back
 * (non-overlap), inside longer words, next to astral characters, lone surrogates and Python-only whitespace.
 * Real text alone is not enough: clean English drops almost nothing. Deterministic (seeded).
 */

/** Python whitespace that JS `\s` lacks, JS whitespace that Python lacks, and the usual ones. */
const ODD_SPACE = ['\u001c', '\u001f', '\u0085', '\ufeff', '\u00a0', '\u2028', '\u3000', '\u200b', '\r', '\t', '\v', '\f'];
const ASTRAL = ['😀', '𝐀', '𝟎', '𠀀'];
const LONE = ['\ud800', '\udc00'];

/** The literal text each word-list entry stands for (regex escapes and anchors dropped). */
function literalOf(entry: string): string {
  return entry.replace(/\\s\*\$$|\$$/, '').replace(/\\(.)/g, '$1');
}

const ENTRIES = [...PROFANITY, ...SEXUAL, ...ZH_PORNSIGNALS, ...CURSED];
const LITERALS = [...new Set(ENTRIES.filter((e) => !e.includes('[') && !e.includes(',,?')).map(literalOf))];

/** A clean filler of 5-letter words that fires no rule and no stride entry. */
function clean(n: number): string {
  return 'abcde '.repeat(Math.ceil(n / 6)).slice(0, n);
}

function entryContexts(): string[] {
  const out: string[] = [];
  for (const lit of LITERALS) {
    const bare = lit.trim();
    out.push(
      lit,
      lit + lit,
      lit + lit + lit,
      `x${lit}y`,
      `${lit.trimEnd()}${lit}`,
      clean(300) + lit + clean(300),
      bare,
      ` ${bare} ${bare} ${bare} `,
      `${bare}${bare}`,
      lit.toUpperCase(),
      lit.slice(0, -1),
      lit.slice(1),
      '😀' + lit + '😀',
      '\ud800' + lit + '\udc00',
      lit.replace(' ', '\u00a0'),
      lit.replace(/ /g, '  '),
      (lit + '\n').repeat(5),
    );
  }
  return out;
}

/** `\|\s*$`, ` nr\.$`, ` г\.\s*$`, ` кг\.\s*$`: what may follow the anchor, and what may not. */
function endAnchors(): string[] {
  const heads = ['|', ' nr.', ' г.', ' кг.', ' Г.', 'nr.', ' nr', ' шт.', ' кг. x', '||', '| |'];
  const tails = ['', ' ', '\n', '\n\n', ' \n', '\n ', '\t\r\n', ' '.repeat(20), ' '.repeat(15) + '\n', ...ODD_SPACE, ...ODD_SPACE.map((s) => s + '\n')];
  const out: string[] = [];
  for (const h of heads) for (const t of tails) out.push(h + t, clean(200) + h + t, h + t + h + t);
  return out;
}

/** The stride entries: nine groups of a space and 1, 3 or 4 characters; the comma entry. */
function strides(): string[] {
  const out: string[] = [];
  const groups = (w: number, n: number, fill = 'q') => Array.from({ length: n }, (_, i) => ' ' + fill.repeat(w).slice(0, w).replace(/q/g, String.fromCharCode(97 + (i % 26)))).join('');
  for (const w of [1, 2, 3, 4, 5]) {
    for (const n of [8, 9, 10, 17, 18, 19, 27, 40]) {
      out.push(groups(w, n), groups(w, n) + ' ', clean(100) + groups(w, n) + '.', groups(w, n).replace(/ /g, '  '));
    }
    // Nine groups: exactly one match, which a change anywhere inside must make or break.
    for (const g of [groups(w, 9), groups(w, 12)]) for (const odd of [...ASTRAL, ...LONE, '\n', ' ', '\r', '\u2028']) {
      // Replacing one unit, inserting, and replacing two units (an astral character then fills two of a group's places).
      for (const at of [2, 5, 9, 20]) out.push(g.slice(0, at) + odd + g.slice(at + 1), g.slice(0, at) + odd + g.slice(at), g.slice(0, at) + odd + g.slice(at + 2));
    }
  }
  out.push(' '.repeat(36), ' '.repeat(45), ' '.repeat(90), ' . . . . . . . . . .', ' ... ... ... ... ... ... ... ... ...', ' .... .... .... .... .... .... .... .... ....');
  const commas = [', ab,c ab,c ab,c ab,c', ', ab,,c ab,,c ab,,c ab,,', ', ab, ab, ab, ab,', ', ab,, ab,, ab,, ab,,,', ', a\n,c ab,c ab,c ab,c', ', 😀b,c ab,c ab,c ab,c', ', 😀😀,c ab,c ab,c ab,c'];
  for (const c of commas) out.push(c, c + c, c.repeat(3), 'x' + c + ' ' + c, c.slice(0, -1), clean(100) + c);
  out.push(', ab, ab, ab, ab, ab, ab, ab, ab, ab,', ',, ab,, ab,, ab,, ab,, ab,,', ', ab,c ab,c ab,c ab,c ab,c ab,c ab,c ab,c ab,c');
  return out;
}

function patternsAndPii(): string[] {
  return [
    'www', 'www.', 'www\n', 'www\r', 'wwww.', 'wwwwww', 'www😀', 'www\ud800', 'www.www.www.', 'www\nwww.',
    'xml', 'xmlxml', 'xml version=', '<xml version=', '<?xml version=', '<<xml version=xml version=', 'xml  version=',
    'lorem ipsum lorem ipsumlorem ipsum', 'Lorem ipsum', 'https://https://', 'http://', '<<<>>>', '"::"":', '""::',
    'a@b.co', 'mail me: a.b+c@d-e.example.org.', 'x@y.z', 'x@y.zz', 'é@b.co', 'a@b.cO', 'a@b.c|d', '@@a@b.co',
    '1.2.3.4', '255.255.255.255', '256.1.1.1', '1.2.3.4.5', 'é1.2.3.4', '1.2.3.4é', '01.02.03.04', '١.٢.٣.٤', '1.2.3', '999.1.1.1 1.1.1.999',
  ].flatMap((t) => [t, clean(120) + t + clean(120), `${t} ${t}`]);
}

/** Runs at, just under and just over each transform step's threshold, and the repeated-substring runs. */
function runs(): string[] {
  const out: string[] = [];
  for (const [c, n] of ZYDA_TRANSFORM_STEPS) {
    for (const k of [n - 1, n, n + 1, 2 * n, 3 * n + 7]) {
      const r = c.repeat(k);
      out.push(r, 'a' + r + 'b', clean(150) + r, r + clean(150), r + 'x' + r, clean(95) + r);
    }
  }
  out.push('\r\n'.repeat(30), '-_'.repeat(40), '- '.repeat(50), '.'.repeat(9) + '\n' + '.'.repeat(9));
  for (const ch of ['a', '7', '_', 'é', '日', '𝐀', '😀', '١', '-', ' ']) {
    for (const k of [6, 7, 8, 14, 60]) out.push(ch.repeat(k), clean(120) + (ch.repeat(k) + ' ').repeat(51), (ch.repeat(k) + ' ').repeat(50));
  }
  return out;
}

/** Character classes that Python and JS disagree on, and code-point lengths. */
function classes(): string[] {
  const out = ['', ' ', '\n', 'a', '日本語éß', '١٢ab', 'a!b?', '😀'.repeat(50), '😀'.repeat(100), 'abc  abc', 'a-b/c\\d.e', '...', '- - -'];
  for (const s of [...ODD_SPACE, ...ASTRAL, ...LONE]) out.push(`ab${s}cd`, s.repeat(120), clean(100) + s);
  for (let c = 0x2000; c < 0x2030; c++) out.push(`word${String.fromCharCode(c)}word `.repeat(20));
  return out;
}

/** Documents around each drop rule's threshold, built from real-looking filler plus the triggering item. */
function ruleEdges(): string[] {
  const out: string[] = [];
  for (let n = 97; n <= 102; n++) out.push(clean(n), clean(n - 20) + '-'.repeat(30));
  const body = (n: number) => clean(n);
  const items: [string, number[]][] = [
    ['xml ', [10, 11]], ['xml version= ', [1, 2]], ['lorem ipsum ', [2, 3]], [' https://x', [1, 2, 3]], ['<', [29, 30, 31]],
    ['"a": 1 ', [1, 2, 3]], ['www.x ', [9, 10, 11]], [' 4438x ', [1]], [' 99re ', [1, 2]], [' 一本道 ', [1, 2]],
    [' dick ', [1, 2, 10, 11]], [' fuck ', [2, 3, 4]], [' mp3 ', [9, 10, 11]], ['aaaaaaa ', [50, 51]],
  ];
  for (const [item, counts] of items) for (const k of counts) for (const len of [999, 1000, 1001]) out.push(body(len - item.length * k) + item.repeat(k));
  for (const frac of [0.29, 0.3, 0.31]) out.push('ab!'.repeat(Math.round(frac * 100)) + clean(400));
  out.push('1'.repeat(200) + clean(800), '1'.repeat(201) + clean(799), 'ab '.repeat(300), 'abcdefghijklm '.repeat(50), 'abcdefghijkl '.repeat(50));
  return out;
}

/** Long texts: the scan counts in chunks of 1023 units and copies units into a buffer that grows past 32k. */
function long(): string[] {
  const out: string[] = [];
  for (let k = 1018; k <= 1026; k++) out.push('a'.repeat(k) + '😀😀 ' + clean(1100), 'ab '.repeat(k) + '😀' + ' a b c d e f g h i');
  const body = clean(60000);
  out.push(body, body + ' fuck ' + body.slice(0, 1000) + ' sex ' + '😀'.repeat(20000) + ' a b c d e f g h i |', '-'.repeat(70000));
  return out;
}

/** Random mixes of entry fragments, separators and odd characters: overlaps no hand-written case thought of. */
function fuzz(count: number, seed: number): string[] {
  const rand = mulberry32(seed);
  // Half the texts leave out the zh list, which would otherwise name the drop reason of most of them.
  const zh = new Set(ZH_PORNSIGNALS.map(literalOf));
  const lits = (withZh: boolean) => LITERALS.filter((l) => withZh || !zh.has(l));
  const pieceSet = (withZh: boolean) => [
    ...lits(withZh), ...lits(withZh).map((l) => l.slice(0, Math.max(1, l.length - 2))), ...lits(withZh).map((l) => l.slice(1)),
    ' ', ' ', ' ', '  ', ',', ', ', ',,', '.', '..', '|', '\n', '\r\n', 'a', 'ab', 'abc', 'abcd', 'the ', 'www', 'xml', '"', ':', '<', '>', '@',
    '1.', '25', 'nr.', 'г.', 'кг.', '-', '/', '\\', '_', '?', '\t', '\u00a0', ...ODD_SPACE, ...ASTRAL, ...LONE,
  ];
  const sets = [pieceSet(true), pieceSet(false)];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const pieces = sets[i % 2];
    const n = 1 + Math.floor(rand() * 120);
    let s = '';
    for (let k = 0; k < n; k++) {
      const p = pieces[Math.floor(rand() * pieces.length)];
      s += rand() < 0.05 ? p.repeat(2 + Math.floor(rand() * 12)) : p;
    }
    out.push(s);
  }
  return out;
}

/** Every adversarial text; `fuzzCount` random ones on top of the hand-built cases. */
export function adversarialTexts(fuzzCount = 3000, seed = 20240611): string[] {
  // Flatten each text once: concatenation leaves cons strings, which real input never is.
  return [...entryContexts(), ...endAnchors(), ...strides(), ...patternsAndPii(), ...runs(), ...classes(), ...ruleEdges(), ...long(), ...fuzz(fuzzCount, seed)].map((t) =>
    JSON.parse(JSON.stringify(t)) as string,
  );
}
