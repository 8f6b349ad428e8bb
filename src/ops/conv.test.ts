import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose, lcg, smooth } from '../../test/helpers.js';

// Convolution ops against TensorFlow.js (cpu backend) on the same values: forward values on
// odd sizes, strides with 'same', dilations, batch 1, channelsFirst and several channel
// counts; gradients against tf.grads where TF.js has them (it refuses dilated gradients), and
// float64 finite differences for every op, dilations and strided 'same' included.

await tf.setBackend('cpu');

type Pair = [number, number];
let seed = 1200;
/** Values in [-1, 1) for `shape`, as a flat array and the two tensors made of it. */
function values(shape: number[]): { sn: sn.Tensor; tf: tf.Tensor } {
  seed += 7;
  const v = lcg(
    shape.reduce((a, b) => a * b, 1),
    seed,
    -1,
    1,
  );
  return { sn: sn.tensor(v, shape), tf: tf.tensor(v, shape) };
}

/** sinew's result equals TF.js's within `tol` (relative above 1), shapes included. */
function same(actual: sn.Tensor, expected: tf.Tensor, tol = 1e-5): void {
  assertClose(actual, Array.from(expected.dataSync()), tol, expected.shape);
}

const NCHW = [0, 3, 1, 2];

interface Geometry2D {
  x: number[];
  f: number[];
  strides?: number | Pair;
  padding?: 'valid' | 'same';
  dilations?: number | Pair;
}

/** Odd sizes, stride 2 with 'same', uneven strides, an even kernel, dilation 2, batch 1. */
const GEOMETRIES: Geometry2D[] = [
  { x: [2, 7, 5, 3], f: [3, 2, 3, 4] },
  { x: [2, 7, 5, 3], f: [3, 3, 3, 2], strides: 2, padding: 'same' },
  { x: [2, 7, 5, 1], f: [2, 2, 1, 3], strides: 2, padding: 'same' },
  { x: [1, 7, 5, 2], f: [3, 3, 2, 5], strides: [2, 1], padding: 'valid' },
  { x: [1, 7, 5, 2], f: [3, 2, 2, 1], dilations: 2 },
  { x: [2, 7, 5, 4], f: [3, 3, 4, 2], dilations: 2, padding: 'same' },
  { x: [1, 6, 7, 3], f: [2, 3, 3, 2], dilations: [1, 2], padding: 'same' },
];
const dilated = (g: Geometry2D): boolean => g.dilations !== undefined;
const label = (g: Geometry2D): string =>
  `x ${g.x.join('×')} f ${g.f.join('×')} strides ${String(g.strides ?? 1)} ` +
  `${g.padding ?? 'valid'} dilations ${String(g.dilations ?? 1)}`;
const opts = (g: Geometry2D): sn.Conv2DOptions => ({
  ...(g.strides === undefined ? {} : { strides: g.strides }),
  ...(g.padding === undefined ? {} : { padding: g.padding }),
  ...(g.dilations === undefined ? {} : { dilations: g.dilations }),
});

/** The gradients of sum(f(...)·w) for fixed random w, in TF.js and in sinew, compared. */
function sameGradients(
  snF: (...xs: sn.Tensor[]) => sn.Tensor,
  tfF: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: { sn: sn.Tensor; tf: tf.Tensor }[],
): void {
  const out = tfF(...inputs.map((i) => i.tf));
  const w = values(out.shape);
  const want = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(tfF(...xs), w.tf)))(
    inputs.map((i) => i.tf),
  );
  const got = sn.grads((...xs) => sn.sum(sn.mul(snF(...xs), w.sn)))(inputs.map((i) => i.sn));
  got.forEach((g, i) => same(g, want[i]!, 1e-4));
}

// --- conv2d

