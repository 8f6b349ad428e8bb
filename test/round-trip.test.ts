import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../src/index.js';
import { activationRegistry } from '../src/activations/index.js';
import { layerRegistry } from '../src/layers/index.js';
import { lossRegistry } from '../src/losses/index.js';
import type { Registry, Serializable } from '../src/serialization.js';

/**
 * The one round-trip helper: getConfig → JSON text → fromConfig must give an object of the
 * same class with the same config and the same behaviour. Each family lists a sample of every
 * registered class; a class added to a registry without a sample fails the coverage check.
 */
function roundTrip<T extends Serializable>(registry: Registry<T>, obj: T): T {
  const text = JSON.stringify(registry.serialize(obj));
  const back = registry.deserialize(JSON.parse(text));
  assert.equal(back.constructor, obj.constructor, `${registry.kind}: same class`);
  assert.deepEqual(back.getConfig(), obj.getConfig(), `${registry.kind} ${text}: same config`);
  return back;
}

function checkFamily<T extends Serializable>(
  registry: Registry<T>,
  samples: readonly T[],
  sameBehaviour: (a: T, b: T) => void,
  notSerializable: readonly string[] = [],
): void {
  const covered = new Set(
    samples.map((s) => (s.constructor as unknown as { className: string }).className),
  );
  const missing = registry
    .classes()
    .map((c) => c.className)
    .filter((name) => !covered.has(name) && !notSerializable.includes(name));
  assert.deepEqual(missing, [], `${registry.kind} classes without a round-trip sample`);
  for (const sample of samples) sameBehaviour(sample, roundTrip(registry, sample));
}

const x = sn.tensor([
  [0.5, -1.2, 2.0],
  [1.5, 0.3, -0.7],
]);
const probs = sn.tensor([
  [0.2, 0.3, 0.5],
  [0.6, 0.1, 0.3],
]);
const same = (a: sn.Tensor, b: sn.Tensor) =>
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));

test('every regularizer round-trips (a plain function cannot, and says so)', () => {
  const r = sn.regularizers;
  checkFamily(
    r.regularizerRegistry,
    [
      r.l1(0.02),
      r.l2({ l2: 0.003 }),
      r.l1l2({ l1: 0.1, l2: 0.2 }),
      r.orthogonal({ factor: 0.5, mode: 'columns' }),
      r.klSparsity({ rho: 0.1, beta: 3 }),
    ],
    (a, b) => same(a.apply(probs), b.apply(probs)),
    ['Function'],
  );
  assert.throws(
    () => r.regularizerRegistry.serialize(r.getRegularizer((t: sn.Tensor) => sn.sum(t))!),
    sn.ConfigError,
  );
});

test('every constraint round-trips', () => {
  const c = sn.constraints;
  checkFamily(
    c.constraintRegistry,
    [
      c.maxNorm({ maxValue: 1.5, axis: 1 }),
      c.nonNeg(),
      c.unitNorm({ axis: 0 }),
      c.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.7 }),
    ],
    (a, b) => same(a.apply(x), b.apply(x)),
  );
});

test('every initializer round-trips (seeded ones give the same values)', () => {
  const i = sn.initializers;
  checkFamily(
    i.initializerRegistry,
    [
      i.zeros(),
      i.ones(),
      i.constant({ value: 0.25 }),
      i.randomNormal({ mean: 1, stddev: 2, seed: 1 }),
      i.randomUniform({ minval: -2, maxval: 3, seed: 2 }),
      i.truncatedNormal({ stddev: 0.5, seed: 3 }),
      i.varianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform', seed: 4 }),
      i.glorotUniform({ seed: 5 }),
      i.glorotNormal({ seed: 6 }),
      i.heUniform({ seed: 7 }),
      i.heNormal({ seed: 8 }),
      i.lecunUniform({ seed: 9 }),
      i.lecunNormal({ seed: 10 }),
      i.orthogonal({ gain: 1.5, seed: 11 }),
      i.identity({ gain: 2 }),
    ],
    (a, b) => same(a.apply([4, 4]), b.apply([4, 4])),
  );
});

