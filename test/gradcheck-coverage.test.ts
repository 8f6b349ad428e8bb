import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../src/index.js';
import { smooth } from './helpers.js';
import { lstmGates } from '../src/ops/lstm-gates.js';
import { gruGates } from '../src/ops/gru-gates.js';

/**
 * One finite-difference check for every differentiable op, and a guard that every op
 * exported as a Tensor method is either in this table or listed as not differentiable: a new
 * op cannot land without a gradient check. (The family test files check every axis variant
 * and broadcasting case; this table is the coverage net.)
 */

type Case = () => void;
const t = (values: number[], shape?: number[]): sn.Tensor => sn.tensor(values, shape);
const check = (
  f: (...xs: sn.Tensor[]) => sn.Tensor,
  inputs: sn.Tensor[],
  options?: sn.testing.GradCheckOptions,
): void => {
  sn.testing.gradCheck(f, inputs, options);
};

// Inputs away from kinks (0 for relu/abs, 6 for relu6) and inside domains (log, sqrt > 0).
const positive = t([0.3, 1.2, 2.5, 0.7, 1.9, 0.45], [2, 3]);
const mixed = t([-1.3, 0.4, 2.2, -0.6, 1.1, -2.4], [2, 3]);
const row = t([0.5, -1.5, 2], [3]);

