import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

const x = sn.tensor([
  [1, -2, 3],
  [-4, 5, -6],
]);
const total = (ts: sn.Tensor[]) => ts.reduce((a, t) => a + t.item(), 0);

test('activityRegularization: identity on the values', () => {
  const y = sn.layers.activityRegularization({ l1: 0.5 }).apply(x);
  assertClose(y, [1, -2, 3, -4, 5, -6], 0, [2, 3]);
});

test('activityRegularization: l1 penalty is l1·Σ|x| / batch (SEMANTICS rules 6, 16)', () => {
  const layer = sn.layers.activityRegularization({ l1: 0.01 });
  layer.apply(x);
  // Σ|x| = 1 + 2 + 3 + 4 + 5 + 6 = 21; 0.01 · 21 / batch 2 = 0.105
  assert.equal(layer.losses.length, 1);
  assertClose(sn.scalar(total(layer.losses)), 0.105, 1e-6);
  assert.equal(layer.lossTerms()[0]!.name, `${layer.name}/activity`);
});

test('activityRegularization: l1 and l2 together, at inference too', () => {
  const layer = sn.layers.activityRegularization({ l1: 0.01, l2: 0.1 });
  layer.apply(x, { training: false });
  // Σx² = 1 + 4 + 9 + 16 + 25 + 36 = 91; (0.01·21 + 0.1·91) / 2 = (0.21 + 9.1) / 2 = 4.655
  assertClose(sn.scalar(total(layer.losses)), 4.655, 1e-6);
});

test("activityRegularization: activityRegularizerReduction 'sum' is not divided by the batch", () => {
  const layer = sn.layers.activityRegularization({ l2: 0.1, activityRegularizerReduction: 'sum' });
  layer.apply(x);
  assertClose(sn.scalar(total(layer.losses)), 9.1, 1e-6); // 0.1 · 91
});

test('activityRegularization: defaults are 0, giving a zero penalty', () => {
  const layer = sn.layers.activityRegularization();
  layer.apply(x);
  assert.deepEqual([layer.l1, layer.l2], [0, 0]);
  assertClose(sn.scalar(total(layer.losses)), 0, 0);
});

test('activityRegularization: the penalty is differentiable: d/dx of l1·Σ|x|/B + l2·Σx²/B', () => {
  const layer = sn.layers.activityRegularization({ l1: 0.2, l2: 0.3 });
  const input = sn.variable(x);
  const { grads } = sn.valueAndGrads(() => {
    layer.apply(input);
    return layer.losses[0]!;
  }, [input]);
  // (0.2·sign(x) + 0.3·2x) / 2
  const expected = [1, -2, 3, -4, 5, -6].map((v) => (0.2 * Math.sign(v) + 0.6 * v) / 2);
  assertClose(grads.get(input)!, expected, 1e-6);
});

test('activityRegularization: no penalty is recorded when applied symbolically', () => {
  const layer = sn.layers.activityRegularization({ l1: 1 });
  const y = layer.apply(sn.input({ shape: [3] }));
  assert.deepEqual(y.shape, [null, 3]);
  assert.equal(layer.losses.length, 0);
});

test('activityRegularization: bad coefficients and an explicit activityRegularizer are ConfigErrors', () => {
  for (const bad of [-1, Number.NaN, '0.1', Infinity]) {
    assert.throws(
      () =>
        sn.layers.activityRegularization({
          l1: bad,
        } as unknown as sn.layers.ActivityRegularizationOptions),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        /ActivityRegularization '.*': l1 must be a finite number >= 0/.test(e.message),
    );
  }
  assert.throws(
    () => sn.layers.activityRegularization({ l2: -0.5 }),
    (e: Error) =>
      e instanceof sn.ConfigError && /l2 must be/.test(e.message) && /-0\.5/.test(e.message),
  );
  assert.throws(
    () =>
      sn.layers.activityRegularization({
        activityRegularizer: 'l1',
      } as sn.layers.ActivityRegularizationOptions),
    (e: Error) =>
      e instanceof sn.ConfigError && /pass l1 and l2, not activityRegularizer/.test(e.message),
  );
});

test('activityRegularization: getConfig writes { l1, l2 } (not activityRegularizer); round trip', () => {
  const layer = sn.layers.activityRegularization({ l1: 0.01, l2: 0.002, name: 'ar_rt' });
  const config = JSON.parse(JSON.stringify(layer.getConfig()));
  assert.equal(config.activityRegularizer, undefined);
  assert.deepEqual([config.l1, config.l2], [0.01, 0.002]);
  const copy = sn.layers.ActivityRegularization.fromConfig(config);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  copy.apply(x);
  // (0.01·21 + 0.002·91) / 2 = (0.21 + 0.182) / 2 = 0.196
  assertClose(sn.scalar(total(copy.losses)), 0.196, 1e-6);
});
