import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../src/index.js';
import { lcg } from './helpers.js';

/**
 * Merge, padding and cropping layers against TensorFlow.js 4.22 (cpu backend): forward values
 * on odd shapes within 1e-5, and a small functional model (add + concatenate + dense) whose
 * loss carries a kernel and an activity penalty: its gradients, then 20 SGD steps.
 *
 * TensorFlow.js has no Subtract, ZeroPadding1D or Cropping1D layer: those are compared with
 * tf.sub, tf.pad and tf.slice. TensorFlow.js refuses to call a layer that has an activity
 * regularizer, so on its side the activity penalty is written out (l1 · Σ|y| / batch, Keras's
 * batch-mean reduction) on the add layer's output, which the tfjs model exposes as a second
 * output; the kernel penalty is written out the same way.
 */

const TOL = 1e-5;

before(async () => {
  await tf.setBackend('cpu');
});

/** A pair of tensors with the same values, from the seeded generator. */
function pair(shape: number[], seed: number): [sn.Tensor, tf.Tensor] {
  const values = lcg(
    shape.reduce((a, b) => a * b, 1),
    seed,
    -2,
    2,
  );
  return [sn.tensor(values, shape), tf.tensor(values, shape)];
}

function assertNear(ours: sn.Tensor, theirs: tf.Tensor, what: string): void {
  assert.deepEqual(ours.shape, theirs.shape, `${what}: shape`);
  const a = ours.dataSync();
  const b = theirs.dataSync();
  for (let i = 0; i < b.length; i++) {
    assert.ok(
      Math.abs(a[i]! - b[i]!) <= TOL * Math.max(1, Math.abs(b[i]!)),
      `${what}: element ${i}: sinew ${a[i]}, tfjs ${b[i]}`,
    );
  }
}

/** Applies both layers to the same inputs (one pair per shape) and compares. */
function compare(
  ours: sn.Layer,
  theirs: tf.layers.Layer,
  shapes: number[][],
  what: string,
  seed = 1,
): void {
  const inputs = shapes.map((s, i) => pair(s, seed + i));
  const single = shapes.length === 1;
  const y = ours.apply(single ? inputs[0]![0] : inputs.map(([a]) => a)) as sn.Tensor;
  const t = theirs.apply(single ? inputs[0]![1] : inputs.map(([, b]) => b)) as tf.Tensor;
  assertNear(y, t, what);
}

test('elementwise merges: same values as tfjs, three inputs, broadcasting and a lower rank', () => {
  const layers: [string, () => sn.Layer, () => tf.layers.Layer][] = [
    ['add', () => sn.layers.add(), () => tf.layers.add({})],
    ['multiply', () => sn.layers.multiply(), () => tf.layers.multiply({})],
    ['average', () => sn.layers.average(), () => tf.layers.average({})],
    ['maximum', () => sn.layers.maximum(), () => tf.layers.maximum({})],
    ['minimum', () => sn.layers.minimum(), () => tf.layers.minimum({})],
  ];
  const cases = [
    [
      [3, 5, 7],
      [3, 5, 7],
      [3, 5, 7],
    ],
    [
      [3, 1, 7],
      [3, 5, 1],
    ],
    [
      [3, 7],
      [3, 5, 7],
    ],
  ];
  for (const [name, ours, theirs] of layers) {
    for (const shapes of cases)
      compare(ours(), theirs(), shapes, `${name} ${JSON.stringify(shapes)}`);
  }
  // subtract: tfjs has no layer; tf.sub is the oracle.
  const [a, ta] = pair([3, 5, 7], 3);
  const [b, tb] = pair([3, 1, 7], 4);
  assertNear(sn.layers.subtract().apply([a, b]), tf.sub(ta, tb), 'subtract');
});

test('concatenate: same values as tfjs along the last, a middle and a negative axis', () => {
  compare(
    sn.layers.concatenate(),
    tf.layers.concatenate({}),
    [
      [3, 2, 5],
      [3, 2, 3],
      [3, 2, 1],
    ],
    'axis -1',
  );
  compare(
    sn.layers.concatenate({ axis: 1 }),
    tf.layers.concatenate({ axis: 1 }),
    [
      [3, 2, 5],
      [3, 4, 5],
    ],
    'axis 1',
  );
  // tfjs's concatenate reads every negative axis as the last, so its oracle gets axis 2.
  compare(
    sn.layers.concatenate({ axis: -2 }),
    tf.layers.concatenate({ axis: 2 }),
    [
      [2, 3, 1, 4],
      [2, 3, 6, 4],
    ],
    'axis -2',
  );
});