const CASES: Record<string, Case> = {
  add: () => check((a, b) => sn.add(a!, b!), [mixed, row]),
  sub: () => check((a, b) => sn.sub(a!, b!), [mixed, row]),
  mul: () => check((a, b) => sn.mul(a!, b!), [mixed, row]),
  div: () => check((a, b) => sn.div(a!, b!), [mixed, t([0.5, -1.5, 2])]),
  pow: () => check((a, b) => sn.pow(a!, b!), [positive, row]),
  maximum: () => check((a, b) => sn.maximum(a!, b!), [mixed, row]),
  minimum: () => check((a, b) => sn.minimum(a!, b!), [mixed, row]),
  neg: () => check((a) => sn.neg(a!), [mixed]),
  abs: () => check((a) => sn.abs(a!), [mixed]),
  sign: () => check((a) => sn.sign(a!), [mixed]),
  square: () => check((a) => sn.square(a!), [mixed]),
  sqrt: () => check((a) => sn.sqrt(a!), [positive]),
  rsqrt: () => check((a) => sn.rsqrt(a!), [positive]),
  reciprocal: () => check((a) => sn.reciprocal(a!), [mixed]),
  exp: () => check((a) => sn.exp(a!), [mixed]),
  expm1: () => check((a) => sn.expm1(a!), [mixed]),
  log: () => check((a) => sn.log(a!), [positive]),
  log1p: () => check((a) => sn.log1p(a!), [positive]),
  erf: () => check((a) => sn.erf(a!), [mixed]),
  floor: () => check((a) => sn.floor(a!), [mixed]),
  clip: () => check((a) => sn.clip(a!, { min: -1, max: 1 }), [mixed]),
  sigmoid: () => check((a) => sn.sigmoid(a!), [mixed]),
  logSigmoid: () => check((a) => sn.logSigmoid(a!), [mixed]),
  tanh: () => check((a) => sn.tanh(a!), [mixed]),
  relu: () => check((a) => sn.relu(a!), [mixed]),
  relu6: () => check((a) => sn.relu6(a!), [t([-1, 3, 7, 5.5, 0.2, 9])]),
  leakyRelu: () => check((a) => sn.leakyRelu(a!, { alpha: 0.1 }), [mixed]),
  elu: () => check((a) => sn.elu(a!, { alpha: 0.5 }), [mixed]),
  selu: () => check((a) => sn.selu(a!), [mixed]),
  gelu: () => {
    check((a) => sn.gelu(a!), [mixed]);
    check((a) => sn.gelu(a!, { approximate: true }), [mixed]);
  },
  softplus: () => check((a) => sn.softplus(a!), [mixed]),
  softsign: () => check((a) => sn.softsign(a!), [mixed]),
  swish: () => check((a) => sn.swish(a!), [mixed]),
  softmax: () => check((a) => sn.softmax(a!), [mixed]),
  logSoftmax: () => check((a) => sn.logSoftmax(a!, 0), [mixed]),
  sum: () => check((a) => sn.sum(a!, 1, { keepDims: true }), [mixed]),
  mean: () => check((a) => sn.mean(a!, 0), [mixed]),
  max: () => check((a) => sn.max(a!, 1), [mixed]),
  min: () => check((a) => sn.min(a!, [0, 1]), [mixed]),
  prod: () => check((a) => sn.prod(a!, 1), [mixed]),
  variance: () => check((a) => sn.variance(a!, 1), [mixed]),
  std: () => check((a) => sn.std(a!, 0), [mixed]),
  logSumExp: () => check((a) => sn.logSumExp(a!, -1), [mixed]),
  norm: () => check((a) => sn.norm(a!, 1), [mixed]),
  topK: () => check((a) => sn.topK(a!, 2).values, [mixed]),
  matmul: () => check((a, b) => sn.matmul(a!, b!, { transposeB: true }), [mixed, positive]),
  // Through float32 and back: a wide step, so float32 rounding stays far below the tolerance.
  cast: () =>
    check((a) => sn.cast(sn.cast(a!, 'float32'), 'float64'), [mixed], { eps: 1e-2, atol: 1e-4 }),
  reshape: () => check((a) => sn.reshape(a!, [3, -1]), [mixed]),
  expandDims: () => check((a) => sn.expandDims(a!, 1), [mixed]),
  squeeze: () => check((a) => sn.squeeze(a!), [t([1, 2, 3], [1, 3, 1])]),
  broadcastTo: () => check((a) => sn.broadcastTo(a!, [2, 2, 3]), [row]),
  transpose: () => check((a) => sn.transpose(a!), [mixed]),
  split: () => check((a) => sn.split(a!, [1, 2], { axis: 1 })[1]!, [mixed]),
  slice: () => check((a) => sn.slice(a!, [0, 1], { size: [2, 2] }), [mixed]),
  pad: () =>
    check(
      (a) =>
        sn.pad(
          a!,
          [
            [1, 0],
            [0, 2],
          ],
          { constantValue: 3 },
        ),
      [mixed],
    ),
  tile: () => check((a) => sn.tile(a!, [2, 1]), [mixed]),
  gather: () =>
    check((a) => sn.gather(a!, sn.tensor([2, 0, 2], undefined, 'int32'), { axis: 1 }), [mixed]),
  scatterAdd: () =>
    check(
      (a, u) => sn.scatterAdd(a!, sn.tensor([1, 1], undefined, 'int32'), u!, { axis: 1 }),
      [mixed, t([1, 2, 3, 4], [2, 2])],
    ),

  // Convolution ops (not Tensor methods; one case each, dilation 2 and stride 2 'same' among them)
  conv2d: () =>
    check(
      (a, b) => sn.conv2d(a!, b!, { strides: 2, padding: 'same' }),
      [smooth([1, 5, 4, 2]), smooth([3, 2, 2, 3])],
    ),
  conv1d: () =>
    check((a, b) => sn.conv1d(a!, b!, { dilations: 2 }), [smooth([2, 7, 2]), smooth([3, 2, 2])]),
  conv2dTranspose: () =>
    check(
      (a, b) => sn.conv2dTranspose(a!, b!, { strides: 2, padding: 'same' }),
      [smooth([1, 3, 2, 2]), smooth([3, 3, 3, 2])],
    ),
  depthwiseConv2d: () =>
    check(
      (a, b) => sn.depthwiseConv2d(a!, b!, { dilations: 2, padding: 'same' }),
      [smooth([1, 5, 4, 2]), smooth([3, 2, 2, 2])],
    ),
  separableConv2d: () =>
    check(
      (a, b, c) =>
        sn.separableConv2d(a!, {
          depthwiseFilter: b!,
          pointwiseFilter: c!,
          strides: 2,
          padding: 'same',
        }),
      [smooth([1, 5, 4, 2]), smooth([3, 3, 2, 2]), smooth([1, 1, 4, 3])],
    ),
  // Pooling ops (function-only). Inputs [1, 5, 4, 2] and [2, 6, 2] of distinct values
  // ((7i mod n) / n, 7 and n coprime), so each window has one maximum.
  ...((): Record<string, Case> => {
    const distinct = (shape: number[]): sn.Tensor => {
      const n = shape.reduce((p, q) => p * q, 1);
      return t(
        Array.from({ length: n }, (_, i) => ((i * 7) % n) / n - 0.5),
        shape,
      );
    };
    const image = (): sn.Tensor => distinct([1, 5, 4, 2]);
    const sequence = (): sn.Tensor => distinct([2, 6, 2]);
    return {
      maxPool: () =>
        check((a) => sn.maxPool(a!, { poolSize: 3, strides: 2, padding: 'same' }), [image()]),
      avgPool: () =>
        check((a) => sn.avgPool(a!, { poolSize: [2, 3], strides: 2, padding: 'same' }), [image()]),
      maxPool1d: () => check((a) => sn.maxPool1d(a!, { poolSize: 2, strides: 1 }), [sequence()]),
      avgPool1d: () =>
        check((a) => sn.avgPool1d(a!, { poolSize: 3, strides: 2, padding: 'same' }), [sequence()]),
      upSampling: () => {
        check((a) => sn.upSampling(a!, { size: [2, 3] }), [image()]);
        check((a) => sn.upSampling(a!, { size: 2, interpolation: 'bilinear' }), [image()]);
      },
    };
  })(),
};