for (const g of GEOMETRIES) {
  test(`conv2d matches tf.conv2d: ${label(g)}`, () => {
    const x = values(g.x);
    const f = values(g.f);
    const tfConv = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
      tf.conv2d(
        a as tf.Tensor4D,
        b as tf.Tensor4D,
        g.strides ?? 1,
        g.padding ?? 'valid',
        'NHWC',
        g.dilations ?? 1,
      );
    same(sn.conv2d(x.sn, f.sn, opts(g)), tfConv(x.tf, f.tf));
    // channelsFirst: the same convolution on [b, c, h, w], result [b, cout, oh, ow].
    same(
      sn.conv2d(sn.transpose(x.sn, NCHW), f.sn, { ...opts(g), dataFormat: 'channelsFirst' }),
      tf.transpose(tfConv(x.tf, f.tf), NCHW),
    );
    if (!dilated(g)) sameGradients((a, b) => sn.conv2d(a!, b!, opts(g)), tfConv, [x, f]);
  });
}

test('conv2d with strides and dilations together: every other output of the stride-1 dilated tf.conv2d', () => {
  // TF.js refuses strides > 1 with dilations > 1; under 'valid' padding the strided result is
  // the stride-1 result sampled at every stride-th row and column.
  const x = values([2, 9, 8, 3]);
  const f = values([3, 2, 3, 2]);
  const full = tf.conv2d(x.tf as tf.Tensor4D, f.tf as tf.Tensor4D, 1, 'valid', 'NHWC', 2);
  const [b, h, w, c] = full.shape;
  const want = tf.stridedSlice(full, [0, 0, 0, 0], [b, h, w, c], [1, 2, 3, 1]);
  same(sn.conv2d(x.sn, f.sn, { strides: [2, 3], dilations: 2 }), want);
});

test('conv2d: hand-computed 3×3 input, 2×2 filter of ones (sums of each 2×2 block)', () => {
  const x = sn.reshape(sn.range(1, 10), [1, 3, 3, 1]);
  const y = sn.conv2d(x, sn.ones([2, 2, 1, 1]));
  // [1+2+4+5, 2+3+5+6; 4+5+7+8, 5+6+8+9]
  assertClose(y, [12, 16, 24, 28], 0, [1, 2, 2, 1]);
});

test('conv2d gradients: finite differences (float64), dilations, strided same, channelsFirst', () => {
  const x = smooth([2, 5, 4, 2]);
  const f = smooth([3, 2, 2, 3]);
  sn.testing.gradCheck((a, b) => sn.conv2d(a!, b!), [x, f]);
  sn.testing.gradCheck((a, b) => sn.conv2d(a!, b!, { strides: 2, padding: 'same' }), [x, f]);
  sn.testing.gradCheck((a, b) => sn.conv2d(a!, b!, { dilations: 2, padding: 'same' }), [x, f]);
  sn.testing.gradCheck((a, b) => sn.conv2d(a!, b!, { dilations: [2, 1] }), [x, f]);
  // Strides and dilations together (TF.js refuses this; the op computes it).
  sn.testing.gradCheck(
    (a, b) => sn.conv2d(a!, b!, { strides: 2, dilations: 2, padding: 'same' }),
    [x, f],
  );
  sn.testing.gradCheck(
    (a, b) => sn.conv2d(a!, b!, { strides: 2, dataFormat: 'channelsFirst' }),
    [smooth([1, 2, 5, 4]), f],
  );
});

test('conv2d: int32 operands compute in float32', () => {
  const y = sn.conv2d(sn.ones([1, 2, 2, 1], 'int32'), sn.ones([2, 2, 1, 1], 'int32'));
  assert.equal(y.dtype, 'float32');
  assertClose(y, [4], 0, [1, 1, 1, 1]);
  assert.equal(sn.conv2d(smooth([1, 2, 2, 1]), sn.ones([1, 1, 1, 1])).dtype, 'float64');
});

// --- conv1d

const GEOMETRIES_1D: {
  x: number[];
  f: number[];
  stride?: number;
  padding?: 'valid' | 'same';
  dilation?: number;
}[] = [
  { x: [2, 7, 3], f: [3, 3, 4] },
  { x: [2, 7, 3], f: [2, 3, 2], stride: 2, padding: 'same' },
  { x: [1, 9, 2], f: [3, 2, 5], dilation: 2 },
  { x: [1, 8, 1], f: [3, 1, 2], dilation: 2, padding: 'same' },
];

