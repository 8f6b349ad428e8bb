import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { lcg } from '../../../test/helpers.js';
import { windowInfo, type Padding } from '../../ops/conv-geometry.js';
import type { DataArray, DType } from '../../tensor/dtype.js';
import type { Conv2DInfo, PoolOp, TensorInfo } from '../backend.js';
import {
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  depthwiseConv2d,
  depthwiseConv2dBackpropFilter,
  depthwiseConv2dBackpropInput,
  pool2d,
  pool2dGrad,
} from './conv.js';
import { valuesOf, wrap } from './storage.js';

// The cpu reference kernels for 2-D window ops, called directly (whatever backend the suite
// runs on) and compared with TensorFlow.js (cpu backend) on the same values. TF.js has no
// dilated gradients, so dilated backprop kernels are checked against its dilated forward: a
// linear map's transpose, read off one basis tensor at a time. Its avgPool gradient with
// 'same' padding divides by the full window (unlike its own forward); ours is checked by
// finite differences there.

await tf.setBackend('cpu');

type Pair = [number, number];
let seed = 3300;
function data(shape: number[]): { info: TensorInfo; tf: tf.Tensor } {
  seed += 11;
  const v = lcg(
    shape.reduce((a, b) => a * b, 1),
    seed,
    -1,
    1,
  );
  return { info: infoOf(v, shape), tf: tf.tensor(v, shape) };
}
function infoOf(values: DataArray, shape: number[], dtype: DType = 'float32'): TensorInfo {
  return { dataId: wrap(values), shape, dtype };
}
function close(
  got: DataArray,
  want: tf.Tensor | ArrayLike<number>,
  what: string,
  tol = 2e-5,
): void {
  const w = want instanceof tf.Tensor ? want.dataSync() : want;
  assert.equal(got.length, w.length, `${what}: length`);
  for (let i = 0; i < w.length; i++) {
    assert.ok(
      Math.abs(got[i]! - w[i]!) <= tol * Math.max(1, Math.abs(w[i]!)),
      `${what} element ${i}: got ${got[i]}, expected ${w[i]}`,
    );
  }
}

interface Geometry {
  x: [number, number, number, number];
  /** [filterHeight, filterWidth, last]: last is outChannels (conv2d) or multiplier (depthwise). */
  f: [number, number, number];
  strides: Pair;
  dilations: Pair;
  padding: Padding;
}
const GEOMETRIES: Geometry[] = [
  { x: [2, 7, 5, 3], f: [3, 2, 4], strides: [1, 1], dilations: [1, 1], padding: 'valid' },
  { x: [2, 7, 5, 2], f: [3, 3, 2], strides: [2, 2], dilations: [1, 1], padding: 'same' },
  { x: [1, 6, 6, 1], f: [2, 2, 3], strides: [2, 2], dilations: [1, 1], padding: 'same' },
  { x: [1, 7, 5, 2], f: [3, 2, 2], strides: [1, 1], dilations: [2, 2], padding: 'same' },
  { x: [1, 6, 7, 2], f: [2, 3, 1], strides: [1, 1], dilations: [2, 1], padding: 'valid' },
];
const label = (g: Geometry): string =>
  `x ${g.x.join('×')} f ${g.f.join('×')} strides ${g.strides.join('×')} dilations ` +
  `${g.dilations.join('×')} ${g.padding}`;
const dilated = (g: Geometry): boolean => g.dilations[0] > 1 || g.dilations[1] > 1;

function geometryInfo(g: Geometry, outChannels: number): Conv2DInfo {
  return windowInfo(
    g.x,
    {
      filter: [g.f[0], g.f[1]],
      strides: g.strides,
      dilations: g.dilations,
      padding: g.padding,
      outChannels,
    },
    'test',
  );
}

/**
 * The transpose of the linear map v ↦ forward(v) applied to dy: entry k is
 * <dy, forward(e_k)> for the one-hot tensor e_k of `shape`.
 */
function transposeOf(
  shape: number[],
  forward: (v: tf.Tensor) => tf.Tensor,
  dy: tf.Tensor,
): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, k) =>
    tf.tidy(
      () =>
        tf
          .sum(tf.mul(forward(tf.reshape(tf.cast(tf.oneHot(k, n), 'float32'), shape)), dy))
          .dataSync()[0]!,
    ),
  );
}

