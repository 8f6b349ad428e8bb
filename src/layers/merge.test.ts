import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose, iota, smooth } from '../../test/helpers.js';

/**
 * Merge layers against hand-computed values, finite differences (float64) and their error
 * messages. TensorFlow.js parity and model files: test/merge-tfjs.test.ts.
 */

const a = sn.tensor([
  [1, -2, 3],
  [4, 5, -6],
]);
const b = sn.tensor([
  [2, 2, -1],
  [0, 7, 1],
]);
const c = sn.tensor([
  [-1, 0, 5],
  [3, 3, 3],
]);

test('elementwise merges of three inputs, by hand', () => {
  const L = sn.layers;
  assertClose(L.add().apply([a, b, c]), [2, 0, 7, 7, 15, -2], 0, [2, 3]);
  assertClose(L.multiply().apply([a, b, c]), [-2, 0, -15, 0, 105, -18], 0, [2, 3]);
  assertClose(L.average().apply([a, b, c]), [2 / 3, 0, 7 / 3, 7 / 3, 5, -2 / 3], 1e-6);
  assertClose(L.maximum().apply([a, b, c]), [2, 2, 5, 4, 7, 3], 0);
  assertClose(L.minimum().apply([a, b, c]), [-1, -2, -1, 0, 3, -6], 0);
  assertClose(L.subtract().apply([a, b]), [-1, -4, 4, 4, -2, -7], 0);
});

test('elementwise merges broadcast size-1 dimensions and expand a lower rank after the batch axis', () => {
  // [2, 1, 3] + [2, 2, 1]: out[n, i, j] = p[n, 0, j] + q[n, i, 0].
  const p = sn.tensor([1, 2, 3, 10, 20, 30], [2, 1, 3]);
  const q = sn.tensor([100, 200, 300, 400], [2, 2, 1]);
  assertClose(
    sn.layers.add().apply([p, q]),
    [101, 102, 103, 201, 202, 203, 310, 320, 330, 410, 420, 430],
    0,
    [2, 2, 3],
  );
  // [2, 3] with [2, 2, 3]: the first becomes [2, 1, 3] (Keras expands at axis 1).
  const r = iota([2, 2, 3]);
  assertClose(
    sn.layers.subtract().apply([r, a]),
    [0, 4, 0, 3, 7, 3, 3, 3, 15, 6, 6, 18],
    0,
    [2, 2, 3],
  );
  const x = sn.input({ shape: [3] });
  const y = sn.input({ shape: [4, 1] });
  assert.deepEqual(sn.layers.maximum().apply([x, y]).shape, [null, 4, 3]);
  assert.deepEqual(sn.layers.add().apply([x, sn.input({ shape: [null] })]).shape, [null, null]);
});

test('concatenate joins along the axis, symbolically and on tensors', () => {
  assertClose(
    sn.layers.concatenate().apply([a, sn.tensor([[9], [8]])]),
    [1, -2, 3, 9, 4, 5, -6, 8],
    0,
    [2, 4],
  );
  const x = iota([2, 1, 2]);
  const y = iota([2, 2, 2]);
  assertClose(
    sn.layers.concatenate({ axis: 1 }).apply([x, y]),
    [1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 7, 8],
    0,
    [2, 3, 2],
  );
  const s = sn.layers
    .concatenate({ axis: -2 })
    .apply([
      sn.input({ shape: [2, 5] }),
      sn.input({ shape: [3, 5] }),
      sn.input({ shape: [null, 5] }),
    ]);
  assert.deepEqual(s.shape, [null, null, 5]);
  assert.deepEqual(
    sn.layers
      .concatenate({ axis: 1 })
      .apply([sn.input({ shape: [2, 5] }), sn.input({ shape: [3, 5] })]).shape,
    [null, 5, 5],
  );
});

