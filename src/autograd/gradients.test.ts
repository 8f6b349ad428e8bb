import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

test('valueAndGrads differentiates every trainable variable the function touched', () => {
  const w = sn.variable(sn.tensor([1, -2, 3]), { name: 'w' });
  const b = sn.variable(sn.scalar(0.5), { name: 'b' });
  const unused = sn.variable(sn.scalar(9), { name: 'unused' });
  const frozen = sn.variable(sn.tensor([2, 2, 2]), { name: 'frozen', trainable: false });
  // f = Σ (w·frozen + b)²  →  ∂f/∂w = 2(w·frozen + b)·frozen, ∂f/∂b = Σ 2(w·frozen + b)
  const { value, grads } = sn.valueAndGrads(() => sn.sum(sn.square(sn.add(sn.mul(w, frozen), b))));
  assert.ok(unused.trainable);
  const inner = [1 * 2 + 0.5, -2 * 2 + 0.5, 3 * 2 + 0.5];
  assertClose(
    value,
    inner.reduce((s, v) => s + v * v, 0),
  );
  assert.deepEqual(
    [...grads.keys()].map((v) => v.name),
    ['w', 'b'],
  );
  assertClose(
    grads.get(w),
    inner.map((v) => 2 * v * 2),
  );
  assertClose(
    grads.get(b),
    inner.reduce((s, v) => s + 2 * v, 0),
  );
  assert.throws(() => grads.get(frozen), sn.GradientError);
});

test('with an explicit list, grads follow its order and unused variables get zeros', () => {
  const a = sn.variable(sn.tensor([3]), { name: 'a' });
  const c = sn.variable(sn.tensor([1, 1]), { name: 'c' });
  const { grads } = sn.valueAndGrads(() => sn.sum(sn.mul(a, a)), [c, a]);
  assert.deepEqual([...grads.keys()], [c, a]);
  assertClose(grads.get(c), [0, 0]);
  assertClose(grads.get(a), [6]);
});

test('gradients accumulate where a tensor is used more than once', () => {
  const x = sn.variable(sn.scalar(3));
  // y = x·x + x + x·(x·x) → dy/dx = 2x + 1 + 3x² = 34 at x = 3
  const { grads } = sn.valueAndGrads(() => {
    const sq = sn.mul(x, x);
    return sn.add(sn.add(sq, x), sn.mul(x, sq));
  });
  assertClose(grads.get(x), 34);
});

test('broadcasting is reduced back to each input shape', () => {
  const w = sn.variable(sn.tensor([[1], [2]]));
  const b = sn.variable(sn.tensor([10, 20, 30]));
  const { grads } = sn.valueAndGrads(() => sn.sum(sn.mul(w, b)));
  assert.deepEqual(grads.get(w).shape, [2, 1]);
  assertClose(grads.get(w), [60, 60]);
  assertClose(grads.get(b), [3, 3, 3]);
});

test('a chain of 10,000 ops backpropagates without recursion', () => {
  const x = sn.variable(sn.scalar(1, 'float64'));
  const { value, grads } = sn.valueAndGrads(() => {
    let y: sn.Tensor = x;
    for (let i = 0; i < 10000; i++) y = sn.mul(y, 1.0001);
    return y;
  });
  assertClose(value, 1.0001 ** 10000, 1e-9);
  assertClose(grads.get(x), 1.0001 ** 10000, 1e-9);
});

test('valueAndGrads of a non-scalar function is a GradientError that suggests a reduction', () => {
  const w = sn.variable(sn.tensor([1, 2]));
  assert.throws(
    () => sn.valueAndGrads(() => sn.mul(w, 2)),
    (e: unknown) =>
      e instanceof sn.GradientError && /\[2\]/.test(e.message) && /sn.mean/.test(e.message),
  );
  assert.throws(() => sn.valueAndGrads((() => 3) as never), sn.GradientError);
  assert.throws(
    () => sn.valueAndGrads(() => sn.sum(w), [sn.tensor([1]) as never]),
    sn.GradientError,
  );
});

test('grad and grads differentiate functions of tensors', () => {
  const dsq = sn.grad((x) => sn.sum(sn.square(x)));
  assertClose(dsq(sn.tensor([1, -2, 3])), [2, -4, 6]);
  const [da, db] = sn.grads((a, b) => sn.sum(sn.mul(a!, b!)))([
    sn.tensor([1, 2]),
    sn.tensor([3, 4]),
  ]);
  assertClose(da!, [3, 4]);
  assertClose(db!, [1, 2]);
  // A non-scalar output with an explicit dy: the vector-Jacobian product.
  const g = sn.grad((x) => sn.mul(x, x))(sn.tensor([1, 2]), sn.tensor([10, 100]));
  assertClose(g, [20, 400]);
  // A tensor the function does not use gets zeros.
  const [, dz] = sn.grads((a) => sn.sum(a!))([sn.tensor([1]), sn.tensor([5, 5])]);
  assertClose(dz!, [0, 0]);
});

test('noGrad stops recording: nothing inside it gets a gradient', () => {
  const x = sn.variable(sn.scalar(2));
  const { grads } = sn.valueAndGrads(() => {
    const frozen = sn.noGrad(() => sn.mul(x, x));
    return sn.add(sn.mul(frozen, x), 0);
  });
  // d/dx (c·x) with c = x² held constant = c = 4 (not 3x² = 12)
  assertClose(grads.get(x), 4);
});

test('gradients of gradients are not recorded, and the tape closes after each call', () => {
  const x = sn.variable(sn.scalar(2));
  sn.valueAndGrads(() => sn.square(x));
  // Outside any valueAndGrads nothing records: ops still work.
  assertClose(sn.mul(x, 3), 6);
});

test('a variable assigned between calls is differentiated at its new value', () => {
  const x = sn.variable(sn.scalar(1));
  x.assign(sn.scalar(5));
  const { grads } = sn.valueAndGrads(() => sn.square(x));
  assertClose(grads.get(x), 10);
});

test('gradCheck reports a wrong gradient', () => {
  // noGrad hides x² from the tape, so autodiff says d/dx (x² + x) = 1; the truth is 2x + 1.
  const x = sn.tensor([1.5, -0.5]);
  assert.throws(
    () =>
      sn.testing.gradCheck(
        (t) =>
          sn.add(
            sn.noGrad(() => sn.mul(t, t)),
            t,
          ),
        [x],
        { weights: sn.ones([2]) },
      ),
    (e: unknown) =>
      e instanceof sn.GradientError &&
      /analytic gradient 1 but finite differences give (4|3\.9999)/.test(e.message),
  );
  const ok = sn.testing.gradCheck((t) => sn.mul(t, t), [x]);
  assert.ok(ok.maxError < 1e-6);
});
