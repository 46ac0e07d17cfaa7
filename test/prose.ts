/** Plain English paragraphs that every filter preset keeps. */
export const PROSE = [
  'The river ran fast after the storm, and the village watched it rise with care.',
  'Farmers moved their animals to the higher fields that have been dry for weeks.',
  'By evening the water had reached the old stone bridge at the edge of the town.',
  'Children stood with their parents and counted the branches carried past them.',
  'Nobody could remember a flood like this one, not even the oldest of the fishermen.',
  'In the morning the sun came out and the river slowly went back to its banks.',
].join('\n');
