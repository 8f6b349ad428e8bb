import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchOffsets } from './shape.js';

// batchOffsets is the batch geometry both matmul backends use (cpu/matmul.ts, wasm/matmul.ts);
// the expected offsets are worked out by hand from row-major strides.

test('batchOffsets: an operand with the full batch steps one matrix per batch index', () => {
  // [2, 3] batches of 4×5 matrices (20 elements each).
  assert.deepEqual(batchOffsets([2, 3, 4, 5], [2, 3]), [0, 20, 40, 60, 80, 100]);
});

test('batchOffsets: extent-1 and missing batch axes broadcast (stay put)', () => {
  // [1, 3] batches of 2×2 against the output batch [2, 3]: the first axis repeats.
  assert.deepEqual(batchOffsets([1, 3, 2, 2], [2, 3]), [0, 4, 8, 0, 4, 8]);
  // [2, 1]: each of the two matrices serves the three batch indices of its row.
  assert.deepEqual(batchOffsets([2, 1, 2, 2], [2, 3]), [0, 0, 0, 4, 4, 4]);
  // A plain matrix (no batch axes) serves every batch index.
  assert.deepEqual(batchOffsets([2, 2], [2, 3]), [0, 0, 0, 0, 0, 0]);
  // A missing leading axis: [3] batches against [2, 3].
  assert.deepEqual(batchOffsets([3, 1, 6], [2, 3]), [0, 6, 12, 0, 6, 12]);
});

test('batchOffsets: no batch axes gives the one matrix', () => {
  assert.deepEqual(batchOffsets([4, 5], []), [0]);
});
