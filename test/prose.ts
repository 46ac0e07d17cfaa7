/** Plain English paragraphs that every filter preset keeps. */
export const PROSE = [
  'The river ran fast after the storm, and the village watched it rise with care.',
  'Farmers moved their animals to the higher fields that have been dry for weeks.',
  'By evening the water had reached the old stone bridge at the edge of the town.',
  'Children stood with their parents and counted the branches carried past them.',
  'Nobody could remember a flood like this one, not even the oldest of the fishermen.',
  'In the morning the sun came out and the river slowly went back to its banks.',
].join('\n');

const VOCAB = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu amber basalt cobalt dune ember fjord glacier harbor island jasper kelp lagoon meadow nectar orchard prairie quartz reef savanna tundra upland valley willow yarrow zephyr'.split(' ');

/** A doc of distinct prose: two docs from different seeds share almost no 5-grams. */
export function seededProse(seed: number, words = 120): string {
  let x = (seed * 2654435761 + 7) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(VOCAB[(x >>> 8) % VOCAB.length]);
  }
  return out.join(' ');
}
