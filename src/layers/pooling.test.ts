import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

/**
 * The pooling and upsampling layers against TensorFlow.js 4.22 (cpu backend): forward values
 * per layer within 1e-5, then a small conv-free model with an activity regularizer on its
 * pooling layer (gradients and 20 fit steps; TF.js refuses activity regularizers, so its side
 * adds the penalty by hand, divided by the batch size as docs/semantics.md rule 6 says).
 *
 * Where TF.js departs from Keras the test says so: UpSampling2D 'bilinear' (TF.js has no
 * half-pixel centres; the oracle is tf.image.resizeBilinear with them), keepDims and the 1-D
 * layers' dataFormat (TF.js has neither; the oracle reshapes or transposes TF.js's output).
 */

before(async () => {
  await tf.setBackend('cpu');
});

const rng = new sn.Random(77);
function values(shape: readonly number[]): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => rng.nextFloat() * 4 - 2);
}

interface Case {
  what: string;
  shape: number[];
  ours: () => sn.layers.Layer;
  theirs: (x: tf.Tensor) => tf.Tensor;
}

const tfApply = (layer: tf.layers.Layer) => (x: tf.Tensor) => layer.apply(x) as tf.Tensor;
/** A channelsFirst case's oracle: the channels-last TF.js layer between two transposes. */
const viaLast = (layer: tf.layers.Layer, rank: 3 | 4) => (x: tf.Tensor) => {
  const [toLast, toFirst] =
    rank === 3
      ? [
          [0, 2, 1],
          [0, 2, 1],
        ]
      : [
          [0, 2, 3, 1],
          [0, 3, 1, 2],
        ];
  return tf.transpose(layer.apply(tf.transpose(x, toLast)) as tf.Tensor, toFirst);
};