test('every activation round-trips', () => {
  const samples = activationRegistry.classes().map((cls) => cls.fromConfig({}));
  checkFamily(activationRegistry, samples, (a, b) => same(a.apply(x), b.apply(x)));
});

test('every loss round-trips', () => {
  const l = sn.losses;
  const labels = sn.tensor([
    [0, 0, 1],
    [1, 0, 0],
  ]);
  checkFamily(
    lossRegistry,
    [
      l.meanSquaredError(),
      l.meanAbsoluteError(),
      l.binaryCrossentropy({ labelSmoothing: 0.1 }),
      l.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
      l.sparseCategoricalCrossentropy({ fromLogits: true }),
      l.huber({ delta: 0.5 }),
      l.kld(),
      l.cosineSimilarity({ axis: -1 }),
      l.hinge(),
      l.meanAbsolutePercentageError(),
      l.meanSquaredLogarithmicError(),
      l.logcosh(),
      l.poisson(),
    ],
    (a, b) => {
      const yTrue = a.name.includes('sparse') ? sn.tensor([2, 0], undefined, 'int32') : labels;
      same(a.call(yTrue, probs), b.call(yTrue, probs));
    },
  );
});

test('every optimizer and schedule round-trips, and steps the same', () => {
  const o = sn.optimizers;
  const s = o.schedules;
  const schedules = [
    s.exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
      staircase: true,
    }),
    s.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1 }),
    s.piecewiseConstant({ boundaries: [5, 10], values: [0.1, 0.05, 0.01] }),
    s.warmup({ warmupSteps: 5, target: 0.1 }),
  ];
  checkFamily(o.scheduleRegistry, schedules, (a, b) => {
    for (const step of [0, 3, 7, 12, 50]) assert.equal(b.at(step), a.at(step));
  });
  const step = (opt: sn.optimizers.Optimizer): number[] => {
    const v = sn.variable(sn.tensor([1, -2, 3]), { name: 'w' });
    for (let k = 0; k < 3; k++) opt.applyGradients(new Map([[v, sn.mul(v, 0.5)]]));
    return Array.from(v.dataSync());
  };
  checkFamily(
    o.optimizerRegistry,
    [
      o.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
      o.adam({ learningRate: schedules[0]!, amsgrad: true, clipnorm: 1 }),
      o.adamw({ learningRate: 0.01, weightDecay: 0.1 }),
      o.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true }),
      o.adagrad({ learningRate: 0.1 }),
      o.adamax({ learningRate: 0.02 }),
      o.nadam({ learningRate: 0.02, globalClipnorm: 2 }),
    ],
    (a, b) => assert.deepEqual(step(b), step(a)),
  );
});

