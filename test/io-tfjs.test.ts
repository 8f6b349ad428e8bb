import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../src/index.js';
import * as io from '../src/io/index.js';
import { tfjsReader, tfjsSave } from './fixtures/tfjs-files.js';

/**
 * Model files across libraries (issue 6): files sinew writes load in TensorFlow.js 4.22
 * (tf.loadLayersModel, cpu backend) and predict the same; files TensorFlow.js writes load in
 * sinew and predict the same, within 1e-6, over a set of architectures.
 *
 * TensorFlow.js without tfjs-node has no file:// handler, so the tfjs side reads and writes
 * the same files through a tiny IOHandler (model.json + weights.bin, as tfjs-node writes them).
 *
 * Deviations that are not about files and are left out of the prediction comparison:
 * hard_sigmoid (Keras 3: relu6(x + 3) / 6, tfjs: clip(0.2x + 0.5)) and leaky_relu (no tfjs
 * activation string). See test/tfjs-parity.test.ts.
 */

const TOL = 1e-6;
const quiet = { onWarning: () => {} };

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sinew-io-'));
}

function data(shape: number[], seed: number): number[] {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 4 - 2;
  });
}

function assertNear(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    assert.ok(
      Math.abs(got[i]! - want[i]!) <= TOL * Math.max(1, Math.abs(want[i]!)),
      `${what}: element ${i}: sinew ${got[i]}, tfjs ${want[i]}`,
    );
  }
}

