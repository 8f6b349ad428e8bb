import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binaryLayout, stridedLayout } from './layout.js';

test('stridedLayout: collapses axes, drops size-1 output axes, strides 0 where broadcast', () => {
  // [2, 3, 4] with [2, 1, 4]: no two adjacent axes share a pattern.
  assert.deepEqual(stridedLayout([2, 3, 4], [2, 1, 4], [2, 3, 4]), {
    dims: [2, 3, 4],
    aStrides: [12, 4, 1],
    bStrides: [4, 0, 1],
  });
  // [a, 1, c] with [1, b, 1]: every axis differs; the run is a's, b repeats one value.
  assert.deepEqual(stridedLayout([3, 1, 5], [1, 4, 1], [3, 4, 5]), {
    dims: [3, 4, 5],
    aStrides: [5, 0, 1],
    bStrides: [0, 1, 0],
  });
  // Outer product [4, 1] · [1, 5] after the leading size-1 axis of the output is dropped.
  assert.deepEqual(stridedLayout([1, 4, 1], [5], [1, 4, 5]), {
    dims: [4, 5],
    aStrides: [1, 0],
    bStrides: [0, 1],
  });
  // [6, 1, 2, 3] with [5, 2, 3]: the two trailing axes share a pattern and merge.
  assert.deepEqual(stridedLayout([6, 1, 2, 3], [5, 2, 3], [6, 5, 2, 3]), {
    dims: [6, 5, 6],
    aStrides: [6, 0, 1],
    bStrides: [0, 6, 1],
  });
  // Scalars: one axis of one element.
  assert.deepEqual(stridedLayout([], [1, 1], [1, 1]), { dims: [1], aStrides: [1], bStrides: [1] });
});

test('binaryLayout leaves general broadcasts to stridedLayout', () => {
  assert.equal(binaryLayout([2, 3, 4], [2, 1, 4], [2, 3, 4]), undefined);
  assert.deepEqual(binaryLayout([6, 9], [9], [6, 9]), { kind: 'row', partFirst: false, period: 9 });
});
