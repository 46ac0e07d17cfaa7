import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTO_MAX_TASK_BYTES, AUTO_MIN_TASK_BYTES, AUTO_TASKS, autoTaskBytes, resolveTaskBytes } from '../../runtime/task-size.js';

test('auto task size: the floor for small inputs, the ceiling for huge ones, about AUTO_TASKS tasks between', () => {
  assert.equal(autoTaskBytes(0), AUTO_MIN_TASK_BYTES);
  assert.equal(autoTaskBytes(100e6), AUTO_MIN_TASK_BYTES);
  assert.equal(autoTaskBytes(1e13), AUTO_MAX_TASK_BYTES);
  for (const total of [2e9, 3.3e9, 7e9]) {
    const size = autoTaskBytes(total);
    const tasks = Math.ceil(total / size);
    assert.ok(tasks <= AUTO_TASKS && tasks > AUTO_TASKS / 2, `${total} B: ${tasks} tasks of ${size} B`);
    assert.equal(Math.log2(size / AUTO_MIN_TASK_BYTES) % 1, 0, 'a power of two times the floor');
  }
});

test('auto task size moves only when the total crosses a doubling, so a small added file leaves the cut alone', () => {
  assert.equal(autoTaskBytes(2.0e9), autoTaskBytes(2.0e9 + 50e6));
  assert.ok(autoTaskBytes(4.5e9) > autoTaskBytes(2.0e9));
});

test('an explicit task size wins over auto', () => {
  assert.equal(resolveTaskBytes(64e6, 1e12), 64e6);
  assert.equal(resolveTaskBytes('auto', 1e12), AUTO_MAX_TASK_BYTES);
});
