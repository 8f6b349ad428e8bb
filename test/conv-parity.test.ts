import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../src/index.js';
import { lcg, assertNear } from './helpers.js';

/**
 * Convolution layers against TensorFlow.js 4.22 (cpu backend), with the same weights (sinew
 * initialises them, they are copied into tfjs) and the same data:
 *   - forward outputs of every layer within 1e-5;
 *   - gradients of a loss with weight penalties and an activity penalty within 1e-5 (tfjs
 *     refuses activity regularizers, so its side adds the penalty by hand, divided by the batch
 *     size as docs/semantics.md rule 6 says; the weight penalties are written out by hand too).
 * Comparisons are |sinew − tfjs| / max(|tfjs|, 1), as test/tfjs-parity.test.ts. Training
 * parity (20 epochs of fit): test/conv-fit-parity.test.ts.
 *
 * Where tfjs cannot be the oracle:
 *   - dilated convolutions: tfjs has no gradient for them ("dilation rates greater than 1 are
 *     not yet supported in gradients"); those gradients are checked against float64 central
 *     finite differences of the same loss instead (forward still against tfjs);
 *   - DepthwiseConv2D with dilationRate: tfjs's layer ignores the dilation (it passes none to
 *     its op); the forward oracle is tf.depthwiseConv2d with the dilations, plus the bias;
 *   - SeparableConv2D with channelsFirst: tfjs's layer adds the bias on the wrong axis (pinned
 *     by the last test); the oracle is its channelsLast layer between two transposes;
 *   - Conv2DTranspose with outputPadding or dilation: tfjs's layer has neither; covered by the
 *     op's own tests and by computeOutputShape in test/conv-semantics.test.ts.
 */