for (const g of GEOMETRIES_1D) {
  test(`conv1d matches tf.conv1d: x ${g.x.join('×')} f ${g.f.join('×')} stride ${g.stride ?? 1} ${g.padding ?? 'valid'} dilation ${g.dilation ?? 1}`, () => {
    const x = values(g.x);
    const f = values(g.f);
    const o: sn.Conv1DOptions = {
      ...(g.stride === undefined ? {} : { strides: g.stride }),
      ...(g.padding === undefined ? {} : { padding: g.padding }),
      ...(g.dilation === undefined ? {} : { dilations: g.dilation }),
    };
    const tfConv = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
      tf.conv1d(
        a as tf.Tensor3D,
        b as tf.Tensor3D,
        g.stride ?? 1,
        g.padding ?? 'valid',
        'NWC',
        g.dilation ?? 1,
      );
    same(sn.conv1d(x.sn, f.sn, o), tfConv(x.tf, f.tf));
    same(
      sn.conv1d(sn.transpose(x.sn, [0, 2, 1]), f.sn, { ...o, dataFormat: 'channelsFirst' }),
      tf.transpose(tfConv(x.tf, f.tf), [0, 2, 1]),
    );
    if (g.dilation === undefined) sameGradients((a, b) => sn.conv1d(a!, b!, o), tfConv, [x, f]);
  });
}

test('conv1d gradients: finite differences (float64), dilation 2 and stride 2 same', () => {
  const x = smooth([2, 7, 2]);
  const f = smooth([3, 2, 3]);
  sn.testing.gradCheck((a, b) => sn.conv1d(a!, b!, { dilations: 2 }), [x, f]);
  sn.testing.gradCheck((a, b) => sn.conv1d(a!, b!, { strides: 2, padding: 'same' }), [x, f]);
  sn.testing.gradCheck(
    (a, b) => sn.conv1d(a!, b!, { padding: 'same', dataFormat: 'channelsFirst' }),
    [smooth([1, 2, 5]), f],
  );
});

// --- conv2dTranspose

interface TransposeGeometry {
  x: number[];
  f: number[];
  strides?: number;
  padding?: 'valid' | 'same';
  outputPadding?: number | Pair;
  /** Keras's deconv_output_length, worked out by hand for each case. */
  out: Pair;
}
const TRANSPOSE_GEOMETRIES: TransposeGeometry[] = [
  // 'same': in·s.
  { x: [2, 4, 3, 3], f: [3, 3, 2, 3], strides: 2, padding: 'same', out: [8, 6] },
  // 'valid': in·s + max(k − s, 0): 4·2 + 1, 3·2 + 0.
  { x: [2, 4, 3, 3], f: [3, 2, 4, 3], strides: 2, out: [9, 6] },
  { x: [1, 3, 3, 2], f: [2, 2, 3, 2], out: [4, 4] },
  { x: [1, 3, 3, 1], f: [1, 1, 2, 1], strides: 3, out: [9, 9] },
  // outputPadding p: (in − 1)·s + k − 2·pad + p, pad = ⌊k/2⌋ ('same') or 0: 2·2 + 3 − 2 + 0.
  { x: [1, 3, 3, 2], f: [3, 3, 1, 2], strides: 2, padding: 'same', outputPadding: 0, out: [5, 5] },
  // 2·2 + 3 + 1 = 8 rows, 2·2 + 3 + 0 = 7 columns.
  { x: [1, 3, 3, 2], f: [3, 3, 2, 2], strides: 2, outputPadding: [1, 0], out: [8, 7] },
];

