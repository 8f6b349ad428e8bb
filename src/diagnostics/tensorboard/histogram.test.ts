import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogramOf } from './histogram.js';

test('histogramOf: equal-width buckets between min and max, max in the last bucket', () => {
  // Width (4 - 0) / 4 = 1: [0,1) [1,2) [2,3) [3,4], so 3.5 and 4 share the last bucket.
  const h = histogramOf([0, 1, 2.5, 3.5, 4], 4);
  assert.deepEqual(h, {
    min: 0,
    max: 4,
    num: 5,
    sum: 11,
    sumSquares: 0 + 1 + 6.25 + 12.25 + 16,
    bucketLimit: [1, 2, 3, 4],
    bucket: [1, 1, 1, 2],
  });
});

test('histogramOf: negative ranges, one value, no values, non-finite values left out', () => {
  const h = histogramOf([-3, -1], 2);
  assert.deepEqual([h.bucketLimit, h.bucket, h.sum], [[-2, -1], [1, 1], -4]);
  assert.deepEqual(histogramOf([2, 2, 2], 30), {
    min: 2,
    max: 2,
    num: 3,
    sum: 6,
    sumSquares: 12,
    bucketLimit: [2],
    bucket: [3],
  });
  assert.deepEqual(histogramOf([], 30), {
    min: 0,
    max: 0,
    num: 0,
    sum: 0,
    sumSquares: 0,
    bucketLimit: [],
    bucket: [],
  });
  const withNaN = histogramOf([NaN, 1, Infinity, 3, -Infinity], 2);
  assert.deepEqual([withNaN.num, withNaN.sum, withNaN.min, withNaN.max], [2, 4, 1, 3]);
  assert.deepEqual(withNaN.bucket, [1, 1]);
});

test('histogramOf: the default is 30 buckets whose counts add up to num', () => {
  const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
  const h = histogramOf(values);
  assert.equal(h.bucket.length, 30);
  assert.equal(
    h.bucket.reduce((a, b) => a + b, 0),
    1000,
  );
  assert.equal(h.bucketLimit.at(-1), h.max);
  for (let i = 1; i < 30; i++) assert.ok(h.bucketLimit[i]! > h.bucketLimit[i - 1]!);
});