// Convolution layers: each sample with every option away from its default, and its input.
const convInputs = new Map<sn.Layer, sn.Tensor>();
function convSamples(): sn.Layer[] {
  const L = sn.layers;
  const r = sn.regularizers;
  const seed = (s: number) => sn.initializers.glorotUniform({ seed: s });
  const images = (shape: number[]) =>
    sn.tensor(
      Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i)),
      shape,
    );
  const samples: [sn.Layer, sn.Tensor][] = [
    [
      L.conv1d({
        filters: 3,
        kernelSize: 2,
        dilationRate: 2,
        padding: 'same',
        activation: 'tanh',
        kernelInitializer: seed(1),
        kernelRegularizer: r.l2(0.01),
        biasConstraint: sn.constraints.nonNeg(),
      }),
      images([2, 6, 2]),
    ],
    [
      L.conv2d({
        filters: 2,
        kernelSize: [3, 2],
        strides: [2, 1],
        dataFormat: 'channelsFirst',
        useBias: false,
        biasInitializer: 'ones',
        activityRegularizer: r.l1(1e-3),
        kernelConstraint: sn.constraints.maxNorm({ maxValue: 2 }),
      }),
      images([2, 3, 5, 4]),
    ],
    [
      L.conv2dTranspose({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        outputPadding: 1,
        padding: 'same',
        activation: 'relu',
        biasRegularizer: r.l1(0.02),
      }),
      images([2, 3, 3, 2]),
    ],
    [
      L.depthwiseConv2d({
        kernelSize: 2,
        depthMultiplier: 2,
        dilationRate: [1, 2],
        depthwiseInitializer: seed(2),
        depthwiseRegularizer: r.l1l2({ l1: 0.01, l2: 0.02 }),
        depthwiseConstraint: sn.constraints.unitNorm({ axis: 0 }),
      }),
      images([2, 4, 5, 3]),
    ],
    [
      L.separableConv2d({
        filters: 3,
        kernelSize: 2,
        depthMultiplier: 2,
        padding: 'same',
        depthwiseInitializer: seed(3),
        pointwiseInitializer: seed(4),
        depthwiseRegularizer: r.l2(0.01),
        pointwiseRegularizer: r.l1(0.01),
        depthwiseConstraint: sn.constraints.nonNeg(),
        pointwiseConstraint: sn.constraints.maxNorm({ maxValue: 1 }),
      }),
      images([2, 4, 4, 2]),
    ],
  ];
  for (const [layer, input] of samples) convInputs.set(layer, input);
  return samples.map(([layer]) => layer);
}

test('every layer round-trips', () => {
  const L = sn.layers;
  const r = sn.regularizers;
  /** Layers that do not take `x`: the input each one is checked on. */
  const inputs = new Map<sn.Layer, sn.Tensor | sn.Tensor[]>();
  const on = <T extends sn.Layer>(layer: T, input: sn.Tensor | sn.Tensor[]): T => {
    inputs.set(layer, input);
    return layer;
  };
  // Pooling and upsampling layers, each with an input of its rank (x is rank 2).
  const seq = sn.reshape(sn.range(0, 24), [2, 4, 3]);
  const img = sn.reshape(sn.range(0, 48), [2, 4, 3, 2]);
  const poolingInputs = new Map<sn.layers.Layer, sn.Tensor>([
    [
      L.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same', dataFormat: 'channelsFirst' }),
      seq,
    ],
    [L.averagePooling1d({ poolSize: 2, strides: 1 }), seq],
    [L.maxPooling2d({ poolSize: [2, 1], strides: [1, 2], padding: 'same' }), img],
    [
      L.averagePooling2d({
        poolSize: 2,
        dataFormat: 'channelsFirst',
        activityRegularizer: r.l2(0.1),
      }),
      img,
    ],
    [L.globalMaxPooling1d({ keepDims: true }), seq],
    [L.globalAveragePooling1d({ dataFormat: 'channelsFirst' }), seq],
    [L.globalMaxPooling2d({ dataFormat: 'channelsFirst', keepDims: true }), img],
    [L.globalAveragePooling2d(), img],
    [L.upSampling1d({ size: 3 }), seq],
    [L.upSampling2d({ size: [2, 3], interpolation: 'bilinear', dataFormat: 'channelsFirst' }), img],
  ]);
  checkFamily(
    layerRegistry,
    [
      new L.InputLayer({ shape: [3], name: 'rt_input' }),
      L.dense({
        units: 4,
        activation: 'relu',
        kernelInitializer: sn.initializers.glorotUniform({ seed: 1 }),
        kernelRegularizer: r.l2(0.01),
        biasRegularizer: r.l1(0.02),
        activityRegularizer: r.l1(1e-5),
        activityRegularizerReduction: 'sum',
        kernelConstraint: sn.constraints.maxNorm({ maxValue: 2 }),
        inputShape: [3],
      }),
      L.activation({ activation: 'tanh' }),
      L.activityRegularization({ l1: 0.01, l2: 0.02 }),
      L.batchNormalization({ momentum: 0.9, epsilon: 1e-4, gammaRegularizer: r.l2(0.1) }),
      L.dropout({ rate: 0.3, seed: 1 }),
      L.flatten(),
      L.gaussianNoise({ stddev: 0.1, seed: 2 }),
      L.kSparse({ k: 2, alpha: 1.5, activityRegularizer: r.klSparsity() }),
      L.reshape({ targetShape: [3, 1] }),
      // Merge, padding and cropping layers
      on(L.add({ activityRegularizer: r.l2(0.1) }), [x, probs]),
      on(L.subtract(), [x, probs]),
      on(L.multiply(), [x, probs, x]),
      on(L.average(), [x, probs]),
      on(L.maximum(), [x, probs]),
      on(L.minimum(), [x, probs]),
      on(L.concatenate({ axis: 1 }), [x, probs]),
      on(L.dot({ axes: [1, 1], normalize: true }), [x, probs]),
      on(L.zeroPadding1d({ padding: [1, 2] }), sn.reshape(x, [2, 3, 1])),
      on(
        L.zeroPadding2d({
          padding: [
            [1, 0],
            [0, 2],
          ],
          dataFormat: 'channelsFirst',
        }),
        sn.reshape(x, [1, 2, 3, 1]),
      ),
      on(L.cropping1d({ cropping: [1, 0] }), sn.reshape(x, [2, 3, 1])),
      on(
        L.cropping2d({
          cropping: [
            [0, 1],
            [1, 1],
          ],
        }),
        sn.reshape(x, [1, 2, 3, 1]),
      ),
      ...poolingInputs.keys(),
      // Misc layers (issue 12 part D1); the rank-3 and rank-4 ones get their own input.
      ...MISC_LAYERS.map(([layer]) => layer),
      // Convolution layers
      ...convSamples(),
      // Recurrent and embedding layers (issue 15)
      ...recurrentSamples(),
    ],
    (a, b) => {
      if (a instanceof L.InputLayer) return;
      const input =
        inputs.get(a) ??
        poolingInputs.get(a) ??
        MISC_INPUTS.get(a) ??
        convInputs.get(a) ??
        recurrentInputs.get(a) ??
        x;
      // Same config, so at inference (no noise) the same outputs once the weights match.
      const ya = [a.apply(input)].flat();
      b.apply(input);
      b.setWeights(a.getWeights());
      if (b instanceof L.RNN) b.resetStates(); // a stateful layer starts again from zeros
      const yb = [b.apply(input)].flat();
      ya.forEach((y, i) => same(yb[i]!, y));
    },
  );
});