test('dot: batch dot products over the given axes, by hand', () => {
  // Rank 2, axes 1: one number per sample, kept as [batch, 1].
  assertClose(sn.layers.dot({ axes: 1 }).apply([a, b]), [2 - 4 - 3, 0 + 35 - 6], 0, [2, 1]);
  assertClose(sn.layers.dot({ axes: -1 }).apply([a, b]), [-5, 29], 0, [2, 1]);
  // x [1, 2, 3] over axis 2, y [1, 3, 2] over axis 1: the matrix product x·y.
  const x = sn.tensor([1, 2, 3, 4, 5, 6], [1, 2, 3]);
  const y = sn.tensor([1, 0, 0, 1, 2, 2], [1, 3, 2]);
  assertClose(sn.layers.dot({ axes: [2, 1] }).apply([x, y]), [7, 8, 16, 17], 0, [1, 2, 2]);
  // Over axis 1 of both: out[i, j] = Σ_k x[k, i]·z[k, j] (xᵀ·z), x [1, 2, 3], z [1, 2, 2].
  const z = sn.tensor([1, 2, 3, 4], [1, 2, 2]);
  assertClose(
    sn.layers.dot({ axes: 1 }).apply([x, z]),
    [1 + 12, 2 + 16, 2 + 15, 4 + 20, 3 + 18, 6 + 24],
    0,
    [1, 3, 2],
  );
  // normalize: the cosine similarity; (3, 4)·(4, 3) / 25 = 0.96; (1, 0)·(0, 2) = 0.
  const u = sn.tensor([
    [3, 4],
    [1, 0],
  ]);
  const v = sn.tensor([
    [4, 3],
    [0, 2],
  ]);
  assertClose(sn.layers.dot({ axes: 1, normalize: true }).apply([u, v]), [0.96, 0], 1e-6);
  // A zero vector is divided by 1e-7, not by 0: the output stays finite (0).
  const zero = sn.tensor([[0, 0]]);
  assertClose(
    sn.layers.dot({ axes: 1, normalize: true }).apply([zero, sn.tensor([[1, 1]])]),
    [0],
    0,
  );
  assert.deepEqual(
    sn.layers
      .dot({ axes: [1, 2] })
      .apply([sn.input({ shape: [4, 3] }), sn.input({ shape: [5, 4] })]).shape,
    [null, 3, 5],
  );
});

test('dot with normalize: gradients match finite differences (float64), also over a middle axis', () => {
  const dot = sn.layers.dot({ axes: 1, normalize: true });
  sn.testing.gradCheck((x, y) => dot.apply([x, y]), [smooth([3, 4]), smooth([3, 4]).mul(-0.7)]);
  const dot3 = sn.layers.dot({ axes: [1, 2], normalize: true });
  sn.testing.gradCheck((x, y) => dot3.apply([x, y]), [smooth([2, 3, 2]), smooth([2, 4, 3])]);
  const plain = sn.layers.dot({ axes: [2, 1] });
  sn.testing.gradCheck((x, y) => plain.apply([x, y]), [smooth([2, 3, 2]), smooth([2, 2, 4])]);
});

test('elementwise merges and concatenate: gradients match finite differences (float64)', () => {
  const p = smooth([2, 1, 3]);
  const q = smooth([2, 2, 3]).mul(0.5);
  for (const layer of [
    sn.layers.add(),
    sn.layers.subtract(),
    sn.layers.multiply(),
    sn.layers.average(),
    sn.layers.maximum(),
    sn.layers.minimum(),
  ]) {
    sn.testing.gradCheck((x, y) => layer.apply([x, y]), [p, q]);
  }
  const cat = sn.layers.concatenate({ axis: 1 });
  sn.testing.gradCheck((x, y) => cat.apply([x, y]), [p, q]);
});

test("a merge layer's activity regularizer applies to its output (divided by the batch)", () => {
  // add → [[3, 0, 2], [4, 12, -5]]; l1(0.1)·Σ|y| / 2 = 0.1·26 / 2 = 1.3
  const layer = sn.layers.add({ activityRegularizer: sn.regularizers.l1(0.1) });
  layer.apply([a, b]);
  assert.equal(layer.losses.length, 1);
  assertClose(layer.losses[0]!, 1.3, 1e-6);
  const dot = sn.layers.dot({ axes: 1, activityRegularizer: sn.regularizers.l2(0.5) });
  dot.apply([a, b]);
  assertClose(dot.losses[0]!, (0.5 * (25 + 841)) / 2, 1e-6);
});

test('a merge layer given a single tensor, or the wrong number of tensors, is a ConfigError', () => {
  const single = /expects a list of at least 2 tensors, received a single tensor of shape \[2, 3\]/;
  assert.throws(
    () => sn.layers.add({ name: 'sum' }).apply(a),
    (e: Error) =>
      e instanceof sn.ConfigError && /Add 'sum'/.test(e.message) && single.test(e.message),
  );
  assert.throws(
    () => sn.layers.concatenate().apply(sn.input({ shape: [3] })),
    (e: Error) =>
      e instanceof sn.ConfigError && /single tensor of shape \[null, 3\]/.test(e.message),
  );
  assert.throws(
    () => sn.layers.multiply().apply([a]),
    (e: Error) => e instanceof sn.ConfigError && /at least 2 tensors, received 1/.test(e.message),
  );
  assert.throws(
    () => sn.layers.subtract({ name: 'diff' }).apply([a, b, c]),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /Subtract 'diff' expects a list of exactly 2 tensors, received 3/.test(e.message) &&
      /\[2, 3\], \[2, 3\], \[2, 3\]/.test(e.message),
  );
  assert.throws(
    () => sn.layers.dot({ axes: 1 }).apply([a, b, c]),
    (e: Error) => e instanceof sn.ConfigError && /exactly 2 tensors/.test(e.message),
  );
});