/** sinew → file → tfjs, and compare predictions on `inputs` (shapes without batch). */
async function sinewToTfjs(model: sn.Model, inputShapes: number[][], what: string): Promise<void> {
  const dir = await tmp();
  try {
    await io.save(model, `file://${dir}`, quiet);
    const tfModel = await tf.loadLayersModel(tfjsReader(dir));
    const xs = inputShapes.map((s, i) => data([3, ...s], 7 + i));
    const ours = model.predict(
      inputShapes.length === 1
        ? sn.tensor(xs[0]!, [3, ...inputShapes[0]!])
        : xs.map((x, i) => sn.tensor(x, [3, ...inputShapes[i]!])),
    );
    const theirs = tfModel.predict(
      inputShapes.length === 1
        ? tf.tensor(xs[0]!, [3, ...inputShapes[0]!])
        : xs.map((x, i) => tf.tensor(x, [3, ...inputShapes[i]!])),
    );
    const a = Array.isArray(ours) ? ours : [ours];
    const b = Array.isArray(theirs) ? theirs : [theirs];
    assert.equal(a.length, b.length);
    a.forEach((t, i) => {
      assert.deepEqual(t.shape, b[i]!.shape, `${what}: output ${i} shape`);
      assertNear(t.dataSync(), b[i]!.dataSync(), `${what} (sinew → tfjs) output ${i}`);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** tfjs → file → sinew, and compare predictions. */
async function tfjsToSinew(
  model: tf.LayersModel,
  inputShapes: number[][],
  what: string,
): Promise<sn.Model> {
  const dir = await tmp();
  try {
    await tfjsSave(model, dir);
    const ours = await io.load(dir);
    const xs = inputShapes.map((s, i) => data([3, ...s], 11 + i));
    const p = ours.predict(
      inputShapes.length === 1
        ? sn.tensor(xs[0]!, [3, ...inputShapes[0]!])
        : xs.map((x, i) => sn.tensor(x, [3, ...inputShapes[i]!])),
    );
    const q = model.predict(
      inputShapes.length === 1
        ? tf.tensor(xs[0]!, [3, ...inputShapes[0]!])
        : xs.map((x, i) => tf.tensor(x, [3, ...inputShapes[i]!])),
    );
    const a = Array.isArray(p) ? p : [p];
    const b = Array.isArray(q) ? q : [q];
    assert.equal(a.length, b.length);
    a.forEach((t, i) =>
      assertNear(t.dataSync(), b[i]!.dataSync(), `${what} (tfjs → sinew) output ${i}`),
    );
    return ours;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
  'gelu',
] as const;

test('dense stacks with every shared activation, both directions', async () => {
  for (const activation of ACTIVATIONS) {
    sn.setSeed(1);
    const m = sn.sequential({
      layers: [
        sn.layers.dense({ units: 5, activation, inputShape: [4] }),
        sn.layers.dense({ units: 3, activation }),
      ],
    });
    await sinewToTfjs(m, [[4]], activation);
    const t = tf.sequential({
      layers: [
        tf.layers.dense({
          units: 5,
          activation: activation === 'swish' ? 'swish' : (activation as 'relu'),
          inputShape: [4],
        }),
        tf.layers.dense({ units: 3, activation: activation as 'relu' }),
      ],
    });
    await tfjsToSinew(t, [[4]], activation);
  }
});

test('dropout, batchNormalization (with moving statistics), flatten and reshape, both directions', async () => {
  sn.setSeed(2);
  const bn = sn.layers.batchNormalization();
  const m = sn.sequential({
    layers: [
      sn.layers.reshape({ targetShape: [3, 4], inputShape: [12] }),
      sn.layers.flatten(),
      sn.layers.dense({ units: 6, activation: 'tanh' }),
      sn.layers.dropout({ rate: 0.3 }),
      bn,
      sn.layers.dense({ units: 2 }),
    ],
  });
  // Non-trivial gamma, beta, moving mean and variance.
  bn.setWeights([
    sn.tensor([1.5, 0.5, 2, 1, 0.7, 1.2]),
    sn.tensor([0.1, -0.2, 0.3, 0, 0.5, -0.5]),
    sn.tensor([0.2, -0.1, 0.05, 0.3, -0.4, 0]),
    sn.tensor([0.5, 2, 1.5, 0.8, 1, 3]),
  ]);
  await sinewToTfjs(m, [[12]], 'bn stack');

  const tbn = tf.layers.batchNormalization();
  const t = tf.sequential({
    layers: [
      tf.layers.reshape({ targetShape: [3, 4], inputShape: [12] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 6, activation: 'tanh' }),
      tf.layers.dropout({ rate: 0.3 }),
      tbn,
      tf.layers.dense({ units: 2 }),
    ],
  });
  tbn.setWeights([
    tf.tensor([1.5, 0.5, 2, 1, 0.7, 1.2]),
    tf.tensor([0.1, -0.2, 0.3, 0, 0.5, -0.5]),
    tf.tensor([0.2, -0.1, 0.05, 0.3, -0.4, 0]),
    tf.tensor([0.5, 2, 1.5, 0.8, 1, 3]),
  ]);
  const ours = await tfjsToSinew(t, [[12]], 'bn stack');
  assert.deepEqual(
    ours.layers.map((l) => l.className),
    ['Reshape', 'Flatten', 'Dense', 'Dropout', 'BatchNormalization', 'Dense'],
  );
});

test('functional model with two inputs and two outputs, both directions', async () => {
  sn.setSeed(3);
  const a = sn.input({ shape: [4], name: 'a' });
  const b = sn.input({ shape: [2, 3], name: 'b' });
  const shared = sn.layers.dense({ units: 3, activation: 'relu', name: 'shared' });
  const o1 = sn.layers.dense({ units: 2, name: 'o1' }).apply(shared.apply(a));
  const fb = sn.layers.dense({ units: 3, name: 'fb' }).apply(sn.layers.flatten().apply(b));
  const o2 = sn.layers.dense({ units: 1, activation: 'sigmoid', name: 'o2' }).apply(fb);
  const m = sn.model({ inputs: [a, b], outputs: [o1, o2] });
  await sinewToTfjs(m, [[4], [2, 3]], 'two in, two out');

  const ta = tf.input({ shape: [4], name: 'a' });
  const tb = tf.input({ shape: [2, 3], name: 'b' });
  const tshared = tf.layers.dense({ units: 3, activation: 'relu', name: 'tshared' });
  const t1 = tf.layers
    .dense({ units: 2, name: 't1' })
    .apply(tshared.apply(ta)) as tf.SymbolicTensor;
  const t2 = tf.layers
    .dense({ units: 1, activation: 'sigmoid', name: 't2' })
    .apply(tf.layers.dense({ units: 3 }).apply(tf.layers.flatten().apply(tb))) as tf.SymbolicTensor;
  const t = tf.model({ inputs: [ta, tb], outputs: [t1, t2] });
  const ours = await tfjsToSinew(t, [[4], [2, 3]], 'two in, two out');
  assert.deepEqual(ours.outputNames, ['t1', 't2']);
});

test('a nested model (a sequential inside a functional model), both directions', async () => {
  sn.setSeed(4);
  const inner = sn.sequential({
    name: 'inner',
    layers: [
      sn.layers.dense({ units: 3, activation: 'tanh', inputShape: [4] }),
      sn.layers.dense({ units: 3 }),
    ],
  });
  const x = sn.input({ shape: [4] });
  const y = sn.layers.dense({ units: 2, name: 'head' }).apply(inner.apply(x));
  await sinewToTfjs(sn.model({ inputs: x, outputs: y }), [[4]], 'nested');

  const tinner = tf.sequential({
    name: 'tinner',
    layers: [
      tf.layers.dense({ units: 3, activation: 'tanh', inputShape: [4] }),
      tf.layers.dense({ units: 3 }),
    ],
  });
  const tx = tf.input({ shape: [4] });
  const ty = tf.layers.dense({ units: 2 }).apply(tinner.apply(tx)) as tf.SymbolicTensor;
  const ours = await tfjsToSinew(tf.model({ inputs: tx, outputs: ty }), [[4]], 'nested');
  assert.ok(ours.layers.some((l) => l instanceof sn.Sequential || l.className === 'Sequential'));
});

test('regularizers and constraints of every kind tfjs knows, both directions, penalties kept', async () => {
  sn.setSeed(5);
  const R = sn.regularizers;
  const C = sn.constraints;
  const d1 = sn.layers.dense({
    units: 4,
    inputShape: [3],
    kernelRegularizer: R.l1(0.01),
    biasRegularizer: R.l2(0.02),
    kernelConstraint: C.maxNorm({ maxValue: 2 }),
    biasConstraint: C.nonNeg(),
  });
  const d2 = sn.layers.dense({
    units: 2,
    kernelRegularizer: R.l1l2({ l1: 0.003, l2: 0.004 }),
    kernelConstraint: C.unitNorm(),
    biasConstraint: C.minMaxNorm({ minValue: 0.1, maxValue: 0.9 }),
  });
  const m = sn.sequential({ layers: [d1, d2] });
  // TensorFlow.js projects every weight through its constraint when it is set or loaded
  // (LayerVariable.write); Keras and sinew only after an optimizer step. Start from weights
  // that already satisfy the constraints (as after any training step), where the projection
  // changes nothing.
  for (const w of m.weights) if (w.constraint) w.assign(w.constraint.apply(w));
  await sinewToTfjs(m, [[3]], 'regularized');
  // tfjs's read of our file has the same penalties (rule 19: l1 → L1L2{l1, 0}).
  const dir = await tmp();
  await io.save(m, dir, quiet);
  const t = await tf.loadLayersModel(tfjsReader(dir));
  const cfg = t.layers[0]!.getConfig() as Record<
    string,
    { className: string; config: Record<string, number> }
  >;
  assert.deepEqual(cfg.kernelRegularizer, { className: 'L1L2', config: { l1: 0.01, l2: 0 } });
  assert.deepEqual(cfg.biasRegularizer, { className: 'L1L2', config: { l1: 0, l2: 0.02 } });
  assert.equal(cfg.kernelConstraint!.className, 'MaxNorm');
  assert.equal(cfg.biasConstraint!.className, 'NonNeg');
  const cfg2 = t.layers[1]!.getConfig() as Record<string, { className: string }>;
  assert.equal(cfg2.kernelConstraint!.className, 'UnitNorm');
  assert.equal(cfg2.biasConstraint!.className, 'MinMaxNorm');
  // The penalty TensorFlow.js computes from the loaded regularizers equals ours.
  const oursTotal = Object.values(m.regularizationLosses()).reduce((a, b) => a + b, 0);
  const kernel = t.layers[0]!.getWeights()[0]!;
  const bias = t.layers[0]!.getWeights()[1]!;
  const k2 = t.layers[1]!.getWeights()[0]!;
  const theirs =
    0.01 * tf.sum(tf.abs(kernel)).dataSync()[0]! +
    0.02 * tf.sum(tf.square(bias)).dataSync()[0]! +
    0.003 * tf.sum(tf.abs(k2)).dataSync()[0]! +
    0.004 * tf.sum(tf.square(k2)).dataSync()[0]!;
  assert.ok(Math.abs(oursTotal - theirs) < 1e-6, `${oursTotal} vs ${theirs}`);
  await rm(dir, { recursive: true, force: true });

  const t2 = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 4,
        inputShape: [3],
        kernelRegularizer: tf.regularizers.l1({ l1: 0.01 }),
        biasRegularizer: tf.regularizers.l2({ l2: 0.02 }),
        kernelConstraint: tf.constraints.maxNorm({ maxValue: 2 }),
        biasConstraint: tf.constraints.nonNeg(),
      }),
      tf.layers.dense({
        units: 2,
        kernelRegularizer: tf.regularizers.l1l2({ l1: 0.003, l2: 0.004 }),
        kernelConstraint: tf.constraints.unitNorm({}),
        biasConstraint: tf.constraints.minMaxNorm({ minValue: 0.1, maxValue: 0.9 }),
      }),
    ],
  });
  const ours = await tfjsToSinew(t2, [[3]], 'regularized');
  const terms = ours.regularizationLosses();
  const w = t2.getWeights();
  const want: Record<string, number> = {
    [`${t2.layers[0]!.name}/kernel`]: 0.01 * tf.sum(tf.abs(w[0]!)).dataSync()[0]!,
    [`${t2.layers[0]!.name}/bias`]: 0.02 * tf.sum(tf.square(w[1]!)).dataSync()[0]!,
    [`${t2.layers[1]!.name}/kernel`]:
      0.003 * tf.sum(tf.abs(w[2]!)).dataSync()[0]! +
      0.004 * tf.sum(tf.square(w[2]!)).dataSync()[0]!,
  };
  for (const [k, v] of Object.entries(want))
    assert.ok(Math.abs(terms[k]! - v) < 1e-6, `${k}: ${terms[k]} vs ${v}`);
  const l0 = ours.layers[0] as sn.layers.Dense;
  assert.equal(l0.kernelConstraint?.constructor.name, 'MaxNorm');
});

