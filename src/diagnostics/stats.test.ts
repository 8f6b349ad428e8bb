import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import {
  activeFraction,
  deadUnitFraction,
  histogram,
  saturationFraction,
  sparsity,
  tensorStats,
  unitMeans,
} from './stats.js';

const close = (a: number | null | undefined, b: number, tol = 1e-6): void =>
  assert.ok(a != null && Math.abs(a - b) <= tol, `${a} != ${b}`);

test('tensorStats: hand values; NaN and Inf counted and left out', () => {
  const s = tensorStats(sn.tensor([1, 2, 3, 4, NaN, Infinity, 0, -2]), { bins: 3 });
  // Finite values 1, 2, 3, 4, 0, -2: n = 6, Σ = 8, Σ|x| = 12, Σx² = 34.
  assert.equal(s.count, 8);
  assert.equal(s.nanCount, 1);
  assert.equal(s.infCount, 1);
  assert.equal(s.min, -2);
  assert.equal(s.max, 4);
  close(s.mean, 8 / 6);
  close(s.std, Math.sqrt(35) / 3); // Σ(x − 4/3)² = 210/9, / 6 = 35/9
  close(s.l1, 12);
  close(s.l2, Math.sqrt(34));
  close(s.zeroFraction, 1 / 8);
  // Bins over [-2, 4], width 2: [-2, 0) holds -2; [0, 2) holds 0, 1; [2, 4] holds 2, 3, 4.
  assert.deepEqual(s.histogram.edges, [-2, 0, 2, 4]);
  assert.deepEqual(s.histogram.counts, [1, 2, 3]);
  // JSON-safe: nothing non-finite anywhere.
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test('tensorStats: no finite value gives nulls; a constant tensor gets a ±0.5 range', () => {
  const s = tensorStats([NaN, -Infinity], { bins: 2 });
  assert.equal(s.min, null);
  assert.equal(s.mean, null);
  assert.equal(s.std, null);
  assert.equal(s.nanCount, 1);
  assert.equal(s.infCount, 1);
  assert.deepEqual(s.histogram, { edges: [0, 0.5, 1], counts: [0, 0] });
  const c = tensorStats([3, 3], { bins: 2 });
  assert.equal(c.std, 0);
  assert.deepEqual(c.histogram, { edges: [2.5, 3, 3.5], counts: [0, 2] });
});

test('histogram: given range; outside values dropped; the last bin is closed', () => {
  const h = histogram([-1, 0, 0.5, 1, 2, 0.25], { bins: 2, range: [0, 1] });
  assert.deepEqual(h.edges, [0, 0.5, 1]);
  assert.deepEqual(h.counts, [2, 2]); // [0, 0.5): 0, 0.25; [0.5, 1]: 0.5, 1
  // Tenths land on their own bin despite rounding (0.3 / 0.1 = 2.9999999999999996).
  const t = histogram([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], {
    bins: 10,
    range: [0, 1],
  });
  assert.deepEqual(t.counts, [1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
  assert.throws(() => histogram([1], { range: [1, 1] }), /range must be \[low, high\]/);
  assert.throws(() => histogram([1], { bins: 0 }), /bins/);
});

test('saturationFraction: sigmoid < 0.01 or > 0.99; tanh |y| > 0.99; others undefined', () => {
  assert.equal(saturationFraction([0.005, 0.5, 0.995, 0.99, 0.01], 'sigmoid'), 2 / 5);
  assert.equal(saturationFraction([-0.995, 0.5, 0.999, -0.2], 'tanh'), 2 / 4);
  assert.equal(saturationFraction([0, 5], 'relu'), undefined);
});

test('deadUnitFraction, activeFraction, unitMeans, sparsity on crafted activations', () => {
  // Unit 0 is 0 for both samples (dead); units 1 and 2 fire at least once.
  assert.equal(
    deadUnitFraction(
      sn.tensor([
        [0, 1, 0],
        [0, 0, 3],
      ]),
    ),
    1 / 3,
  );
  assert.equal(
    deadUnitFraction(
      sn.tensor([
        [1, 2],
        [3, 4],
      ]),
    ),
    0,
  );
  // Sample 1: one unit > 0.1 of 3; sample 2: two of 3 → mean 1/2.
  close(
    activeFraction(
      sn.tensor([
        [0, 1, 0.05],
        [0.2, 0, 3],
      ]),
    ),
    0.5,
  );
  close(
    activeFraction(
      sn.tensor([
        [0, 1, 0.05],
        [0.2, 0, 3],
      ]),
      0.5,
    ),
    2 / 6,
  );
  assert.deepEqual(
    unitMeans(
      sn.tensor([
        [0, 1],
        [2, 3],
      ]),
    ),
    [1, 2],
  );
  // Rank 3: every axis but the last is a sample axis.
  assert.deepEqual(
    unitMeans(
      sn.tensor([
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ]),
    ),
    [4, 5],
  );
  assert.equal(sparsity([0, 0.005, -0.2, 1]), 1 / 4);
  assert.equal(sparsity([0, 0.005, -0.2, 1], 0.01), 2 / 4);
});