// Ops with no gradient: masks, indices and integer outputs.
const NOT_DIFFERENTIABLE = new Set([
  'equal',
  'notEqual',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'logicalAnd',
  'logicalOr',
  'logicalNot',
  'argMax',
  'argMin',
  'oneHot',
]);

test('every op exported as a Tensor method has a gradient check or is declared non-differentiable', () => {
  const methods = Object.getOwnPropertyNames(sn.Tensor.prototype).filter(
    (name) =>
      typeof Object.getOwnPropertyDescriptor(sn.Tensor.prototype, name)?.value === 'function',
  );
  const ops = methods.filter(
    (m) =>
      typeof (sn as unknown as Record<string, unknown>)[m] === 'function' &&
      !['constructor', 'toString'].includes(m),
  );
  assert.ok(ops.length > 60, `found only ${ops.length} op methods: ${ops.join(', ')}`);
  const missing = ops.filter((m) => !(m in CASES) && !NOT_DIFFERENTIABLE.has(m));
  assert.deepEqual(missing, [], `ops without a gradient check: ${missing.join(', ')}`);
});

test('concat, stack and where (function-only ops) have gradient checks too', () => {
  check((a, b) => sn.concat([a!, b!], 1), [mixed, positive]);
  check((a, b) => sn.stack([a!, b!], 0), [mixed, positive]);
  check((a, b) => sn.where(sn.greater(mixed, 0), a!, b!), [positive, row]);
});

for (const [name, run] of Object.entries(CASES)) {
  test(`gradCheck: ${name}`, run);
}

// LSTM gates (the fused kernel behind LSTMCell's step, src/ops/lstm-gates.ts)
test('gradCheck: lstmGates (h, c and a combination of both, float64)', () => {
  const z = sn.tensor(
    Array.from({ length: 24 }, (_, i) => Math.sin(1.7 * i) * 2),
    [2, 12],
    'float64',
  );
  const c = sn.tensor([0.3, -1.2, 0.8, -0.4, 1.5, 0.1], [2, 3], 'float64');
  check((a, b) => lstmGates(a!, b!).h, [z, c]);
  check((a, b) => lstmGates(a!, b!).c, [z, c]);
  check(
    (a, b) => {
      const out = lstmGates(a!, b!);
      return sn.add(sn.mul(out.h, 2), sn.square(out.c));
    },
    [z, c],
  );
});

// GRU gates (the fused kernel behind GRUCell's resetAfter step, src/ops/gru-gates.ts)
test("gradCheck: gruGates (h' and a combination with its square, float64)", () => {
  const x = sn.tensor(
    Array.from({ length: 18 }, (_, i) => Math.sin(1.3 * i) * 2),
    [2, 9],
    'float64',
  );
  const inner = sn.tensor(
    Array.from({ length: 18 }, (_, i) => Math.cos(0.7 * i + 0.2) * 1.5),
    [2, 9],
    'float64',
  );
  const h = sn.tensor([0.3, -0.9, 0.6, -0.4, 0.8, 0.1], [2, 3], 'float64');
  check((a, b, c) => gruGates(a!, b!, c!), [x, inner, h]);
  check(
    (a, b, c) => {
      const out = gruGates(a!, b!, c!);
      return sn.add(sn.mul(out, 2), sn.square(out));
    },
    [x, inner, h],
  );
});
