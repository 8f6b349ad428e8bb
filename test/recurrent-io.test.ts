import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../src/index.js';
import { lcg, assertNear } from './helpers.js';
import { tfjsReader, tfjsSave } from './fixtures/tfjs-files.js';

/**
 * Model files with the recurrent and embedding layers (test/conv-io.test.ts's pattern): a
 * sinew model saved with sn.io.save loads back in sinew and in TensorFlow.js 4.22
 * (tf.loadLayersModel, cpu backend) and predicts the same within 1e-5; models made and saved
 * by TensorFlow.js load in sinew and predict the same. GRU with resetAfter true (Keras's
 * default) round-trips in sinew and is exported with a warning (TF.js has no such GRU).
 */

before(async () => {
  await tf.setBackend('cpu');
});

function values(shape: readonly number[], seed: number, lo = -1, hi = 1): number[] {
  return Array.from(
    lcg(
      shape.reduce((a, b) => a * b, 1),
      seed,
      lo,
      hi,
    ),
  );
}

/** Non-zero biases, so a bias in the wrong place shows. */
function randomizeBiases(model: sn.Model, seed: number): void {
  for (const w of model.weights) {
    if (w.shortName === 'bias') w.assign(sn.tensor(values(w.shape, seed++), [...w.shape]));
  }
}

interface Spec {
  name: string;
  /** Input shape and whether it holds integer ids (for an embedding). */
  inputShape: number[];
  ids?: number;
  layers: () => sn.Layer[];
}

const SPECS: Spec[] = [
  {
    name: 'embedding (maskZero) → lstm (sequences, penalised) → gru (resetAfter false) → dense',
    inputShape: [6],
    ids: 7,
    layers: () => [
      sn.layers.embedding({
        inputDim: 7,
        outputDim: 3,
        maskZero: true,
        inputShape: [6],
        embeddingsRegularizer: sn.regularizers.l2(0.01),
      }),
      sn.layers.lstm({
        units: 4,
        returnSequences: true,
        kernelRegularizer: sn.regularizers.l2(0.01),
        recurrentRegularizer: sn.regularizers.l1(0.02),
        biasRegularizer: sn.regularizers.l1l2({ l1: 0.01, l2: 0.02 }),
      }),
      sn.layers.gru({ units: 3, resetAfter: false, goBackwards: true }),
      sn.layers.dense({ units: 2 }),
    ],
  },
  {
    // TF.js keeps the previous output at the masked steps of a bidirectional sequence, Keras
    // outputs zeros (test/recurrent-tfjs.test.ts), so the mask is tested here without one.
    name: 'masking → simpleRNN (sequences) → timeDistributed dense',
    inputShape: [5, 2],
    layers: () => [
      sn.layers.masking({ maskValue: 0, inputShape: [5, 2] }),
      sn.layers.simpleRNN({ units: 3, returnSequences: true }),
      sn.layers.timeDistributed({ layer: sn.layers.dense({ units: 2, activation: 'tanh' }) }),
    ],
  },
  {
    name: 'bidirectional lstm (sequences, sum) → bidirectional gru (concat, resetAfter false) → dense',
    inputShape: [4, 3],
    layers: () => [
      sn.layers.bidirectional({
        layer: sn.layers.lstm({ units: 2, returnSequences: true }),
        mergeMode: 'sum',
        inputShape: [4, 3],
      }),
      sn.layers.bidirectional({ layer: sn.layers.gru({ units: 2, resetAfter: false }) }),
      sn.layers.dense({ units: 1 }),
    ],
  },
  {
    name: 'rnn over stackedRNNCells (lstmCell, simpleRNNCell)',
    inputShape: [4, 2],
    layers: () => [
      sn.layers.rnn({
        cell: sn.layers.stackedRNNCells({
          cells: [sn.layers.lstmCell({ units: 3 }), sn.layers.simpleRNNCell({ units: 2 })],
        }),
        inputShape: [4, 2],
      }),
    ],
  },
];