before(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic values in [-1, 1) for a shape. */
function values(shape: readonly number[], seed: number): number[] {
  return Array.from(
    lcg(
      shape.reduce((a, b) => a * b, 1),
      seed,
      -1,
      1,
    ),
  );
}

/** The tfjs side of a case: a forward function over its own variables. */
interface TfSide {
  apply(x: tf.Tensor): tf.Tensor;
  vars: tf.Variable[];
}

/** A tfjs layer built on `x` and given `weights`. */
function tfLayer(layer: tf.layers.Layer, x: tf.Tensor, weights: sn.Tensor[]): TfSide {
  layer.apply(x);
  layer.setWeights(weights.map((w) => tf.tensor(Array.from(w.dataSync()), [...w.shape])));
  return {
    apply: (input) => layer.apply(input) as tf.Tensor,
    vars: layer.trainableWeights.map((w) => w.read() as tf.Variable),
  };
}

type Extra = { dtype?: 'float32' | 'float64' };

interface Case {
  name: string;
  inputShape: number[];
  /** The layer; its weight regularizers are the penalties the gradient case compares. */
  sinew: (extra: Extra) => sn.Layer;
  /** tfjs cannot differentiate dilated convolutions: float64 finite differences instead. */
  finiteDifferences?: boolean;
  tfjs: (x: tf.Tensor, weights: sn.Tensor[]) => TfSide;
  /** The same weight penalties written out on the tfjs variables. */
  penalty: (vars: tf.Variable[]) => tf.Tensor;
}

const R = sn.regularizers;
const l2 = (c: number, v: tf.Tensor) => tf.mul(c, tf.sum(tf.square(v)));
const l1 = (c: number, v: tf.Tensor) => tf.mul(c, tf.sum(tf.abs(v)));

const CASES: Case[] = [
  {
    name: 'conv1d same, dilation 2, tanh',
    finiteDifferences: true,
    inputShape: [4, 9, 2],
    sinew: (o) =>
      sn.layers.conv1d({
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        dilationRate: 2,
        activation: 'tanh',
        kernelRegularizer: R.l2(0.01),
        biasRegularizer: R.l1(0.02),
        ...o,
      }),
    tfjs: (x, w) =>
      tfLayer(
        tf.layers.conv1d({
          filters: 3,
          kernelSize: 3,
          padding: 'same',
          dilationRate: 2,
          activation: 'tanh',
        }),
        x,
        w,
      ),
    penalty: ([k, b]) => tf.add(l2(0.01, k!), l1(0.02, b!)),
  },
  {
    name: 'conv1d valid, stride 2, relu',
    inputShape: [3, 10, 3],
    sinew: (o) =>
      sn.layers.conv1d({
        filters: 2,
        kernelSize: 4,
        strides: 2,
        activation: 'relu',
        kernelRegularizer: R.l1(0.01),
        ...o,
      }),
    tfjs: (x, w) =>
      tfLayer(
        tf.layers.conv1d({ filters: 2, kernelSize: 4, strides: 2, activation: 'relu' }),
        x,
        w,
      ),
    penalty: ([k]) => l1(0.01, k!),
  },
  {
    name: 'conv2d same, strides [2, 1], kernel [3, 2], relu',
    inputShape: [4, 7, 6, 3],
    sinew: (o) =>
      sn.layers.conv2d({
        filters: 4,
        kernelSize: [3, 2],
        strides: [2, 1],
        padding: 'same',
        activation: 'relu',
        kernelRegularizer: R.l2(0.01),
        ...o,
      }),
    tfjs: (x, w) =>
      tfLayer(
        tf.layers.conv2d({
          filters: 4,
          kernelSize: [3, 2],
          strides: [2, 1],
          padding: 'same',
          activation: 'relu',
        }),
        x,
        w,
      ),
    penalty: ([k]) => l2(0.01, k!),
  },
  {
    name: 'conv2d channelsFirst, dilation 2, valid, sigmoid',
    finiteDifferences: true,
    inputShape: [3, 2, 8, 7],
    sinew: (o) =>
      sn.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        dilationRate: 2,
        dataFormat: 'channelsFirst',
        activation: 'sigmoid',
        kernelRegularizer: R.l1l2({ l1: 0.01, l2: 0.02 }),
        ...o,
      }),
    tfjs: (x, w) =>
      tfLayer(
        tf.layers.conv2d({
          filters: 3,
          kernelSize: 3,
          dilationRate: 2,
          dataFormat: 'channelsFirst',
          activation: 'sigmoid',
        }),
        x,
        w,
      ),
    penalty: ([k]) => tf.add(l1(0.01, k!), l2(0.02, k!)),
  },
  {
    name: 'conv2dTranspose same, stride 2',
    inputShape: [4, 3, 4, 3],
    sinew: (o) =>
      sn.layers.conv2dTranspose({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        kernelRegularizer: R.l2(0.01),
        ...o,
      }),
    tfjs: (x, w) =>
      tfLayer(
        tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
        x,
        w,
      ),
    penalty: ([k]) => l2(0.01, k!),
  },
  {
    name: 'conv2dTranspose valid, strides [2, 3], kernel [2, 4], tanh',
    inputShape: [2, 3, 3, 2],
    sinew: (o) =>
      sn.layers.conv2dTranspose({
        filters: 3,
        kernelSize: [2, 4],
        strides: [2, 3],
        activation: 'tanh',
        kernelRegularizer: R.l1(0.01),
        ...o,
      }),
    tfjs: (x, w) =>
      tfLayer(
        tf.layers.conv2dTranspose({
          filters: 3,
          kernelSize: [2, 4],
          strides: [2, 3],
          activation: 'tanh',
        }),
        x,
        w,
      ),
    penalty: ([k]) => l1(0.01, k!),
  },
  {
    name: 'depthwiseConv2d same, stride 2, multiplier 2',
    inputShape: [4, 6, 5, 3],
    sinew: (o) =>
      sn.layers.depthwiseConv2d({
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        depthMultiplier: 2,
        activation: 'relu',
        depthwiseRegularizer: R.l2(0.01),
        ...o,
      }),
    tfjs: (x, w) =>
      tfLayer(
        tf.layers.depthwiseConv2d({
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          depthMultiplier: 2,
          activation: 'relu',
        }),
        x,
        w,
      ),
    penalty: ([k]) => l2(0.01, k!),
  },
  {
    name: 'depthwiseConv2d dilation [2, 1] (oracle: tf.depthwiseConv2d; the tfjs layer drops dilation)',
    finiteDifferences: true,
    inputShape: [3, 7, 6, 2],
    sinew: (o) =>
      sn.layers.depthwiseConv2d({
        kernelSize: [2, 3],
        dilationRate: [2, 1],
        depthMultiplier: 3,
        depthwiseRegularizer: R.l1(0.01),
        ...o,
      }),
    tfjs: (_x, w) => {
      const vars = w.map((t) => tf.variable(tf.tensor(Array.from(t.dataSync()), [...t.shape])));
      return {
        apply: (x) =>
          tf.add(
            tf.depthwiseConv2d(
              x as tf.Tensor4D,
              vars[0] as tf.Tensor4D,
              1,
              'valid',
              'NHWC',
              [2, 1],
            ),
            vars[1]!,
          ),
        vars,
      };
    },
    penalty: ([k]) => l1(0.01, k!),
  },
  {
    name: 'separableConv2d valid, dilation 2, multiplier 2, elu',
    finiteDifferences: true,
    inputShape: [3, 8, 7, 3],
    sinew: (o) =>
      sn.layers.separableConv2d({
        filters: 4,
        kernelSize: 3,
        dilationRate: 2,
        depthMultiplier: 2,
        activation: 'elu',
        depthwiseRegularizer: R.l2(0.01),
        pointwiseRegularizer: R.l1(0.02),
        biasRegularizer: R.l2(0.05),
        ...o,
      }),
    tfjs: (x, w) =>
      tfLayer(
        tf.layers.separableConv2d({
          filters: 4,
          kernelSize: 3,
          dilationRate: 2,
          depthMultiplier: 2,
          activation: 'elu',
        }),
        x,
        w,
      ),
    penalty: ([d, p, b]) => tf.addN([l2(0.01, d!), l1(0.02, p!), l2(0.05, b!)]),
  },
  {
    name: 'separableConv2d same, stride 2, channelsFirst',
    inputShape: [2, 2, 6, 6],
    sinew: (o) =>
      sn.layers.separableConv2d({
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        dataFormat: 'channelsFirst',
        pointwiseRegularizer: R.l2(0.03),
        ...o,
      }),
    // tfjs's layer adds the bias along axis 1 of its channels-last intermediate (a tfjs bug,
    // shown below); the oracle is its channelsLast layer between two transposes.
    tfjs: (x, w) => {
      const side = tfLayer(
        tf.layers.separableConv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
        tf.transpose(x, [0, 2, 3, 1]),
        w,
      );
      return {
        apply: (input) => tf.transpose(side.apply(tf.transpose(input, [0, 2, 3, 1])), [0, 3, 1, 2]),
        vars: side.vars,
      };
    },
    penalty: ([, p]) => l2(0.03, p!),
  },
];