test('dot: same values as tfjs, ranks 2 and 3, with and without normalize', () => {
  const cases: [number | [number, number], number[][]][] = [
    [
      -1,
      [
        [3, 7],
        [3, 7],
      ],
    ],
    [
      1,
      [
        [3, 7],
        [3, 7],
      ],
    ],
    [
      [2, 1],
      [
        [3, 5, 7],
        [3, 7, 4],
      ],
    ],
    [
      [1, 1],
      [
        [3, 5, 7],
        [3, 5, 2],
      ],
    ],
    [
      [2, 2],
      [
        [3, 5, 7],
        [3, 4, 7],
      ],
    ],
    [
      [1, 2],
      [
        [3, 5],
        [3, 4, 5],
      ],
    ],
  ];
  for (const [axes, shapes] of cases) {
    for (const normalize of [false, true]) {
      compare(
        sn.layers.dot({ axes, normalize }),
        tf.layers.dot({ axes, normalize }),
        shapes,
        `dot axes ${JSON.stringify(axes)} normalize ${normalize}`,
      );
    }
  }
});

test('zeroPadding2d and cropping2d: same values as tfjs in both data formats', () => {
  for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
    const shape = dataFormat === 'channelsLast' ? [2, 5, 3, 3] : [2, 3, 5, 3];
    const padding: [[number, number], [number, number]] = [
      [1, 2],
      [0, 3],
    ];
    compare(
      sn.layers.zeroPadding2d({ padding, dataFormat }),
      tf.layers.zeroPadding2d({ padding, dataFormat }),
      [shape],
      `zeroPadding2d ${dataFormat}`,
    );
    compare(
      sn.layers.zeroPadding2d({ padding: [2, 1], dataFormat }),
      tf.layers.zeroPadding2d({ padding: [2, 1], dataFormat }),
      [shape],
      `zeroPadding2d [2, 1] ${dataFormat}`,
    );
    const cropping: [[number, number], [number, number]] = [
      [1, 2],
      [0, 1],
    ];
    compare(
      sn.layers.cropping2d({ cropping, dataFormat }),
      tf.layers.cropping2D({ cropping, dataFormat }),
      [shape],
      `cropping2d ${dataFormat}`,
    );
  }
});

test('zeroPadding1d and cropping1d: same values as tf.pad and tf.slice (tfjs has no such layers)', () => {
  const [x, tx] = pair([3, 5, 7], 9);
  assertNear(
    sn.layers.zeroPadding1d({ padding: [2, 1] }).apply(x),
    tf.pad(tx, [
      [0, 0],
      [2, 1],
      [0, 0],
    ]),
    'zeroPadding1d',
  );
  assertNear(
    sn.layers.cropping1d({ cropping: [1, 3] }).apply(x),
    tf.slice(tx, [0, 1, 0], [3, 1, 7]),
    'cropping1d',
  );
});

// ---------------------------------------------------------------------------------------------
// A functional model with add + concatenate + dense, a kernel and an activity penalty.

const N = 6;
const KERNEL_L2 = 0.02;
const ACTIVITY_L1 = 0.05;

function sinewModel(): sn.Model {
  sn.setSeed(11);
  const a = sn.input({ shape: [4], name: 'a' });
  const b = sn.input({ shape: [3], name: 'b' });
  const ha = sn.layers.dense({ units: 5, activation: 'tanh', name: 'ha' }).apply(a);
  const hb = sn.layers.dense({ units: 5, activation: 'relu', name: 'hb' }).apply(b);
  const sum = sn.layers
    .add({ name: 'sum', activityRegularizer: sn.regularizers.l1(ACTIVITY_L1) })
    .apply([ha, hb]);
  const joined = sn.layers.concatenate({ name: 'joined' }).apply([sum, a, hb]);
  const out = sn.layers
    .dense({ units: 2, name: 'out', kernelRegularizer: sn.regularizers.l2(KERNEL_L2) })
    .apply(joined);
  return sn.model({ inputs: [a, b], outputs: out });
}