test('tfjs training config and optimizer weights load into a compiled sinew model', async () => {
  const t = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  t.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError', metrics: ['mse'] });
  await t.fit(tf.ones([4, 3]), tf.zeros([4, 2]), { epochs: 3, verbose: 0 });
  const dir = await tmp();
  await tfjsSave(t, dir, true);
  const ours = await io.load(dir);
  assert.ok(ours.compiled);
  const opt = ours.compiled.optimizer as sn.optimizers.Adam;
  assert.equal(opt.constructor.name, 'Adam');
  assert.ok(Math.abs((opt.learningRate as number) - 0.01) < 1e-9);
  assert.equal(opt.iterations, 3);
  assert.equal(ours.compiled.losses[0]!.constructor.name, 'MeanSquaredError');
  await rm(dir, { recursive: true, force: true });
});

test('a sinew model compiled with each loss TF.js knows loads compiled into TF.js', async () => {
  // TF.js compiles a loaded model from its training config: the loss name must be one it has
  // (after camelCasing snake_case), and its evaluate must then give sinew's loss.
  const x = data([6, 3], 5);
  const y = data([6, 2], 6).map((v) => Math.abs(v) + 0.5);
  for (const loss of ['mape', 'msle', 'logcosh', 'poisson', 'mse', 'mae']) {
    const ours = sn.sequential({
      layers: [sn.layers.dense({ units: 2, inputShape: [3], activation: 'softplus' })],
    });
    ours.compile({ optimizer: 'sgd', loss });
    const dir = await tmp();
    await io.save(ours, dir, { ...quiet, includeOptimizer: true });
    const theirs = await tf.loadLayersModel(tfjsReader(dir));
    const expected = ours.evaluate(sn.tensor(x, [6, 3]), sn.tensor(y, [6, 2])).loss!;
    const got = theirs.evaluate(tf.tensor(x, [6, 3]), tf.tensor(y, [6, 2])) as tf.Scalar;
    const value = got.dataSync()[0]!;
    assert.ok(Math.abs(value - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), loss);
    await rm(dir, { recursive: true, force: true });
  }
});