for (const g of TRANSPOSE_GEOMETRIES) {
  test(`conv2dTranspose matches tf.conv2dTranspose: x ${g.x.join('×')} f ${g.f.join('×')} strides ${g.strides ?? 1} ${g.padding ?? 'valid'} outputPadding ${String(g.outputPadding)}`, () => {
    const x = values(g.x);
    const f = values(g.f);
    const o: sn.Conv2DTransposeOptions = {
      ...(g.strides === undefined ? {} : { strides: g.strides }),
      ...(g.padding === undefined ? {} : { padding: g.padding }),
      ...(g.outputPadding === undefined ? {} : { outputPadding: g.outputPadding }),
    };
    const outShape: [number, number, number, number] = [g.x[0]!, ...g.out, g.f[2]!];
    const tfT = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
      tf.conv2dTranspose(
        a as tf.Tensor4D,
        b as tf.Tensor4D,
        outShape,
        g.strides ?? 1,
        g.padding ?? 'valid',
      );
    const y = sn.conv2dTranspose(x.sn, f.sn, o);
    assert.deepEqual(y.shape, outShape);
    same(y, tfT(x.tf, f.tf));
    same(
      sn.conv2dTranspose(sn.transpose(x.sn, NCHW), f.sn, { ...o, dataFormat: 'channelsFirst' }),
      tf.transpose(tfT(x.tf, f.tf), NCHW),
    );
    sameGradients((a, b) => sn.conv2dTranspose(a!, b!, o), tfT, [x, f]);
  });
}

test('conv2dTranspose with dilation 2 is the adjoint of tf.conv2d with dilation 2', () => {
  // TF.js's conv2dTranspose has no dilations; its dilated conv2d is the oracle instead:
  // y = conv2dTranspose(x, f) has y[p] = <x, conv2d(e_p, f)> for each one-hot image e_p of y's shape.
  for (const padding of ['valid', 'same'] as const) {
    const x = values([1, 3, 4, 2]);
    const f = values([3, 2, 3, 2]);
    const y = sn.conv2dTranspose(x.sn, f.sn, { dilations: 2, padding });
    const [, oh, ow, oc] = y.shape as [number, number, number, number];
    const n = oh * ow * oc;
    const basis = tf.reshape(tf.eye(n), [n, oh, ow, oc]) as tf.Tensor4D;
    const images = tf.conv2d(basis, f.tf as tf.Tensor4D, 1, padding, 'NHWC', 2);
    assert.deepEqual(images.shape.slice(1), x.tf.shape.slice(1));
    const want = tf.sum(tf.mul(images, x.tf), [1, 2, 3]);
    assert.deepEqual(y.shape, padding === 'valid' ? [1, 7, 6, 3] : [1, 3, 4, 3]);
    assertClose(y, Array.from(want.dataSync()), 1e-5);
  }
});

test('conv2dTranspose gradients: finite differences (float64), dilation, strided same, outputPadding', () => {
  const x = smooth([2, 3, 2, 2]);
  const f = smooth([3, 2, 3, 2]);
  sn.testing.gradCheck((a, b) => sn.conv2dTranspose(a!, b!), [x, f]);
  sn.testing.gradCheck(
    (a, b) => sn.conv2dTranspose(a!, b!, { strides: 2, padding: 'same' }),
    [x, f],
  );
  sn.testing.gradCheck(
    (a, b) => sn.conv2dTranspose(a!, b!, { dilations: 2, padding: 'same' }),
    [x, f],
  );
  sn.testing.gradCheck(
    (a, b) => sn.conv2dTranspose(a!, b!, { strides: 2, outputPadding: 1 }),
    [x, f],
  );
});

// --- depthwiseConv2d

const DEPTHWISE_GEOMETRIES: Geometry2D[] = [
  { x: [2, 7, 5, 3], f: [3, 3, 3, 2], strides: 2, padding: 'same' },
  { x: [1, 7, 5, 2], f: [3, 2, 2, 1] },
  { x: [2, 6, 5, 1], f: [2, 2, 1, 4], strides: 2 },
  { x: [1, 7, 5, 2], f: [3, 3, 2, 2], dilations: 2, padding: 'same' },
  { x: [1, 7, 6, 3], f: [2, 3, 3, 1], dilations: 2 },
];