/** The same model in tfjs, with the add layer's output as a second output, same weights. */
function tfjsModel(ours: sn.Model): tf.LayersModel {
  const a = tf.input({ shape: [4] });
  const b = tf.input({ shape: [3] });
  const ha = tf.layers.dense({ units: 5, activation: 'tanh', name: 'ha' });
  const hb = tf.layers.dense({ units: 5, activation: 'relu', name: 'hb' });
  const out = tf.layers.dense({ units: 2, name: 'out' });
  const hbOut = hb.apply(b) as tf.SymbolicTensor;
  const sum = tf.layers
    .add({})
    .apply([ha.apply(a) as tf.SymbolicTensor, hbOut]) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({}).apply([sum, a, hbOut]) as tf.SymbolicTensor;
  const model = tf.model({
    inputs: [a, b],
    outputs: [out.apply(joined) as tf.SymbolicTensor, sum],
  });
  for (const layer of [ha, hb, out]) {
    const source = ours.layers.find((l) => l.name === layer.name)!;
    layer.setWeights(source.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  }
  return model;
}

const data = {
  a: pair([N, 4], 21),
  b: pair([N, 3], 22),
  y: pair([N, 2], 23),
};

/** tfjs: mse + l2·Σ kernel² (the out layer) + l1·Σ|sum| / N, written out. */
function tfjsLoss(model: tf.LayersModel): tf.Scalar {
  const [pred, sum] = model.apply([data.a[1], data.b[1]], { training: true }) as tf.Tensor[];
  const mse = tf.mean(tf.square(tf.sub(pred!, data.y[1])));
  const kernel = model.getLayer('out').getWeights()[0]!;
  const kernelPenalty = tf.mul(KERNEL_L2, tf.sum(tf.square(kernel)));
  const activity = tf.div(tf.mul(ACTIVITY_L1, tf.sum(tf.abs(sum!))), N);
  return tf.addN([mse, kernelPenalty, activity]) as tf.Scalar;
}

/** The tfjs model's trainable variables in the order of the sinew model's trainable weights. */
function tfjsVariables(model: tf.LayersModel, ours: sn.Model): tf.Variable[] {
  return ours.trainableWeights.map((w) => {
    const [layer, short] = w.name.split('/') as [string, string];
    const v = model.getLayer(layer).trainableWeights.find((t) => t.originalName.endsWith(short));
    assert.ok(v, `tfjs weight for ${w.name}`);
    return v.read() as tf.Variable;
  });
}

test('add + concatenate + dense: the gradients of a loss with a kernel and an activity penalty match tfjs', () => {
  const ours = sinewModel();
  const theirs = tfjsModel(ours);
  const weights = ours.trainableWeights;
  const { value, grads } = sn.valueAndGrads(() => {
    const pred = ours.apply([data.a[0], data.b[0]]) as sn.Tensor;
    const mse = sn.mean(sn.square(sn.sub(pred, data.y[0])));
    return sn.addN([mse, ...ours.losses]);
  }, weights);
  // Both penalties are there: the kernel's and the add layer's activity.
  assert.deepEqual(
    ours.lossTerms().map((t) => t.name),
    ['sum/activity', 'out/kernel'],
  );
  const variables = tfjsVariables(theirs, ours);
  const t = tf.variableGrads(() => tfjsLoss(theirs), variables);
  assertNear(value, t.value, 'loss');
  weights.forEach((w, i) =>
    assertNear(grads.get(w), t.grads[variables[i]!.name]!, `d loss / d ${w.name}`),
  );
});

test('add + concatenate + dense: 20 SGD steps give the same losses and weights as tfjs', async () => {
  const ours = sinewModel();
  const theirs = tfjsModel(ours);
  const initial = ours.getWeights().map((w) => Array.from(w.dataSync()));
  ours.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  const history = await ours.fit([data.a[0], data.b[0]], data.y[0], {
    epochs: 20,
    batchSize: N,
    shuffle: false,
    verbose: 0,
  });
  const variables = tfjsVariables(theirs, ours);
  const optimizer = tf.train.sgd(0.1);
  const losses: number[] = [];
  for (let step = 0; step < 20; step++) {
    const cost = optimizer.minimize(() => tfjsLoss(theirs), true, variables)!;
    losses.push(cost.dataSync()[0]!);
  }
  const ourLosses = history.history.loss!;
  losses.forEach((l, i) =>
    assert.ok(
      Math.abs(ourLosses[i]! - l) <= TOL * Math.max(1, Math.abs(l)),
      `epoch ${i}: sinew loss ${ourLosses[i]}, tfjs ${l}`,
    ),
  );
  ours.trainableWeights.forEach((w, i) => assertNear(w, variables[i]!, `final ${w.name}`));
  const moved = Math.max(
    ...ours
      .getWeights()
      .flatMap((w, i) => Array.from(w.dataSync(), (v, j) => Math.abs(v - initial[i]![j]!))),
  );
  assert.ok(moved > 1e-3, `the weights barely moved (${moved})`);
});
