import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';
import * as constraints from './index.js';

// Columns (axis-0 vectors) have norms 5, 0.5 and 0: one above, one below any cap, one zero.
const W = sn.tensor([
  [3, 0.3, 0],
  [4, -0.4, 0],
]);
const EPS = 1e-7;

test('maxNorm: w · clip(n, 0, max) / (ε + n), per column by default', () => {
  // column 0: norm 5 → scaled by 2/(5+ε); column 1: norm 0.5 → 0.5/(0.5+ε) ≈ 1; column 2 stays 0
  const k0 = 2 / (5 + EPS);
  const k1 = 0.5 / (0.5 + EPS);
  assertClose(
    constraints.maxNorm().apply(W),
    [3 * k0, 0.3 * k1, 0, 4 * k0, -0.4 * k1, 0],
    1e-6,
    [2, 3],
  );
  // axis 1 (rows): row norms √(9 + 0.09) and √(16 + 0.16); maxValue 1
  const r0 = Math.sqrt(9.09);
  const r1 = Math.sqrt(16.16);
  assertClose(constraints.maxNorm({ maxValue: 1, axis: 1 }).apply(W), [
    3 / (r0 + EPS),
    0.3 / (r0 + EPS),
    0,
    4 / (r1 + EPS),
    -0.4 / (r1 + EPS),
    0,
  ]);
  // axis [0, 1]: one norm over everything, √(25.25)
  const all = Math.sqrt(25.25);
  assertClose(
    constraints.maxNorm({ maxValue: 1, axis: [0, 1] }).apply(W),
    [3, 0.3, 0, 4, -0.4, 0].map((v) => v / (all + EPS)),
  );
});

test('nonNeg zeroes negative weights', () => {
  assertClose(constraints.nonNeg().apply(sn.tensor([-1, 0, 2, -0.5])), [0, 0, 2, 0]);
});

test('unitNorm: w / (ε + n)', () => {
  assertClose(constraints.unitNorm().apply(W), [
    3 / (5 + EPS),
    0.3 / (0.5 + EPS),
    0,
    4 / (5 + EPS),
    -0.4 / (0.5 + EPS),
    0,
  ]);
  assertClose(constraints.unitNorm({ axis: -1 }).apply(sn.tensor([[6, 8]])), [0.6, 0.8]);
});

test('minMaxNorm: desired = rate · clip(n, min, max) + (1 − rate) · n', () => {
  // min 1, max 2, rate 0.5: column 0 (n 5) → 0.5·2 + 0.5·5 = 3.5; column 1 (n 0.5) → 0.5·1 + 0.25 = 0.75
  const c = constraints.minMaxNorm({ minValue: 1, maxValue: 2, rate: 0.5 });
  const k0 = 3.5 / (5 + EPS);
  const k1 = 0.75 / (0.5 + EPS);
  assertClose(c.apply(W), [3 * k0, 0.3 * k1, 0, 4 * k0, -0.4 * k1, 0]);
  // defaults min 0, max 1, rate 1: column 0 to norm 1, column 1 unchanged
  assertClose(constraints.minMaxNorm().apply(W), [
    3 / (5 + EPS),
    0.3 * (0.5 / (0.5 + EPS)),
    0,
    4 / (5 + EPS),
    -0.4 * (0.5 / (0.5 + EPS)),
    0,
  ]);
});

test('TensorFlow.js parity on the same weights (within 1e-6)', async () => {
  await tf.setBackend('cpu');
  const values = Array.from({ length: 24 }, (_, i) => Math.sin(i * 2.3) * (1 + (i % 4)));
  const shape = [2, 3, 4];
  const ours = sn.tensor(values, shape);
  const theirs = tf.tensor(values, shape);
  const pairs: [string, constraints.Constraint, { apply(w: tf.Tensor): tf.Tensor }][] = [
    ['maxNorm', constraints.maxNorm({ maxValue: 1.5 }), tf.constraints.maxNorm({ maxValue: 1.5 })],
    [
      'maxNorm axis [0, 2]',
      constraints.maxNorm({ maxValue: 2, axis: [0, 2] }),
      tf.constraints.maxNorm({ maxValue: 2, axis: [0, 2] as unknown as number }),
    ],
    ['nonNeg', constraints.nonNeg(), tf.constraints.nonNeg()],
    ['unitNorm', constraints.unitNorm({ axis: 1 }), tf.constraints.unitNorm({ axis: 1 })],
    [
      'minMaxNorm',
      constraints.minMaxNorm({ minValue: 0.5, maxValue: 1.2, rate: 0.7, axis: 2 }),
      tf.constraints.minMaxNorm({ minValue: 0.5, maxValue: 1.2, rate: 0.7, axis: 2 }),
    ],
  ];
  for (const [name, mine, ref] of pairs) {
    const got = Array.from(mine.apply(ours).dataSync());
    const want = Array.from(ref.apply(theirs).dataSync());
    got.forEach((g, i) =>
      assert.ok(Math.abs(g - want[i]!) <= 1e-6, `${name} [${i}]: ${g} vs ${want[i]}`),
    );
  }
});