/** A sinew layer built on the case's input with seeded weights, the tfjs side with the same. */
function pair(
  c: Case,
  seed: number,
  extra: Extra = {},
): { ours: sn.Layer; theirs: TfSide; x: number[] } {
  sn.setSeed(seed);
  const ours = c.sinew(extra);
  const x = values(c.inputShape, seed);
  ours.apply(sn.tensor(x, c.inputShape));
  // Non-zero biases, so a bias added on the wrong axis shows.
  const weights = ours.getWeights().map((w, i) =>
    w.shape.length === 1
      ? sn.tensor(
          values(w.shape, seed + 10 + i).map((v) => v / 2),
          undefined,
          w.dtype,
        )
      : w,
  );
  ours.setWeights(weights);
  const theirs = c.tfjs(tf.tensor(x, c.inputShape), weights);
  return { ours, theirs, x };
}

test('forward: every conv layer matches tfjs within 1e-5', async (t) => {
  for (const [i, c] of CASES.entries()) {
    await t.test(c.name, () => {
      const { ours, theirs, x } = pair(c, 100 + i);
      const y = ours.apply(sn.tensor(x, c.inputShape));
      const ty = theirs.apply(tf.tensor(x, c.inputShape));
      assert.deepEqual(y.shape, ty.shape, 'output shape');
      assert.deepEqual(
        ours.computeOutputShape([null, ...c.inputShape.slice(1)]),
        [null, ...ty.shape.slice(1)],
        'computeOutputShape',
      );
      assertNear(y.dataSync(), ty.dataSync(), 'output');
    });
  }
});