// Merge, padding and cropping layers

test('merge, padding and cropping layers in a functional model, both directions', async () => {
  sn.setSeed(6);
  const L = sn.layers;
  const a = sn.input({ shape: [4], name: 'a' });
  const b = sn.input({ shape: [4], name: 'b' });
  const img = sn.input({ shape: [5, 4, 2], name: 'img' });
  const ha = L.dense({ units: 3, activation: 'tanh', name: 'ha' }).apply(a);
  const hb = L.dense({ units: 3, name: 'hb' }).apply(b);
  const merged = [
    L.add().apply([ha, hb, ha]),
    L.multiply().apply([ha, hb]),
    L.average().apply([ha, hb]),
    L.maximum().apply([ha, hb]),
    L.minimum().apply([ha, hb]),
    L.dot({ axes: 1, normalize: true }).apply([a, b]),
  ];
  const last = L.cropping2d({
    cropping: [
      [1, 0],
      [0, 1],
    ],
  }).apply(
    L.zeroPadding2d({
      padding: [
        [1, 2],
        [0, 1],
      ],
    }).apply(img),
  );
  const first = L.cropping2d({ cropping: [1, 0], dataFormat: 'channelsFirst' }).apply(
    L.zeroPadding2d({ padding: 1, dataFormat: 'channelsFirst' }).apply(img),
  );
  const joined = L.concatenate().apply([
    ...merged,
    L.flatten().apply(last),
    L.flatten().apply(first),
  ]);
  const m = sn.model({
    inputs: [a, b, img],
    outputs: L.dense({ units: 2, name: 'head' }).apply(joined),
  });
  await sinewToTfjs(m, [[4], [4], [5, 4, 2]], 'merge and padding');

  const ta = tf.input({ shape: [4] });
  const tb = tf.input({ shape: [4] });
  const timg = tf.input({ shape: [5, 4, 2] });
  const tha = tf.layers.dense({ units: 3, activation: 'tanh' }).apply(ta) as tf.SymbolicTensor;
  const thb = tf.layers.dense({ units: 3 }).apply(tb) as tf.SymbolicTensor;
  const sym = (layer: tf.layers.Layer, xs: tf.SymbolicTensor | tf.SymbolicTensor[]) =>
    layer.apply(xs) as tf.SymbolicTensor;
  const tmerged = [
    sym(tf.layers.add({}), [tha, thb, tha]),
    sym(tf.layers.multiply({}), [tha, thb]),
    sym(tf.layers.average({}), [tha, thb]),
    sym(tf.layers.maximum({}), [tha, thb]),
    sym(tf.layers.minimum({}), [tha, thb]),
    sym(tf.layers.dot({ axes: 1, normalize: true }), [ta, tb]),
  ];
  const tlast = sym(
    tf.layers.cropping2D({
      cropping: [
        [1, 0],
        [0, 1],
      ],
    }),
    sym(
      tf.layers.zeroPadding2d({
        padding: [
          [1, 2],
          [0, 1],
        ],
      }),
      timg,
    ),
  );
  const tfirst = sym(
    tf.layers.cropping2D({ cropping: [1, 0], dataFormat: 'channelsFirst' }),
    sym(tf.layers.zeroPadding2d({ padding: 1, dataFormat: 'channelsFirst' }), timg),
  );
  const tjoined = sym(tf.layers.concatenate({}), [
    ...tmerged,
    sym(tf.layers.flatten(), tlast),
    sym(tf.layers.flatten(), tfirst),
  ]);
  const t = tf.model({
    inputs: [ta, tb, timg],
    outputs: sym(tf.layers.dense({ units: 2 }), tjoined),
  });
  const ours = await tfjsToSinew(t, [[4], [4], [5, 4, 2]], 'merge and padding');
  const classes = ours.layers.map((l) => l.className);
  for (const name of ['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Dot', 'Concatenate']) {
    assert.ok(classes.includes(name), `${name} loaded as sinew's class`);
  }
  const crop = ours.layers.filter((l) => l instanceof sn.layers.Cropping2D);
  assert.deepEqual(
    crop.map((l) => (l as sn.layers.Cropping2D).dataFormat),
    ['channelsLast', 'channelsFirst'],
  );
});