test('names in both spellings, class names, instances and configs', () => {
  const names: [string, string][] = [
    ['maxNorm', 'MaxNorm'],
    ['max_norm', 'MaxNorm'],
    ['nonNeg', 'NonNeg'],
    ['non_neg', 'NonNeg'],
    ['unitNorm', 'UnitNorm'],
    ['unit_norm', 'UnitNorm'],
    ['minMaxNorm', 'MinMaxNorm'],
    ['min_max_norm', 'MinMaxNorm'],
    ['MaxNorm', 'MaxNorm'],
  ];
  for (const [name, className] of names) {
    const c = constraints.getConstraint(name as constraints.ConstraintName);
    assert.equal(constraints.constraintRegistry.serialize(c).className, className, name);
  }
  assert.deepEqual(constraints.getConstraint('max_norm').getConfig(), { maxValue: 2, axis: 0 });
  assert.deepEqual(constraints.getConstraint('min_max_norm').getConfig(), {
    minValue: 0,
    maxValue: 1,
    rate: 1,
    axis: 0,
  });
  assert.equal(constraints.getConstraint(undefined), undefined);
  assert.equal(constraints.getConstraint(null), undefined);
  const c = constraints.unitNorm({ axis: 1 });
  assert.equal(constraints.getConstraint(c), c);
  const fromKeras = constraints.getConstraint({
    class_name: 'MaxNorm',
    config: { maxValue: 3, axis: [0, 1] },
  });
  assert.deepEqual(fromKeras.getConfig(), { maxValue: 3, axis: [0, 1] });
  assert.throws(
    () => constraints.getConstraint('clip' as constraints.ConstraintName),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      e.message.includes('Unknown constraint "clip"') &&
      e.message.includes(
        "'maxNorm', 'max_norm', 'nonNeg', 'non_neg', 'unitNorm', 'unit_norm', 'minMaxNorm', 'min_max_norm'",
      ),
  );
});

test('configs round trip through JSON and constrain the same way', () => {
  const all = [
    constraints.maxNorm({ maxValue: 1.5, axis: 1 }),
    constraints.nonNeg(),
    constraints.unitNorm({ axis: [0, 1] }),
    constraints.minMaxNorm({ minValue: 0.2, maxValue: 0.9, rate: 0.3 }),
  ];
  for (const c of all) {
    const written = JSON.parse(JSON.stringify(constraints.constraintRegistry.serialize(c))) as {
      className: string;
      config: Record<string, never>;
    };
    const back = constraints.getConstraint(written);
    assert.equal(back.constructor, c.constructor);
    assert.deepEqual(back.getConfig(), c.getConfig());
    assert.deepEqual(Array.from(back.apply(W).dataSync()), Array.from(c.apply(W).dataSync()));
  }
});

test('bad arguments are ConfigErrors naming the constraint; a bad axis for the weight is a ShapeError', () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => constraints.maxNorm({ maxValue: -1 }),
      /maxNorm: maxValue must be a finite number >= 0, received -1/,
    ],
    [
      () => constraints.maxNorm({ maxValue: '2' as unknown as number }),
      /maxNorm: maxValue .* received "2" \(a string\)/,
    ],
    [() => constraints.maxNorm({ axis: 0.5 }), /maxNorm: axis must be an integer/],
    [
      () => constraints.maxNorm({ max_value: 2 } as unknown as constraints.MaxNormOptions),
      /maxNorm: unknown option "max_value"/,
    ],
    [
      () => constraints.minMaxNorm({ minValue: 2, maxValue: 1 }),
      /minMaxNorm: maxValue must be a finite number >= 2, received 1/,
    ],
    [
      () => constraints.minMaxNorm({ rate: 1.5 }),
      /minMaxNorm: rate must be a finite number in \[0, 1\], received 1.5/,
    ],
    [() => constraints.unitNorm({ axis: Number.NaN }), /unitNorm: axis must be an integer/],
  ];
  for (const [f, re] of cases) {
    assert.throws(f, (e: Error) => e instanceof sn.ConfigError && re.test(e.message), re.source);
  }
  assert.throws(
    () => constraints.unitNorm({ axis: 2 }).apply(W),
    (e: Error) =>
      e instanceof sn.ShapeError && /unitNorm: axis 2 is out of range .* \[2, 3\]/.test(e.message),
  );
});

test('a constraint on a variable projects the weight (Variable.constraint contract)', () => {
  const v = sn.variable(sn.tensor([[-1, 2]]), { name: 'w' });
  v.constraint = constraints.nonNeg();
  v.assign(v.constraint.apply(v));
  assertClose(v, [0, 2]);
});