// Misc layers (issue 12 part D1): each sample with the input it needs (x when undefined).
const MISC_LAYERS: [sn.Layer, sn.Tensor?][] = (() => {
  const L = sn.layers;
  const r = sn.regularizers;
  const seq = sn.reshape(sn.range(0, 24, { dtype: 'float32' }), [2, 3, 4]);
  const img = sn.reshape(sn.range(0, 48, { dtype: 'float32' }), [2, 2, 3, 4]);
  return [
    [L.leakyReLU({ alpha: 0.1 })],
    [
      L.prelu({
        sharedAxes: [1],
        alphaInitializer: sn.initializers.randomUniform({ seed: 3 }),
        alphaRegularizer: r.l2(0.01),
        alphaConstraint: sn.constraints.nonNeg(),
      }),
      seq,
    ],
    [L.elu({ alpha: 0.5 })],
    [L.reLU({ maxValue: 1.5, negativeSlope: 0.1, threshold: 0.2 })],
    [L.softmax({ axis: [0, 1] })],
    [L.spatialDropout1d({ rate: 0.3, seed: 4 }), seq],
    [L.spatialDropout2d({ rate: 0.3, dataFormat: 'channelsFirst', seed: 5 }), img],
    [L.gaussianDropout({ rate: 0.2, seed: 6 })],
    [L.alphaDropout({ rate: 0.1, noiseShape: [null, 1], seed: 7 })],
    [
      L.layerNormalization({
        axis: [1, 2],
        epsilon: 1e-5,
        center: false,
        gammaInitializer: sn.initializers.randomNormal({ seed: 8 }),
        gammaRegularizer: r.l1(0.01),
        gammaConstraint: sn.constraints.maxNorm({ maxValue: 2 }),
      }),
      seq,
    ],
    [L.permute({ dims: [3, 1, 2] }), img],
    [L.repeatVector({ n: 2 })],
  ];
})();
const MISC_INPUTS = new Map<sn.Layer, sn.Tensor>(
  MISC_LAYERS.flatMap(([layer, input]) => (input ? [[layer, input] as const] : [])),
);