const CASES: Case[] = [
  {
    what: "maxPooling1d poolSize 3, stride 2, 'same'",
    shape: [2, 7, 3],
    ours: () => sn.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
    theirs: tfApply(tf.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' })),
  },
  {
    what: 'averagePooling1d default (2)',
    shape: [2, 7, 3],
    ours: () => sn.layers.averagePooling1d(),
    theirs: tfApply(tf.layers.averagePooling1d({})),
  },
  {
    // TF.js's 1-D poolings have no dataFormat.
    what: 'averagePooling1d channelsFirst',
    shape: [2, 3, 7],
    ours: () =>
      sn.layers.averagePooling1d({ poolSize: 3, padding: 'same', dataFormat: 'channelsFirst' }),
    theirs: viaLast(tf.layers.averagePooling1d({ poolSize: 3, padding: 'same' }), 3),
  },
  {
    what: "maxPooling2d [3, 2], strides [2, 1], 'same', odd sizes",
    shape: [2, 7, 5, 3],
    ours: () => sn.layers.maxPooling2d({ poolSize: [3, 2], strides: [2, 1], padding: 'same' }),
    theirs: tfApply(tf.layers.maxPooling2d({ poolSize: [3, 2], strides: [2, 1], padding: 'same' })),
  },
  {
    what: 'maxPooling2d channelsFirst, batch 1',
    shape: [1, 3, 6, 5],
    ours: () => sn.layers.maxPooling2d({ dataFormat: 'channelsFirst' }),
    theirs: tfApply(tf.layers.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst' })),
  },
  {
    what: "averagePooling2d 3×3, stride 2, 'same'",
    shape: [2, 7, 5, 2],
    ours: () => sn.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
    theirs: tfApply(tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' })),
  },
  {
    what: 'averagePooling2d channelsFirst, stride 1',
    shape: [2, 2, 5, 4],
    ours: () =>
      sn.layers.averagePooling2d({ poolSize: 2, strides: 1, dataFormat: 'channelsFirst' }),
    theirs: tfApply(
      tf.layers.averagePooling2d({ poolSize: 2, strides: 1, dataFormat: 'channelsFirst' }),
    ),
  },
  {
    what: 'globalMaxPooling1d',
    shape: [2, 7, 3],
    ours: () => sn.layers.globalMaxPooling1d(),
    theirs: tfApply(tf.layers.globalMaxPooling1d({})),
  },
  {
    what: 'globalAveragePooling1d channelsFirst',
    shape: [2, 3, 7],
    ours: () => sn.layers.globalAveragePooling1d({ dataFormat: 'channelsFirst' }),
    theirs: (x) =>
      tf.layers.globalAveragePooling1d({}).apply(tf.transpose(x, [0, 2, 1])) as tf.Tensor,
  },
  {
    what: 'globalMaxPooling2d',
    shape: [2, 5, 4, 3],
    ours: () => sn.layers.globalMaxPooling2d(),
    theirs: tfApply(tf.layers.globalMaxPooling2d({})),
  },
  {
    what: 'globalAveragePooling2d channelsFirst',
    shape: [2, 3, 5, 4],
    ours: () => sn.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' }),
    theirs: tfApply(tf.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst' })),
  },
  {
    // TF.js's global poolings have no keepdims: its output reshaped.
    what: 'globalAveragePooling2d keepDims',
    shape: [2, 5, 4, 3],
    ours: () => sn.layers.globalAveragePooling2d({ keepDims: true }),
    theirs: (x) =>
      tf.reshape(tf.layers.globalAveragePooling2d({}).apply(x) as tf.Tensor, [2, 1, 1, 3]),
  },
  {
    what: 'globalMaxPooling1d keepDims',
    shape: [2, 7, 3],
    ours: () => sn.layers.globalMaxPooling1d({ keepDims: true }),
    theirs: (x) => tf.reshape(tf.layers.globalMaxPooling1d({}).apply(x) as tf.Tensor, [2, 1, 3]),
  },
  {
    what: 'upSampling2d nearest [2, 3]',
    shape: [2, 3, 4, 2],
    ours: () => sn.layers.upSampling2d({ size: [2, 3] }),
    theirs: tfApply(tf.layers.upSampling2d({ size: [2, 3] })),
  },
  {
    what: 'upSampling2d nearest channelsFirst',
    shape: [1, 2, 3, 4],
    ours: () => sn.layers.upSampling2d({ dataFormat: 'channelsFirst' }),
    theirs: tfApply(tf.layers.upSampling2d({ size: [2, 2], dataFormat: 'channelsFirst' })),
  },
  {
    // Keras 3's bilinear (half-pixel centres); TF.js's layer lacks them (see the next test).
    what: 'upSampling2d bilinear [3, 2]',
    shape: [2, 4, 3, 2],
    ours: () => sn.layers.upSampling2d({ size: [3, 2], interpolation: 'bilinear' }),
    theirs: (x) => tf.image.resizeBilinear(x as tf.Tensor4D, [12, 6], false, true),
  },
  {
    // TF.js has no UpSampling1D: its UpSampling2D over [batch, steps, 1, channels].
    what: 'upSampling1d size 3',
    shape: [2, 4, 3],
    ours: () => sn.layers.upSampling1d({ size: 3 }),
    theirs: (x) =>
      tf.squeeze(
        tf.layers.upSampling2d({ size: [3, 1] }).apply(tf.expandDims(x, 2)) as tf.Tensor,
        [2],
      ),
  },
];

for (const c of CASES) {
  test(`forward vs TF.js: ${c.what}`, () => {
    const data = values(c.shape);
    const layer = c.ours();
    const y = layer.apply(sn.tensor(data, c.shape));
    const want = c.theirs(tf.tensor(data, c.shape));
    assertClose(y, Array.from(want.dataSync()), 1e-5, want.shape);
    // The symbolic shape rule agrees with the computed output.
    const symbolic = layer.computeOutputShape([null, ...c.shape.slice(1)]);
    assert.deepEqual(symbolic, [null, ...want.shape.slice(1)], `${c.what}: computeOutputShape`);
  });
}

test("upSampling2d 'bilinear' differs from TF.js's layer (no half-pixel centres there)", () => {
  const x = [0, 4, 8];
  const ours = sn.layers.upSampling2d({ size: [1, 2], interpolation: 'bilinear' });
  const theirs = tf.layers.upSampling2d({ size: [1, 2], interpolation: 'bilinear' });
  // Keras 3: s = (o + ½)/2 − ½ clamped → [0, 1, 3, 5, 7, 8]; TF.js: s = o/2 → [0, 2, 4, 6, 8, 8].
  assertClose(ours.apply(sn.tensor(x, [1, 1, 3, 1])), [0, 1, 3, 5, 7, 8], 1e-6);
  const legacy = theirs.apply(tf.tensor(x, [1, 1, 3, 1])) as tf.Tensor;
  assert.deepEqual(Array.from(legacy.dataSync()), [0, 2, 4, 6, 8, 8]);
});

// ---------------------------------------------------------------------------------------------
// A small model: input [8, 8, 2] → pooling (activity penalty l2) → flatten → dense 3.

const B = 4;
const X = values([B, 8, 8, 2]);
const Y = values([B, 3]);
const ACTIVITY = 0.01;

function sinewModel(kind: 'avg' | 'max'): sn.Sequential {
  const options = { poolSize: 2, activityRegularizer: sn.regularizers.l2(ACTIVITY) };
  return sn.sequential({
    layers: [
      sn.input({ shape: [8, 8, 2] }),
      kind === 'avg' ? sn.layers.averagePooling2d(options) : sn.layers.maxPooling2d(options),
      sn.layers.flatten(),
      sn.layers.dense({
        units: 3,
        kernelInitializer: sn.initializers.glorotUniform({ seed: 5 }),
        biasInitializer: sn.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: 6 }),
        kernelRegularizer: sn.regularizers.l2(0.02),
      }),
    ],
  });
}

/** The TF.js twin: the same layers applied by hand, so the penalty on the pooled output can be added. */
function tfjsTwin(kind: 'avg' | 'max', weights: sn.Tensor[]) {
  const pool =
    kind === 'avg'
      ? tf.layers.averagePooling2d({ poolSize: 2 })
      : tf.layers.maxPooling2d({ poolSize: 2 });
  const flatten = tf.layers.flatten();
  const dense = tf.layers.dense({ units: 3 });
  dense.apply(tf.zeros([1, 32]));
  dense.setWeights(weights.map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  const vars = dense.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = (x: tf.Tensor): tf.Scalar => {
    const pooled = pool.apply(x) as tf.Tensor;
    const y = dense.apply(flatten.apply(pooled)) as tf.Tensor;
    const mse = tf.mean(tf.square(tf.sub(y, tf.tensor(Y, [B, 3]))));
    // Activity penalty: l2 on the pooled output, divided by the batch size (docs/semantics.md rule 6).
    const activity = tf.div(tf.mul(ACTIVITY, tf.sum(tf.square(pooled))), B);
    const kernel = tf.mul(0.02, tf.sum(tf.square(vars[0]!)));
    return tf.addN([mse, activity, kernel]) as tf.Scalar;
  };
  return { vars, loss };
}

for (const kind of ['avg', 'max'] as const) {
  test(`${kind} pooling model with an activity penalty: loss and gradients vs TF.js`, () => {
    const model = sinewModel(kind);
    model.predict(sn.tensor(X, [B, 8, 8, 2]));
    const twin = tfjsTwin(kind, model.getWeights());
    const x = sn.tensor(X, [B, 8, 8, 2]);
    const total = (input: sn.Tensor): sn.Tensor => {
      const y = model.apply(input) as sn.Tensor;
      const mse = sn.mean(sn.square(sn.sub(y, sn.tensor(Y, [B, 3]))));
      return sn.addN([mse, ...model.losses]);
    };
    const { value, grads } = sn.valueAndGrads(() => total(x));
    const theirs = tf.variableGrads(() => twin.loss(tf.tensor(X, [B, 8, 8, 2])), twin.vars);
    assertClose(value, theirs.value.dataSync()[0]!, 1e-5);
    const dense = model.layers[2] as sn.layers.Dense;
    assertClose(
      grads.get(dense.kernel!)!,
      Array.from(theirs.grads[twin.vars[0]!.name]!.dataSync()),
      1e-5,
    );
    assertClose(
      grads.get(dense.bias!)!,
      Array.from(theirs.grads[twin.vars[1]!.name]!.dataSync()),
      1e-5,
    );
    // The gradient with respect to the input flows back through the pooling (both terms).
    const [dx] = sn.grads((input: sn.Tensor) => total(input))([x]);
    const tdx = tf.grad((input: tf.Tensor) => twin.loss(input))(tf.tensor(X, [B, 8, 8, 2]));
    assertClose(dx!, Array.from(tdx.dataSync()), 1e-5);
    // The activity term is present and is the hand formula on the pooled output.
    const terms = model.regularizationLosses();
    const poolName = model.layers[0]!.name;
    assert.ok(terms[`${poolName}/activity`]! > 0, JSON.stringify(terms));
  });

  test(`${kind} pooling model: 20 fit steps (sgd, full batch) vs TF.js`, async () => {
    const model = sinewModel(kind);
    model.predict(sn.tensor(X, [B, 8, 8, 2]));
    const twin = tfjsTwin(kind, model.getWeights());
    const initial = model.getWeights().map((w) => Array.from(w.dataSync()));
    model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    const history = await model.fit(sn.tensor(X, [B, 8, 8, 2]), sn.tensor(Y, [B, 3]), {
      epochs: 20,
      batchSize: B,
      shuffle: false,
      verbose: 0,
    });
    const optimizer = tf.train.sgd(0.1);
    const xt = tf.tensor(X, [B, 8, 8, 2]);
    const losses: number[] = [];
    for (let step = 0; step < 20; step++) {
      const cost = optimizer.minimize(() => twin.loss(xt), true, twin.vars)!;
      losses.push(cost.dataSync()[0]!);
    }
    assertClose(sn.tensor(history.history.loss!), losses, 1e-5);
    const final = model.getWeights();
    twin.vars.forEach((v, i) => assertClose(final[i]!, Array.from(v.dataSync()), 1e-5));
    const moved = Math.max(
      ...final.flatMap((w, i) =>
        Array.from(w.dataSync()).map((v, j) => Math.abs(v - initial[i]![j]!)),
      ),
    );
    assert.ok(moved > 1e-3, `the weights barely moved (${moved})`);
  });
}

test('activity penalty of a pooling layer: divided by the batch size, not by height × width', () => {
  // averagePooling2d of ones·3 over [2, 4, 4, 1] → [2, 2, 2, 1] of 3s; l1(0.1): 0.1·8·3 / 2 = 1.2.
  const layer = sn.layers.averagePooling2d({ activityRegularizer: sn.regularizers.l1(0.1) });
  layer.apply(sn.mul(sn.ones([2, 4, 4, 1]), 3));
  assertClose(layer.losses[0]!, 1.2, 1e-6);
});

test('config: Keras names and values (arrays, channels_last, keepdims)', () => {
  const pool = sn.layers
    .maxPooling2d({ poolSize: 3, strides: [2, 1], padding: 'same' })
    .getConfig();
  assert.deepEqual(
    [pool.poolSize, pool.strides, pool.padding, pool.dataFormat],
    [[3, 3], [2, 1], 'same', 'channels_last'],
  );
  const pool1 = sn.layers.averagePooling1d({ dataFormat: 'channelsFirst' }).getConfig();
  assert.deepEqual([pool1.poolSize, pool1.strides, pool1.dataFormat], [[2], [2], 'channels_first']);
  const global = sn.layers.globalAveragePooling2d({ keepDims: true }).getConfig();
  assert.deepEqual([global.keepdims, global.dataFormat], [true, 'channels_last']);
  const up = sn.layers.upSampling2d({ size: 3, interpolation: 'bilinear' }).getConfig();
  assert.deepEqual([up.size, up.interpolation], [[3, 3], 'bilinear']);
  // Read back from the Keras spellings (a 1-D pool_size of [3], 'channels_first', keepdims).
  const back = sn.layers.MaxPooling1D.fromConfig({
    poolSize: [3],
    strides: [1],
    dataFormat: 'channels_first',
  });
  assert.deepEqual([back.poolSize, back.strides, back.dataFormat], [[3], [1], 'channelsFirst']);
  assert.equal(sn.layers.GlobalMaxPooling1D.fromConfig({ keepdims: true }).keepDims, true);
});

test('bad inputs: typed errors naming the layer, what was received and the fix', () => {
  const expectError = (f: () => unknown, cls: typeof sn.SinewError, ...words: RegExp[]): void => {
    assert.throws(f, (e: Error) => {
      assert.ok(e instanceof cls, `${e.constructor.name}: ${e.message}`);
      for (const w of words) assert.match(e.message, w);
      return true;
    });
  };
  expectError(
    () => sn.layers.maxPooling2d({ name: 'pool' }).apply(sn.zeros([2, 8, 3])),
    sn.ShapeError,
    /MaxPooling2D 'pool'/,
    /rank 4 \[batch, height, width, channels\]/,
    /\[2, 8, 3\]/,
    /maxPooling1d/,
  );
  expectError(
    () => sn.layers.averagePooling1d().apply(sn.zeros([2, 8, 8, 3])),
    sn.ShapeError,
    /AveragePooling1D/,
    /rank 3/,
    /averagePooling2d for images/,
  );
  expectError(
    () => sn.layers.globalAveragePooling2d().apply(sn.zeros([2, 8])),
    sn.ShapeError,
    /GlobalAveragePooling2D/,
    /rank 4/,
  );
  expectError(
    () =>
      sn.sequential({
        layers: [sn.input({ shape: [3, 3, 1] }), sn.layers.maxPooling2d({ poolSize: 4 })],
      }),
    sn.ShapeError,
    /MaxPooling2D/,
    /poolSize 4×4/,
    /'same'/,
  );
  expectError(
    () => sn.layers.maxPooling2d({ poolSize: 0 }),
    sn.ConfigError,
    /MaxPooling2D/,
    /poolSize/,
    /received 0/,
  );
  expectError(
    () => sn.layers.averagePooling1d({ strides: [1, 2] as unknown as number }),
    sn.ConfigError,
    /strides/,
  );
  expectError(
    () => sn.layers.maxPooling2d({ padding: 'sme' as 'same' }),
    sn.ConfigError,
    /padding must be 'valid' or 'same'/,
  );
  expectError(
    () => sn.layers.globalMaxPooling2d({ dataFormat: 'NCHW' as 'channelsFirst' }),
    sn.ConfigError,
    /dataFormat/,
    /"NCHW"/,
  );
  expectError(
    () => sn.layers.globalMaxPooling1d({ keepDims: 1 as unknown as boolean }),
    sn.ConfigError,
    /keepDims/,
  );
  expectError(
    () => sn.layers.upSampling2d({ interpolation: 'bicubic' as 'bilinear' }),
    sn.ConfigError,
    /UpSampling2D/,
    /'nearest' or 'bilinear'/,
  );
  expectError(() => sn.layers.upSampling1d({ size: 0 }), sn.ConfigError, /UpSampling1D/, /size/);
  expectError(
    () => sn.layers.maxPooling2d({ pool_size: 2 } as sn.layers.Pooling2DOptions),
    sn.ConfigError,
    /poolSize/,
  );
});