/**
 * Central finite differences of `loss` with respect to every element of every weight of
 * `layer` (float64), moving one element at a time.
 */
function finiteDifferences(layer: sn.Layer, loss: () => sn.Tensor, eps = 1e-6): number[][] {
  return layer.weights.map((w) => {
    const base = Float64Array.from(w.dataSync());
    return Array.from(base, (_, j) => {
      const at = (delta: number): number => {
        const moved = base.slice();
        moved[j] = base[j]! + delta;
        w.assign(sn.tensor(moved, [...w.shape], 'float64'));
        return loss().item();
      };
      const g = (at(eps) - at(-eps)) / (2 * eps);
      w.assign(sn.tensor(base, [...w.shape], 'float64'));
      return g;
    });
  });
}

test('gradients of output · r + weight penalties + activity penalty / batch match tfjs', async (t) => {
  const activity = 0.01; // l1 on the output
  for (const [i, c] of CASES.entries()) {
    const oracle = c.finiteDifferences ? 'float64 finite differences' : 'tfjs';
    await t.test(`${c.name} (oracle: ${oracle})`, () => {
      const dtype = c.finiteDifferences ? 'float64' : 'float32';
      const { ours, theirs, x } = pair(c, 200 + i, c.finiteDifferences ? { dtype } : {});
      ours.activityRegularizer = R.l1(activity);
      const xs = sn.tensor(x, c.inputShape, dtype);
      const outShape = ours.apply(xs).shape;
      const r = sn.tensor(values(outShape, 300 + i), outShape, dtype);
      const batch = c.inputShape[0]!;
      const loss = (): sn.Tensor => {
        const y = ours.apply(xs);
        assert.equal(
          ours.losses.length,
          ours.weights.filter((w) => w.regularizer !== undefined).length + 1,
          'a penalty per penalised weight + activity',
        );
        return ours.losses.reduce((a, b) => sn.add(a, b), sn.sum(sn.mul(y, r)));
      };
      const { value, grads } = sn.valueAndGrads(loss, ours.weights);
      if (c.finiteDifferences) {
        const numeric = finiteDifferences(ours, loss);
        ours.weights.forEach((w, j) => {
          const got = grads.get(w).dataSync();
          numeric[j]!.forEach((n, k) =>
            assert.ok(
              Math.abs(got[k]! - n) <= 1e-6 + 1e-5 * Math.abs(n),
              `d loss / d ${w.name}[${k}]: autodiff ${got[k]}, finite differences ${n}`,
            ),
          );
        });
        return;
      }
      const txs = tf.tensor(x, c.inputShape);
      const tr = tf.tensor(Array.from(r.dataSync()), [...outShape]);
      const expected = tf.variableGrads(() => {
        const y = theirs.apply(txs);
        const act = tf.div(l1(activity, y), batch);
        return tf.addN([tf.sum(tf.mul(y, tr)), c.penalty(theirs.vars), act]) as tf.Scalar;
      }, theirs.vars);
      assertNear([value.item()], [expected.value.dataSync()[0]!], 'loss');
      ours.weights.forEach((w, j) => {
        const g = expected.grads[theirs.vars[j]!.name]!;
        assertNear(grads.get(w).dataSync(), g.dataSync(), `d loss / d ${w.name}`);
      });
    });
  }
});

