import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';

test('the same seed gives the same numbers; different seeds differ', () => {
  const a = sn.randomNormal([100], { seed: 42 }).dataSync();
  const b = sn.randomNormal([100], { seed: 42 }).dataSync();
  const c = sn.randomNormal([100], { seed: 43 }).dataSync();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('xoshiro128** from a known state gives the reference outputs', () => {
  // Reference values computed from the published algorithm (Blackman & Vigna) with state
  // s = [1, 2, 3, 4]: first outputs of xoshiro128** are 11520, 0, 5927040, 70819200.
  const r = new sn.Random(0);
  r.setState([1, 2, 3, 4, Number.NaN]);
  assert.deepEqual(
    [r.nextUint32(), r.nextUint32(), r.nextUint32(), r.nextUint32()],
    [11520, 0, 5927040, 70819200],
  );
});

test('getState/setState resumes the exact stream', () => {
  const r = new sn.Random(7);
  r.nextNormal();
  const state = r.getState();
  const next = [r.nextNormal(), r.nextNormal(), r.nextFloat()];
  const s = new sn.Random(1);
  s.setState(state);
  assert.deepEqual([s.nextNormal(), s.nextNormal(), s.nextFloat()], next);
});

test('sample statistics match the distributions', () => {
  const n = 20000;
  const stats = (t: sn.Tensor): { mean: number; std: number; min: number; max: number } => {
    const v = Array.from(t.dataSync());
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { mean, std, min: Math.min(...v), max: Math.max(...v) };
  };
  const normal = stats(sn.randomNormal([n], { mean: 2, stddev: 3, seed: 1 }));
  assert.ok(
    Math.abs(normal.mean - 2) < 0.1 && Math.abs(normal.std - 3) < 0.1,
    JSON.stringify(normal),
  );
  const uniform = stats(sn.randomUniform([n], { minval: -1, maxval: 3, seed: 2 }));
  assert.ok(uniform.min >= -1 && uniform.max < 3, JSON.stringify(uniform));
  assert.ok(Math.abs(uniform.mean - 1) < 0.05, JSON.stringify(uniform));
  assert.ok(Math.abs(uniform.std - 4 / Math.sqrt(12)) < 0.05, JSON.stringify(uniform));
  const trunc = stats(sn.truncatedNormal([n], { stddev: 0.5, seed: 3 }));
  assert.ok(trunc.min >= -1 && trunc.max <= 1, 'truncated at two standard deviations');
  // A normal truncated at ±2σ has standard deviation ≈ 0.8796σ.
  assert.ok(Math.abs(trunc.std - 0.5 * 0.8796) < 0.02, JSON.stringify(trunc));
  const bern = stats(sn.randomBernoulli([n], { p: 0.3, seed: 4 }));
  assert.ok(
    Math.abs(bern.mean - 0.3) < 0.02 && bern.min === 0 && bern.max === 1,
    JSON.stringify(bern),
  );
  const ints = sn.randomUniform([1000], { minval: 0, maxval: 10, dtype: 'int32', seed: 5 });
  assert.equal(ints.dtype, 'int32');
  const iv = Array.from(ints.dataSync());
  assert.ok(iv.every((x) => Number.isInteger(x) && x >= 0 && x < 10));
  assert.equal(new Set(iv).size, 10);
});

test('setSeed makes unseeded draws reproducible', () => {
  sn.setSeed(11);
  const a = sn.randomUniform([5]).dataSync();
  sn.setSeed(11);
  const b = sn.randomUniform([5]).dataSync();
  assert.deepEqual(a, b);
});

test('a NaN, non-integer or non-number seed is a ConfigError', () => {
  for (const seed of [Number.NaN, 1.5, '7', Infinity]) {
    assert.throws(
      () => sn.randomNormal([2], { seed: seed as number }),
      (e: unknown) => e instanceof sn.ConfigError && /seed must be an integer/.test(e.message),
      String(seed),
    );
  }
  assert.throws(() => sn.setSeed(Number.NaN), sn.ConfigError);
  assert.throws(() => sn.randomBernoulli([2], { p: 1.5 }), sn.ConfigError);
  assert.throws(() => sn.randomUniform([2], { minval: 1, maxval: 1 }), sn.ConfigError);
});