// Recurrent and embedding layers (issue 15): each sample with options away from their
// defaults, and its input (cells take [x_t, ...states]).
const recurrentInputs = new Map<sn.Layer, sn.Tensor | sn.Tensor[]>();
function recurrentSamples(): sn.Layer[] {
  const L = sn.layers;
  const r = sn.regularizers;
  const seq = sn.tanh(sn.reshape(sn.range(-12, 12, { dtype: 'float32' }), [2, 4, 3]));
  const step = sn.tensor([
    [0.1, -0.2, 0.3],
    [0.5, 0.4, -0.6],
  ]);
  const h = (n: number) => sn.fill([2, n], 0.1);
  const samples: [sn.Layer, sn.Tensor | sn.Tensor[]][] = [
    [
      L.simpleRNN({
        units: 2,
        activation: 'relu',
        returnSequences: true,
        goBackwards: true,
        kernelRegularizer: r.l2(0.01),
        recurrentConstraint: sn.constraints.maxNorm({ maxValue: 2 }),
        dropout: 0.1,
        seed: 3,
      }),
      seq,
    ],
    [
      L.lstm({
        units: 2,
        returnState: true,
        unitForgetBias: false,
        recurrentActivation: 'hard_sigmoid',
        recurrentRegularizer: r.l1(0.02),
        biasRegularizer: r.l2(0.01),
        activityRegularizer: r.l2(0.1),
        recurrentDropout: 0.2,
        implementation: 1,
      }),
      seq,
    ],
    [L.gru({ units: 3, resetAfter: false, stateful: true, unroll: true, useBias: false }), seq],
    [L.gru({ units: 2, returnSequences: true }), seq],
    [L.simpleRNNCell({ units: 2, useBias: false }), [step, h(2)]],
    [L.lstmCell({ units: 2, recurrentInitializer: 'glorotNormal' }), [step, h(2), h(2)]],
    [L.gruCell({ units: 2, resetAfter: false }), [step, h(2)]],
    [
      L.stackedRNNCells({ cells: [L.lstmCell({ units: 2 }), L.gruCell({ units: 3 })] }),
      [step, h(2), h(2), h(3)],
    ],
    [
      L.rnn({
        cell: L.stackedRNNCells({
          cells: [L.simpleRNNCell({ units: 2 }), L.gruCell({ units: 2 })],
        }),
        returnSequences: true,
      }),
      seq,
    ],
    [L.rnn({ cell: L.lstmCell({ units: 2 }), goBackwards: true }), seq],
    [
      L.bidirectional({ layer: L.lstm({ units: 2, returnSequences: true }), mergeMode: 'ave' }),
      seq,
    ],
    [L.bidirectional({ layer: L.gru({ units: 2, returnState: true }), mergeMode: null }), seq],
    [L.timeDistributed({ layer: L.dense({ units: 2, activation: 'tanh' }) }), seq],
    [
      L.embedding({
        inputDim: 5,
        outputDim: 2,
        maskZero: true,
        inputLength: 3,
        embeddingsRegularizer: r.l2(0.01),
        embeddingsConstraint: sn.constraints.unitNorm(),
      }),
      sn.tensor([
        [0, 4, 2],
        [1, 1, 3],
      ]),
    ],
    [L.masking({ maskValue: 0.5 }), seq],
  ];
  for (const [layer, input] of samples) recurrentInputs.set(layer, input);
  return samples.map(([layer]) => layer);
}