for (const g of DEPTHWISE_GEOMETRIES) {
  test(`depthwiseConv2d matches tf.depthwiseConv2d: ${label(g)}`, () => {
    const x = values(g.x);
    const f = values(g.f);
    const tfD = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
      tf.depthwiseConv2d(
        a as tf.Tensor4D,
        b as tf.Tensor4D,
        (g.strides as number) ?? 1,
        g.padding ?? 'valid',
        'NHWC',
        g.dilations ?? 1,
      );
    same(sn.depthwiseConv2d(x.sn, f.sn, opts(g)), tfD(x.tf, f.tf));
    same(
      sn.depthwiseConv2d(sn.transpose(x.sn, NCHW), f.sn, {
        ...opts(g),
        dataFormat: 'channelsFirst',
      }),
      tf.transpose(tfD(x.tf, f.tf), NCHW),
    );
    if (!dilated(g)) sameGradients((a, b) => sn.depthwiseConv2d(a!, b!, opts(g)), tfD, [x, f]);
  });
}

test('depthwiseConv2d gradients: finite differences (float64), dilation 2 and stride 2 same', () => {
  const x = smooth([2, 5, 4, 2]);
  const f = smooth([3, 2, 2, 2]);
  sn.testing.gradCheck((a, b) => sn.depthwiseConv2d(a!, b!), [x, f]);
  sn.testing.gradCheck(
    (a, b) => sn.depthwiseConv2d(a!, b!, { strides: 2, padding: 'same' }),
    [x, f],
  );
  sn.testing.gradCheck(
    (a, b) => sn.depthwiseConv2d(a!, b!, { dilations: 2, padding: 'same' }),
    [x, f],
  );
  sn.testing.gradCheck(
    (a, b) => sn.depthwiseConv2d(a!, b!, { dataFormat: 'channelsFirst' }),
    [smooth([1, 2, 4, 3]), f],
  );
});

// --- separableConv2d

const SEPARABLE_GEOMETRIES: (Geometry2D & { p: number[] })[] = [
  { x: [2, 7, 5, 3], f: [3, 3, 3, 2], p: [1, 1, 6, 4], strides: 2, padding: 'same' },
  { x: [1, 7, 5, 2], f: [3, 2, 2, 1], p: [1, 1, 2, 3] },
  { x: [1, 7, 5, 2], f: [3, 3, 2, 2], p: [1, 1, 4, 1], dilations: 2, padding: 'same' },
];

for (const g of SEPARABLE_GEOMETRIES) {
  test(`separableConv2d matches tf.separableConv2d: ${label(g)} pointwise ${g.p.join('×')}`, () => {
    const x = values(g.x);
    const d = values(g.f);
    const p = values(g.p);
    const tfS = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor): tf.Tensor =>
      tf.separableConv2d(
        a as tf.Tensor4D,
        b as tf.Tensor4D,
        c as tf.Tensor4D,
        (g.strides as number) ?? 1,
        g.padding ?? 'valid',
        (g.dilations as number) ?? 1,
      );
    const snS = (
      a: sn.Tensor,
      b: sn.Tensor,
      c: sn.Tensor,
      extra: sn.Conv2DOptions = {},
    ): sn.Tensor =>
      sn.separableConv2d(a, { depthwiseFilter: b, pointwiseFilter: c, ...opts(g), ...extra });
    same(snS(x.sn, d.sn, p.sn), tfS(x.tf, d.tf, p.tf));
    same(
      snS(sn.transpose(x.sn, NCHW), d.sn, p.sn, { dataFormat: 'channelsFirst' }),
      tf.transpose(tfS(x.tf, d.tf, p.tf), NCHW),
    );
    if (!dilated(g)) sameGradients((a, b, c) => snS(a!, b!, c!), tfS, [x, d, p]);
  });
}

test('separableConv2d gradients: finite differences (float64), dilation 2 and stride 2 same', () => {
  const x = smooth([2, 5, 4, 2]);
  const d = smooth([3, 2, 2, 2]);
  const p = smooth([1, 1, 4, 3]);
  for (const o of [{ strides: 2, padding: 'same' }, { dilations: 2 }] as const) {
    sn.testing.gradCheck(
      (a, b, c) => sn.separableConv2d(a!, { depthwiseFilter: b!, pointwiseFilter: c!, ...o }),
      [x, d, p],
    );
  }
});