test('subtract, zeroPadding1d and cropping1d round-trip through sinew files; the export says tfjs lacks them', async () => {
  sn.setSeed(8);
  const L = sn.layers;
  const seq = sn.input({ shape: [6, 3] });
  const padded = L.zeroPadding1d({ padding: [2, 1] }).apply(seq);
  const cropped = L.cropping1d({ cropping: [1, 2], name: 'crop1' }).apply(padded);
  const diff = L.subtract({ name: 'diff' }).apply([cropped, seq]);
  const m = sn.model({
    inputs: seq,
    outputs: L.dense({ units: 2 }).apply(L.flatten().apply(diff)),
  });
  const dir = await tmp();
  const warnings: string[] = [];
  try {
    await io.save(m, dir, { onWarning: (w) => warnings.push(w) });
    for (const cls of ['Subtract', 'ZeroPadding1D', 'Cropping1D']) {
      assert.ok(
        warnings.some((w) => w.includes(`no layer class '${cls}'`)),
        `a warning names ${cls}: ${warnings.join(' | ')}`,
      );
    }
    const back = await io.load(dir);
    const x = sn.tensor(data([3, 6, 3], 13), [3, 6, 3]);
    assert.deepEqual(
      Array.from((back.predict(x) as sn.Tensor).dataSync()),
      Array.from((m.predict(x) as sn.Tensor).dataSync()),
    );
    // The written form: Keras's class names and inbound nodes with both inputs.
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    const layers = json.modelTopology.config.layers as {
      class_name: string;
      name: string;
      inbound_nodes: unknown;
    }[];
    const sub = layers.find((l) => l.name === 'diff')!;
    assert.equal(sub.class_name, 'Subtract');
    assert.deepEqual(sub.inbound_nodes, [
      [
        ['crop1', 0, 0, {}],
        [m.inputs[0]!.node.layer.name, 0, 0, {}],
      ],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// Pooling and upsampling layers
test('pooling and upsampling layers, 2-D and 1-D stacks, both directions', async () => {
  sn.setSeed(12);
  const images = sn.sequential({
    layers: [
      sn.layers.maxPooling2d({
        poolSize: 2,
        strides: [2, 1],
        padding: 'same',
        inputShape: [7, 6, 2],
      }),
      sn.layers.averagePooling2d({ poolSize: 2, strides: 1, dataFormat: 'channelsFirst' }),
      sn.layers.upSampling2d({ size: [2, 3] }),
      sn.layers.globalAveragePooling2d(),
      sn.layers.dense({ units: 3 }),
    ],
  });
  await sinewToTfjs(images, [[7, 6, 2]], 'pooling 2-D stack');
  const sequences = sn.sequential({
    layers: [
      sn.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [9, 2] }),
      sn.layers.averagePooling1d({ poolSize: 2, strides: 1 }),
      sn.layers.globalMaxPooling1d(),
      sn.layers.dense({ units: 2 }),
    ],
  });
  await sinewToTfjs(sequences, [[9, 2]], 'pooling 1-D stack');

  const t = tf.sequential({
    layers: [
      tf.layers.averagePooling2d({
        poolSize: 3,
        strides: 2,
        padding: 'same',
        inputShape: [7, 6, 2],
      }),
      tf.layers.maxPooling2d({ poolSize: [2, 1], dataFormat: 'channelsFirst' }),
      tf.layers.upSampling2d({ size: [2, 2] }),
      tf.layers.globalMaxPooling2d({}),
      tf.layers.dense({ units: 3 }),
    ],
  });
  const ours = await tfjsToSinew(t, [[7, 6, 2]], 'pooling 2-D stack');
  const pool = ours.layers[1] as sn.layers.MaxPooling2D;
  assert.deepEqual(
    [pool.poolSize, pool.strides, pool.dataFormat],
    [[2, 1], [2, 1], 'channelsFirst'],
  );
  const t1 = tf.sequential({
    layers: [
      tf.layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same', inputShape: [9, 2] }),
      tf.layers.maxPooling1d({ poolSize: 2 }),
      tf.layers.globalAveragePooling1d({}),
      tf.layers.dense({ units: 2 }),
    ],
  });
  await tfjsToSinew(t1, [[9, 2]], 'pooling 1-D stack');
});

test('pooling export warns where TF.js computes otherwise (bilinear, keepDims, UpSampling1D)', async () => {
  const model = sn.sequential({
    layers: [
      sn.layers.upSampling2d({ interpolation: 'bilinear', inputShape: [3, 3, 1], name: 'up' }),
      sn.layers.globalMaxPooling2d({ keepDims: true, name: 'gmp' }),
      sn.layers.reshape({ targetShape: [1, 1] }),
      sn.layers.upSampling1d({ name: 'up1' }),
    ],
  });
  const warnings: string[] = [];
  const dir = await tmp();
  try {
    await io.save(model, dir, { onWarning: (w: string) => warnings.push(w) });
    const text = warnings.join('\n');
    assert.match(text, /UpSampling2D 'up'.*half-pixel/);
    assert.match(text, /GlobalMaxPooling2D 'gmp'.*keepDims/);
    assert.match(text, /UpSampling1D 'up1'.*Unknown layer/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
