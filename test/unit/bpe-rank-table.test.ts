import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankOf, rankTable } from '../../tokenizers/bpe/rank-table.js';
import { readTiktokenRanks, tiktokenRankFile } from '../../tokenizers/bpe/tiktoken.js';

test('the rank table gives every token of an encoding its rank, looked up by a slice', () => {
  const ranks = readTiktokenRanks(tiktokenRankFile('gpt2'));
  for (const shared of [false, true]) {
    const table = rankTable(ranks, shared);
    assert.equal(table.slots.buffer instanceof SharedArrayBuffer, shared);
    for (const [token, rank] of ranks) {
      const padded = `\u00ff${token}\u0000`;
      assert.equal(rankOf(table, padded, 1, 1 + token.length), rank);
    }
  }
});

test('what is no token has no rank: prefixes, extensions, the empty slice', () => {
  const table = rankTable(new Map([['ab', 0], ['abc', 1], ['\u00e9t', 2]]), false);
  const rank = (s: string) => rankOf(table, s, 0, s.length);
  assert.deepEqual(['ab', 'abc', '\u00e9t'].map(rank), [0, 1, 2]);
  for (const s of ['a', 'abcd', 'b', 'ba', '\u00e9', 't', '']) assert.equal(rank(s), -1, JSON.stringify(s));
  assert.equal(rankOf(table, 'xabcx', 1, 3), 0);
  assert.equal(rankOf(table, 'xabcx', 1, 4), 1);
});