test("tfjs's SeparableConv2D with channelsFirst adds its bias on the wrong axis (why the oracle above transposes)", () => {
  const x = tf.tensor(values([1, 2, 3, 3], 7), [1, 2, 3, 3]);
  const layer = tf.layers.separableConv2d({
    filters: 3,
    kernelSize: 1,
    dataFormat: 'channelsFirst',
    biasInitializer: 'zeros',
  });
  const plain = layer.apply(x) as tf.Tensor;
  const [d, p] = layer.getWeights();
  layer.setWeights([d!, p!, tf.tensor([1, 2, 3])]);
  const biased = layer.apply(x) as tf.Tensor;
  // Keras adds bias[c] to every pixel of output channel c (axis 1 here); tfjs adds it along height.
  const diff = tf.sub(biased, plain).arraySync() as number[][][][];
  assert.deepEqual(
    diff[0]!.map((channel) => Math.round(channel[0]![0]! * 1e5) / 1e5),
    [1, 1, 1],
    'tfjs: channel c gets bias[row], not bias[c]',
  );
  const ours = sn.layers.separableConv2d({
    filters: 3,
    kernelSize: 1,
    dataFormat: 'channelsFirst',
  });
  const sx = sn.tensor(x.dataSync() as Float32Array, [1, 2, 3, 3]);
  const y0 = ours.apply(sx);
  const [sd, sp] = ours.getWeights();
  ours.setWeights([sd!, sp!, sn.tensor([1, 2, 3])]);
  const sdiff = sn.sub(ours.apply(sx), y0).arraySync() as number[][][][];
  assert.deepEqual(
    sdiff[0]!.map((channel) => channel.flat().map((v) => Math.round(v * 1e5) / 1e5)),
    [1, 2, 3].map((b) => new Array(9).fill(b)),
    'sinew: channel c gets bias[c] everywhere',
  );
});

test("tfjs's cpu gradient of UpSampling2D mixes up the digits of a batch (why the conv bench's tfjs peer upsamples by stack + reshape)", () => {
  const [b, h, w, c] = [3, 2, 3, 2];
  const r = values([b, 2 * h, 2 * w, c], 11);
  // Hand oracle: d Σ(up(x)·r) / dx[n, i, j, k] is the sum of r over the 2×2 block x[n, i, j, k] fills.
  const want: number[] = [];
  for (let n = 0; n < b; n++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let k = 0; k < c; k++) {
          let s = 0;
          for (const [di, dj] of [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ] as const)
            s += r[((n * 2 * h + 2 * i + di) * 2 * w + 2 * j + dj) * c + k]!;
          want.push(s);
        }
  const x = values([b, h, w, c], 12);
  const up = sn.layers.upSampling2d({ size: 2 });
  const ours = sn.grad((t) => sn.sum(sn.mul(up.apply(t), sn.tensor(r, [b, 2 * h, 2 * w, c]))));
  assertNear(ours(sn.tensor(x, [b, h, w, c])).dataSync(), want, 'sinew upSampling2d gradient');

  const tr = tf.tensor4d(r, [b, 2 * h, 2 * w, c]);
  const doubled = (t: tf.Tensor): tf.Tensor => {
    const wide = tf.reshape(tf.stack([t, t], 3), [b, h, 2 * w, c]);
    return tf.reshape(tf.stack([wide, wide], 2), [b, 2 * h, 2 * w, c]);
  };
  const tx = tf.tensor4d(x, [b, h, w, c]);
  const composed = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(doubled(t), tr)))(tx);
  assertNear(composed.dataSync(), want, 'tfjs stack + reshape gradient');
  const layer = tf.layers.upSampling2d({ size: [2, 2] });
  const theirs = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, tr)))(tx);
  const got = theirs.dataSync();
  const digit = h * w * c;
  // The first digit is right; the others read dy at the input's batch stride, not dy's.
  assertNear(got.slice(0, digit), want.slice(0, digit), 'tfjs layer gradient, digit 0');
  const off = want.slice(digit).some((v, i) => Math.abs(v - got[digit + i]!) > 1e-3);
  assert.ok(off, 'tfjs: the UpSampling2D gradient of digits 1 and 2 is not the block sum');
});