function inputFor(spec: Spec, seed: number): { data: number[]; shape: number[] } {
  const shape = [3, ...spec.inputShape];
  if (spec.ids !== undefined) {
    const data = values(shape, seed, 0, spec.ids).map(Math.floor);
    data[4] = 0; // a padded step
    data[5] = 0;
    return { data, shape };
  }
  const data = values(shape, seed);
  for (let f = 0; f < shape[2]!; f++) data[(1 * shape[1]! + 4) * shape[2]! + f] = 0; // a masked step
  return { data, shape };
}

test('recurrent models: sn.io.save → sn.io.load and → tf.loadLayersModel predict the same', async (t) => {
  for (const [i, spec] of SPECS.entries()) {
    await t.test(spec.name, async () => {
      sn.setSeed(40 + i);
      const model = sn.sequential({ layers: spec.layers() });
      randomizeBiases(model, 50 + i);
      const { data, shape } = inputFor(spec, 60 + i);
      const expected = (model.predict(sn.tensor(data, shape)) as sn.Tensor).dataSync();
      const dir = await mkdtemp(join(tmpdir(), 'sinew-rnn-io-'));
      try {
        const warnings: string[] = [];
        await sn.io.save(model, dir, { onWarning: (w) => warnings.push(w) });
        assert.deepEqual(warnings, [], 'TensorFlow.js can run every layer here');
        const back = await sn.io.load(dir);
        assert.deepEqual(
          back.weights.map((w) => w.name),
          model.weights.map((w) => w.name),
        );
        const penalties = model.regularizationLosses();
        const backPenalties = back.regularizationLosses();
        assert.deepEqual(Object.keys(backPenalties), Object.keys(penalties));
        for (const [k, v] of Object.entries(penalties)) assertNear([backPenalties[k]!], [v], k);
        assertNear(
          (back.predict(sn.tensor(data, shape)) as sn.Tensor).dataSync(),
          expected,
          'sinew',
        );

        const theirs = await tf.loadLayersModel(tfjsReader(dir));
        const y = theirs.predict(tf.tensor(data, shape)) as tf.Tensor;
        assertNear(y.dataSync(), expected, 'tfjs');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

test('gru with resetAfter true (Keras) round-trips in sinew; the export warns that TensorFlow.js has no such GRU', async () => {
  const model = sn.sequential({
    layers: [sn.layers.gru({ units: 3, inputShape: [4, 2], name: 'g' })],
  });
  randomizeBiases(model, 3);
  const x = sn.tensor(values([2, 4, 2], 4), [2, 4, 2]);
  const expected = (model.predict(x) as sn.Tensor).dataSync();
  const dir = await mkdtemp(join(tmpdir(), 'sinew-rnn-io-'));
  try {
    const warnings: string[] = [];
    await sn.io.save(model, dir, { onWarning: (w) => warnings.push(w) });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /GRU 'g'.*resetAfter: true.*TensorFlow\.js does not implement/);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    assert.equal(json.modelTopology.config.layers[0].config.reset_after, true);
    const back = await sn.io.load(dir);
    assert.deepEqual(back.weights[2]!.shape, [2, 9]);
    assertNear((back.predict(x) as sn.Tensor).dataSync(), expected, 'sinew');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** The weights each TF.js-made model below penalises (forward and backward for the wrapper). */
const PENALISED = [['kernel'], [], ['recurrent_kernel', 'recurrent_kernel']];

test('TF.js-made recurrent models load in sinew and predict the same', async (t) => {
  const models: [string, number[], number | undefined, () => tf.layers.Layer[]][] = [
    [
      'embedding (maskZero) → lstm → dense',
      [5],
      6,
      () => [
        tf.layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [5] }),
        tf.layers.lstm({
          units: 3,
          recurrentActivation: 'sigmoid',
          biasInitializer: 'randomNormal',
          kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
        }),
        tf.layers.dense({ units: 2 }),
      ],
    ],
    [
      'gru (TF.js: resetAfter false) sequences → timeDistributed dense',
      [4, 2],
      undefined,
      () => [
        tf.layers.gru({
          units: 3,
          returnSequences: true,
          recurrentActivation: 'sigmoid',
          biasInitializer: 'randomNormal',
          inputShape: [4, 2],
        }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }),
      ],
    ],
    [
      'masking → bidirectional simpleRNN (ave)',
      [5, 2],
      undefined,
      () => [
        tf.layers.masking({ maskValue: 0, inputShape: [5, 2] }),
        tf.layers.bidirectional({
          layer: tf.layers.simpleRNN({
            units: 2,
            biasInitializer: 'randomNormal',
            recurrentRegularizer: tf.regularizers.l2({ l2: 0.01 }),
          }) as tf.RNN,
          mergeMode: 'ave',
        }),
      ],
    ],
  ];
  for (const [i, [name, inputShape, ids, layers]] of models.entries()) {
    await t.test(name, async () => {
      const theirs = tf.sequential({ layers: layers() });
      const spec: Spec = {
        name,
        inputShape,
        layers: () => [],
        ...(ids === undefined ? {} : { ids }),
      };
      const { data, shape } = inputFor(spec, 80 + i);
      const expected = (theirs.predict(tf.tensor(data, shape)) as tf.Tensor).dataSync();
      const dir = await mkdtemp(join(tmpdir(), 'sinew-rnn-io-'));
      try {
        await tfjsSave(theirs, dir);
        const ours = await sn.io.load(dir);
        assertNear((ours.predict(sn.tensor(data, shape)) as sn.Tensor).dataSync(), expected, name);
        // The penalties TF.js wrote (also inside a wrapper's nested layer) are read.
        const terms = Object.keys(ours.regularizationLosses()).map((k) => k.split('/').pop());
        assert.deepEqual(terms.sort(), PENALISED[i]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

test('a TF.js LSTM with its default hard-sigmoid gates loads with a warning that its predictions differ', async () => {
  const theirs = tf.sequential({
    layers: [tf.layers.lstm({ units: 3, inputShape: [4, 2], name: 'tfjs_lstm' })],
  });
  const data = values([2, 4, 2], 90, -3, 3);
  const expected = (theirs.predict(tf.tensor(data, [2, 4, 2])) as tf.Tensor).dataSync();
  const dir = await mkdtemp(join(tmpdir(), 'sinew-rnn-io-'));
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => warnings.push(m);
  try {
    await tfjsSave(theirs, dir);
    const ours = await sn.io.load(dir);
    console.warn = warn;
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /'tfjs_lstm'.*hard_sigmoid.*clip\(0\.2·x \+ 0\.5, 0, 1\).*recurrentActivation: 'sigmoid'/,
    );
    const got = (ours.predict(sn.tensor(data, [2, 4, 2])) as sn.Tensor).dataSync();
    const gap = Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i]!)));
    assert.ok(gap > 1e-4, `the two hard sigmoids give different outputs (gap ${gap})`);
  } finally {
    console.warn = warn;
    await rm(dir, { recursive: true, force: true });
  }
});

test("a file with Keras's cell-scoped weight names (gru/gru_cell/kernel, bi/forward_lstm/lstm_cell/kernel) loads", () => {
  const model = sn.sequential({
    layers: [
      sn.layers.gru({ units: 3, name: 'gru', returnSequences: true, inputShape: [4, 2] }),
      sn.layers.bidirectional({ layer: sn.layers.lstm({ units: 2, name: 'lstm' }), name: 'bi' }),
    ],
  });
  randomizeBiases(model, 7);
  const x = sn.tensor(values([2, 4, 2], 8), [2, 4, 2]);
  const expected = (model.predict(x) as sn.Tensor).dataSync();
  const artifacts = sn.io.toMemory(model, { onWarning: () => {} });
  const keras: Record<string, string> = {
    'gru/kernel': 'gru/gru_cell/kernel',
    'gru/recurrent_kernel': 'gru/gru_cell/recurrent_kernel',
    'gru/bias': 'gru/gru_cell/bias',
  };
  for (const side of ['forward', 'backward']) {
    for (const w of ['kernel', 'recurrent_kernel', 'bias']) {
      keras[`bi/${side}_lstm/${w}`] = `bi/${side}_lstm/lstm_cell/${w}`;
    }
  }
  const specs = artifacts.weightSpecs!.map((s) => ({ ...s, name: keras[s.name] ?? s.name }));
  assert.deepEqual(
    specs.map((s) => s.name),
    Object.values(keras),
  );
  const back = sn.io.fromMemory({ ...artifacts, weightSpecs: specs });
  assertNear((back.predict(x) as sn.Tensor).dataSync(), expected, 'keras names');
});