for (const kind of ['conv2d', 'depthwise'] as const) {
  for (const g of GEOMETRIES) {
    test(`${kind} kernels (forward, input and filter gradients) against TF.js: ${label(g)}`, () => {
      const inC = g.x[3];
      const outC = kind === 'conv2d' ? g.f[2] : inC * g.f[2];
      const info = geometryInfo(g, outC);
      const fShape = [g.f[0], g.f[1], inC, g.f[2]];
      const x = data(g.x);
      const f = data(fShape);
      const dy = data([g.x[0], info.outHeight, info.outWidth, outC]);
      const tfForward = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
        kind === 'conv2d'
          ? tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, g.strides, g.padding, 'NHWC', g.dilations)
          : tf.depthwiseConv2d(
              a as tf.Tensor4D,
              b as tf.Tensor4D,
              g.strides,
              g.padding,
              'NHWC',
              g.dilations,
            );
      const [fwd, input, filter] =
        kind === 'conv2d'
          ? [conv2d, conv2dBackpropInput, conv2dBackpropFilter]
          : [depthwiseConv2d, depthwiseConv2dBackpropInput, depthwiseConv2dBackpropFilter];

      const y = tfForward(x.tf, f.tf);
      assert.deepEqual(y.shape, dy.tf.shape);
      close(fwd(x.info, f.info, info), y, 'forward');
      if (!dilated(g)) {
        const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tfForward(a, b))(
          [x.tf, f.tf],
          dy.tf,
        );
        close(input(dy.info, f.info, info), dx!, 'input gradient');
        close(filter(x.info, dy.info, info), df!, 'filter gradient');
      } else {
        close(
          input(dy.info, f.info, info),
          transposeOf(g.x, (v) => tfForward(v, f.tf), dy.tf),
          'input gradient',
          1e-4,
        );
        close(
          filter(x.info, dy.info, info),
          transposeOf(fShape, (v) => tfForward(x.tf, v), dy.tf),
          'filter gradient',
          1e-4,
        );
      }
    });
  }
}

interface PoolGeometry {
  x: [number, number, number, number];
  pool: Pair;
  strides: Pair;
  padding: Padding;
}
const POOLS: PoolGeometry[] = [
  { x: [2, 7, 5, 3], pool: [2, 2], strides: [2, 2], padding: 'valid' },
  { x: [2, 7, 5, 2], pool: [3, 3], strides: [2, 2], padding: 'same' },
  { x: [1, 6, 7, 1], pool: [3, 2], strides: [1, 2], padding: 'same' },
  { x: [1, 5, 5, 2], pool: [3, 3], strides: [1, 1], padding: 'valid' },
];

function poolInfo(g: PoolGeometry): Conv2DInfo {
  return windowInfo(
    g.x,
    {
      filter: g.pool,
      strides: g.strides,
      dilations: [1, 1],
      padding: g.padding,
      outChannels: g.x[3],
    },
    'test',
  );
}

for (const op of ['max', 'avg'] as const satisfies readonly PoolOp[]) {
  for (const g of POOLS) {
    test(`pool2d '${op}' and its gradient against TF.js: x ${g.x.join('×')} pool ${g.pool.join('×')} strides ${g.strides.join('×')} ${g.padding}`, () => {
      const info = poolInfo(g);
      const x = data(g.x);
      const tfPool = (a: tf.Tensor): tf.Tensor =>
        op === 'max'
          ? tf.maxPool(a as tf.Tensor4D, g.pool, g.strides, g.padding)
          : tf.avgPool(a as tf.Tensor4D, g.pool, g.strides, g.padding);
      const y = tfPool(x.tf);
      assert.deepEqual(y.shape, [g.x[0], info.outHeight, info.outWidth, g.x[3]]);
      close(pool2d(op, x.info, info), y, 'forward');
      const dy = data(y.shape);
      const got = pool2dGrad(op, x.info, dy.info, info);
      if (op === 'max' || g.padding === 'valid') {
        close(got, tf.grad((a: tf.Tensor) => tfPool(a))(x.tf, dy.tf), 'gradient');
      } else {
        close(got, finiteDifferences(op, x.info, dy.info, info), 'gradient', 1e-6);
      }
    });
  }
}

/** d/dx Σ pool2d(x)·dy by central differences in float64. */
function finiteDifferences(
  op: PoolOp,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): Float64Array {
  const xs = Float64Array.from(valuesOf(x));
  const dys = valuesOf(dy);
  const eps = 1e-6;
  const loss = (values: Float64Array): number => {
    const y = pool2d(op, infoOf(values, [...x.shape], 'float64'), info);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i]! * dys[i]!;
    return s;
  };
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const saved = xs[i]!;
    xs[i] = saved + eps;
    const up = loss(xs);
    xs[i] = saved - eps;
    const down = loss(xs);
    xs[i] = saved;
    out[i] = (up - down) / (2 * eps);
  }
  return out;
}

test("TF.js's avgPool gradient with 'same' padding differs from ours at the borders (it divides by the full window)", () => {
  // A 1×3×3×1 input of ones, 3×3 window, stride 1, 'same': the corner output averages 4
  // in-bounds values, so the corner input's gradient (dy all ones) gets 1/4 from it, 1/6 from
  // each of its two edge neighbours' windows and 1/9 from the centre: 1/4 + 2/6 + 1/9.
  const g: PoolGeometry = { x: [1, 3, 3, 1], pool: [3, 3], strides: [1, 1], padding: 'same' };
  const info = poolInfo(g);
  const ones = infoOf(new Float64Array(9).fill(1), [1, 3, 3, 1], 'float64');
  const ours = pool2dGrad('avg', ones, ones, info);
  assert.ok(Math.abs(ours[0]! - (1 / 4 + 2 / 6 + 1 / 9)) < 1e-12, `corner: ${ours[0]}`);
  const theirs = tf
    .grad((a: tf.Tensor) => tf.avgPool(a as tf.Tensor4D, 3, 1, 'same'))(
      tf.ones([1, 3, 3, 1]),
      tf.ones([1, 3, 3, 1]),
    )
    .dataSync();
  assert.ok(Math.abs(theirs[0]! - 4 / 9) < 1e-6, `tfjs corner: ${theirs[0]}`);
});