test('shapes that do not broadcast are a ShapeError naming the layer and both shapes', () => {
  const check = (run: () => unknown, shapes: RegExp) =>
    assert.throws(run, (e: Error) => {
      assert.ok(e instanceof sn.ShapeError, `${e.constructor.name}: ${e.message}`);
      assert.match(e.message, /Add 'merge_me'/);
      assert.match(e.message, shapes);
      assert.match(e.message, /equal or 1/);
      return true;
    });
  check(
    () => sn.layers.add({ name: 'merge_me' }).apply([a, sn.ones([2, 4])]),
    /\[2, 3\] and \[2, 4\]/,
  );
  check(
    () =>
      sn.layers
        .add({ name: 'merge_me' })
        .apply([sn.input({ shape: [5, 3] }), sn.input({ shape: [4, 3] })]),
    /\[null, 5, 3\] and \[null, 4, 3\]/,
  );
  assert.throws(
    () => sn.layers.add().apply([a, sn.ones([3, 3])]),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /different batch sizes/.test(e.message) &&
      /\[3, 3\]/.test(e.message),
  );
});

test('concatenate on a mismatched axis or rank is a ShapeError naming the axis and the shapes', () => {
  assert.throws(
    () => sn.layers.concatenate({ name: 'cat' }).apply([sn.ones([2, 3, 4]), sn.ones([2, 5, 4])]),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /Concatenate 'cat' \(axis -1\)/.test(e.message) &&
      /\[2, 3, 4\], \[2, 5, 4\]/.test(e.message) &&
      /sizes on axis 1 differ: 3 vs 5/.test(e.message) &&
      /concatenate\(\{ axis: 1 \}\)/.test(e.message),
  );
  assert.throws(
    () =>
      sn.layers
        .concatenate({ axis: 1 })
        .apply([sn.input({ shape: [3] }), sn.input({ shape: [3, 2] })]),
    (e: Error) => e instanceof sn.ShapeError && /same rank/.test(e.message),
  );
  assert.throws(
    () => sn.layers.concatenate({ axis: 3 }).apply([a, b]),
    (e: Error) => e instanceof sn.ShapeError && /axis 3 is out of range/.test(e.message),
  );
  assert.throws(
    () => sn.layers.concatenate({ axis: 1.5 }),
    (e: Error) => e instanceof sn.ConfigError && /axis must be an integer/.test(e.message),
  );
});

test('dot: mismatched sizes, the batch axis and bad options are typed errors', () => {
  assert.throws(
    () => sn.layers.dot({ axes: 1, name: 'sim' }).apply([a, sn.ones([2, 4])]),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /Dot 'sim'/.test(e.message) &&
      /3 vs 4/.test(e.message) &&
      /\[2, 3\] and \[2, 4\]/.test(e.message),
  );
  assert.throws(
    () => sn.layers.dot({ axes: -3 }).apply([a, b]),
    (e: Error) => e instanceof sn.ShapeError && /the batch axis|out of range/.test(e.message),
  );
  for (const axes of [0, [1, 0], [1], 'x', 1.5, undefined]) {
    assert.throws(
      () => sn.layers.dot({ axes } as unknown as sn.layers.DotOptions),
      (e: Error) => e instanceof sn.ConfigError && /axes must be/.test(e.message),
    );
  }
  assert.throws(
    () => sn.layers.dot({ axes: 1, normalize: 'yes' as unknown as boolean }),
    (e: Error) => e instanceof sn.ConfigError && /normalize must be true or false/.test(e.message),
  );
});

test('merge layers in a functional model: multi-input nodes run, train and report their shapes', () => {
  sn.setSeed(7);
  const x = sn.input({ shape: [4] });
  const h1 = sn.layers.dense({ units: 3 }).apply(x);
  const h2 = sn.layers.dense({ units: 3 }).apply(x);
  const merged = sn.layers.concatenate().apply([sn.layers.add().apply([h1, h2]), h1]);
  const model = sn.model({ inputs: x, outputs: sn.layers.dense({ units: 1 }).apply(merged) });
  const xs = iota([5, 4]).mul(0.1);
  const dense = model.layers.filter((l) => l instanceof sn.layers.Dense);
  // The same computation written out with the layers' own weights.
  const [k1, b1, k2, b2, k3, b3] = dense.flatMap((l) => l.getWeights());
  const y1 = sn.add(sn.matmul(xs, k1!), b1!);
  const y2 = sn.add(sn.matmul(xs, k2!), b2!);
  const want = sn.add(sn.matmul(sn.concat([sn.add(y1, y2), y1], 1), k3!), b3!);
  assertClose(model.predict(xs) as sn.Tensor, Array.from(want.dataSync()), 1e-6, [5, 1]);
});
