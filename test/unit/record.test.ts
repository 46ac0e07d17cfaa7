import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceSchema } from '../../core/config-schema.js';
import type { Task } from '../../core/task.js';
import { RecordMapper } from '../../io/record.js';
import type { Doc } from '../../core/types.js';

const task: Task = { index: 0, source: 'web', file: '/in/a.jsonl', relpath: 'a.jsonl', format: 'jsonl', zyda: false, bytes: 0, input: { size: 0, mtime_ms: 0 } };

function map(record: object | string, source: object): Doc {
  const json = typeof record === 'string' ? record : JSON.stringify(record);
  const r = new RecordMapper(sourceSchema.parse({ name: 'web', paths: ['/in'], ...source }), task, 1_000_000).map(JSON.parse(json), { line: 7 });
  assert.ok(!('kind' in r), JSON.stringify(r));
  return r as Doc;
}

test('record mapper: metadata is every other field of a JSON record, in its order; text and the id field are left out', () => {
  const record = { url: 'u', text: 'hello', id: 'x1', lang: 'en', nested: { a: [1, 2] } };
  const withId = map(record, { id_field: 'id' });
  assert.equal(withId.id, 'x1');
  assert.equal(withId.text, 'hello');
  assert.equal(JSON.stringify(withId.meta), '{"url":"u","lang":"en","nested":{"a":[1,2]}}');

  const withoutId = map(record, {});
  assert.equal(withoutId.id, 'web/a.jsonl#7');
  assert.equal(JSON.stringify(withoutId.meta), '{"url":"u","id":"x1","lang":"en","nested":{"a":[1,2]}}');

  const otherText = map({ content: 'body', text: 'not the text', n: 1 }, { text_field: 'content' });
  assert.equal(otherText.text, 'body');
  assert.deepEqual(otherText.meta, { text: 'not the text', n: 1 });

  // JSON.parse makes "__proto__" an ordinary field; it stays one, not the metadata's prototype.
  const proto = map('{"text":"t","__proto__":{"polluted":true},"a":2}', {});
  assert.equal(JSON.stringify(proto.meta), '{"__proto__":{"polluted":true},"a":2}');
  assert.equal((proto.meta as { polluted?: boolean }).polluted, undefined);
});
