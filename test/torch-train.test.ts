import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { VARIANTS } from '../cli/lab/variants.js';
import { runPythonFile } from './fixtures/torch.js';

/**
 * The exported train.py trains as sinew's fit: 20 steps of each lab variant from the same
 * initial weights, the same batches (train.py draws sinew's shuffle order from the seed), the
 * same optimizer; the loss and each named penalty agree within 1e-5 relative at every step.
 * The oracle is PyTorch's autograd and train.py's transcription of the update rules.
 */

const STEPS = 20;
const BATCH = 32;
const SAMPLES = 320; // 10 steps per epoch: the second epoch's order is checked too

/**
 * The variant in float64 (both sides then compute in double): in float32 the saturation
 * variant's inputs (x 50) make Adam's normalised steps amplify rounding differences between
 * any two implementations to ~1e-4 within 20 steps, which says nothing about the formulas.
 */
function float64(model: sn.Sequential): sn.Sequential {
  const layers = model.layers.map((l) =>
    sn.layers.layerRegistry.deserialize({
      className: (l.constructor as typeof sn.layers.Layer).className,
      config: { ...l.getConfig(), dtype: 'float64' },
    }),
  );
  const copy = sn.sequential({ layers });
  copy.weights.forEach((w, i) => w.assign(sn.cast(model.weights[i]!, 'float64')));
  return copy;
}

interface StepLog {
  loss: number;
  regularization_loss: number;
  terms: Record<string, number>;
}

/** fit's per-step values: the batch loss from the epoch's running means, penalties by name. */
async function sinewSteps(model: sn.Sequential, x: sn.Tensor, seed: number): Promise<StepLog[]> {
  const out: StepLog[] = [];
  let before: Record<string, number> = {};
  let previous = { loss: 0, regularization_loss: 0, seen: 0 };
  const callback = sn.callbacks.lambdaCallback({
    onEpochBegin: () => {
      previous = { loss: 0, regularization_loss: 0, seen: 0 };
    },
    // Weight penalties as the step computes them: before its update.
    onBatchBegin: () => {
      before = model.regularizationLosses();
    },
    onBatchEnd: (_batch, logs) => {
      const size = logs!.size as number;
      const seen = previous.seen + size;
      const batchValue = (k: 'loss' | 'regularization_loss') =>
        ((logs![k] as number) * seen - previous[k] * previous.seen) / size;
      const after = model.regularizationLosses();
      const terms: Record<string, number> = {};
      for (const k of Object.keys(after))
        terms[k] = k.endsWith('/activity') ? after[k]! : before[k]!;
      out.push({
        loss: batchValue('loss'),
        regularization_loss: batchValue('regularization_loss'),
        terms,
      });
      previous = {
        loss: logs!.loss as number,
        regularization_loss: logs!.regularization_loss as number,
        seen,
      };
    },
  });
  await model.fit(x, x, {
    epochs: STEPS / (SAMPLES / BATCH),
    batchSize: BATCH,
    seed,
    verbose: 0,
    callbacks: [callback],
  });
  return out;
}

function close(a: number, b: number, what: string): void {
  assert.ok(
    Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b), 1e-12),
    `${what}: sinew ${a}, torch ${b}`,
  );
}

test('train.py reproduces 20 steps of sinew fit for each lab variant (loss and each named penalty)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sinew-torch-train-'));
  for (const [i, variant] of VARIANTS.entries()) {
    const seed = 40 + i;
    sn.setSeed(seed);
    const x = sn.cast(
      sn.mul(sn.randomUniform([SAMPLES, 784], { seed }), variant.inputScale),
      'float64',
    );
    const model = float64(variant.build(seed));
    assert.ok(model.weights.every((w) => w.dtype === 'float64'));
    model.compile({ optimizer: sn.optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });
    const dir = join(root, variant.name);
    await sn.io.exportPyTorch(model, dir, { fit: { batchSize: BATCH, seed, epochs: 2 } });
    await sn.io.saveNpy(x, join(dir, 'x.npy'));
    const mine = await sinewSteps(model, x, seed);
    // x is the target too (an autoencoder); the data folder holds x.npy and y.npy.
    await sn.io.saveNpy(x, join(dir, 'y.npy'));
    const log = join(dir, 'steps.jsonl');
    runPythonFile(join(dir, 'train.py'), {
      args: ['--data', dir, '--max-steps', String(STEPS), '--log-steps', log],
    });
    const theirs = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as StepLog);
    assert.equal(theirs.length, STEPS);
    assert.equal(mine.length, STEPS);
    mine.forEach((m, s) => {
      const t = theirs[s]!;
      close(m.loss, t.loss, `${variant.name} step ${s} loss`);
      close(
        m.regularization_loss,
        t.regularization_loss,
        `${variant.name} step ${s} regularization_loss`,
      );
      assert.deepEqual(
        Object.keys(t.terms).sort(),
        Object.keys(m.terms).sort(),
        `${variant.name} penalty names`,
      );
      for (const [k, v] of Object.entries(m.terms))
        close(v, t.terms[k]!, `${variant.name} step ${s} ${k}`);
    });
  }
});

test('train.py reproduces 20 steps of sinew fit for a conv autoencoder (conv, pooling, upsampling, transposed conv, penalties)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sinew-torch-conv-'));
  const seed = 60;
  sn.setSeed(seed);
  const L = sn.layers;
  const R = sn.regularizers;
  const model = float64(
    sn.sequential({
      layers: [
        L.conv2d({
          name: 'enc',
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          inputShape: [6, 6, 1],
          kernelRegularizer: R.l2(0.01),
        }),
        L.maxPooling2d({ name: 'pool', poolSize: 2 }),
        L.depthwiseConv2d({ name: 'dw', kernelSize: 2, padding: 'same', activation: 'tanh' }),
        L.conv2d({
          name: 'code',
          filters: 2,
          kernelSize: 1,
          activation: 'sigmoid',
          activityRegularizer: R.l1(0.01),
        }),
        L.upSampling2d({ name: 'up', size: 2 }),
        L.conv2dTranspose({
          name: 'dec',
          filters: 1,
          kernelSize: 3,
          padding: 'same',
          biasRegularizer: R.l1(0.1),
        }),
      ],
    }),
  );
  const x = sn.cast(sn.randomUniform([SAMPLES, 6, 6, 1], { seed }), 'float64');
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 1e-2 }), loss: 'mse' });
  const dir = join(root, 'conv-ae');
  await sn.io.exportPyTorch(model, dir, { fit: { batchSize: BATCH, seed, epochs: 2 } });
  await sn.io.saveNpy(x, join(dir, 'x.npy'));
  await sn.io.saveNpy(x, join(dir, 'y.npy'));
  const mine = await sinewSteps(model, x, seed);
  const log = join(dir, 'steps.jsonl');
  runPythonFile(join(dir, 'train.py'), {
    args: ['--data', dir, '--max-steps', String(STEPS), '--log-steps', log],
  });
  const theirs = (await readFile(log, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as StepLog);
  assert.equal(theirs.length, STEPS);
  assert.equal(mine.length, STEPS);
  assert.deepEqual(Object.keys(mine[0]!.terms).sort(), ['code/activity', 'dec/bias', 'enc/kernel']);
  mine.forEach((m, s) => {
    const t = theirs[s]!;
    close(m.loss, t.loss, `step ${s} loss`);
    close(m.regularization_loss, t.regularization_loss, `step ${s} regularization_loss`);
    assert.deepEqual(Object.keys(t.terms).sort(), Object.keys(m.terms).sort());
    for (const [k, v] of Object.entries(m.terms)) close(v, t.terms[k]!, `step ${s} ${k}`);
  });
});

test('train.py mirrors each optimizer, schedule, clipping and weight decay sinew has (5 steps each)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sinew-torch-opt-'));
  const O = sn.optimizers;
  const S = sn.optimizers.schedules;
  const cases: [string, () => sn.optimizers.Optimizer, string][] = [
    [
      'sgd-nesterov-clipvalue',
      () => O.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipvalue: 0.05 }),
      'mse',
    ],
    [
      'adam-amsgrad-exponential',
      () =>
        O.adam({
          learningRate: S.exponentialDecay({
            initialLearningRate: 0.01,
            decaySteps: 2,
            decayRate: 0.5,
          }),
          amsgrad: true,
        }),
      'mae',
    ],
    [
      'adamw-exclude',
      () => O.adamw({ learningRate: 0.01, weightDecay: 0.1, excludeFromWeightDecay: ['bias'] }),
      'binaryCrossentropy',
    ],
    ['adamax-clipnorm', () => O.adamax({ learningRate: 0.02, clipnorm: 0.1 }), 'mse'],
    [
      'nadam-cosine-warmup',
      () =>
        O.nadam({
          learningRate: S.cosineDecay({
            initialLearningRate: 0.001,
            decaySteps: 4,
            warmupTarget: 0.02,
            warmupSteps: 2,
            alpha: 0.1,
          }),
        }),
      'mse',
    ],
    [
      'rmsprop-centered-momentum-global',
      () => O.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5, globalClipnorm: 0.2 }),
      'mse',
    ],
    [
      'adagrad-piecewise-warmup',
      () =>
        O.adagrad({
          learningRate: S.warmup({
            warmupSteps: 2,
            target: S.piecewiseConstant({ boundaries: [1], values: [0.05, 0.02] }),
          }),
        }),
      'mse',
    ],
    [
      'sgd-weight-decay-categorical',
      () => O.sgd({ learningRate: 0.5, weightDecay: 0.01 }),
      'categoricalCrossentropy',
    ],
  ];
  for (const [name, makeOptimizer, loss] of cases) {
    sn.setSeed(5);
    const x = sn.randomNormal([40, 6], { seed: 1, dtype: 'float64' });
    const y = sn.cast(sn.softmax(sn.randomNormal([40, 4], { seed: 2 })), 'float64');
    const model = sn.sequential({
      layers: [
        sn.layers.dense({
          name: 'h',
          units: 5,
          inputShape: [6],
          activation: 'tanh',
          dtype: 'float64',
          kernelRegularizer: sn.regularizers.l2(0.01),
        }),
        sn.layers.dense({
          name: 'o',
          units: 4,
          activation: 'softmax',
          dtype: 'float64',
          activityRegularizer: sn.regularizers.l1(0.01),
        }),
      ],
    });
    model.compile({ optimizer: makeOptimizer(), loss });
    const dir = join(root, name);
    await sn.io.exportPyTorch(model, dir, { fit: { batchSize: 8, seed: 3 } });
    await sn.io.saveNpy(x, join(dir, 'x.npy'));
    await sn.io.saveNpy(y, join(dir, 'y.npy'));
    const losses: number[] = [];
    let seen = 0;
    let mean = 0;
    await model.fit(x, y, {
      batchSize: 8,
      seed: 3,
      verbose: 0,
      callbacks: [
        sn.callbacks.lambdaCallback({
          onBatchEnd: (_b, logs) => {
            const size = logs!.size as number;
            losses.push(((logs!.loss as number) * (seen + size) - mean * seen) / size);
            seen += size;
            mean = logs!.loss as number;
          },
        }),
      ],
    });
    const log = join(dir, 'steps.jsonl');
    runPythonFile(join(dir, 'train.py'), { args: ['--data', dir, '--log-steps', log] });
    const theirs = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as StepLog);
    assert.equal(theirs.length, 5, name);
    losses.forEach((v, s) => close(v, theirs[s]!.loss, `${name} step ${s} loss`));
    // The trained weights read back: the same as sinew's after the same steps.
    const trained = sn.sequential({
      layers: model.layers.map((l) =>
        sn.layers.layerRegistry.deserialize({
          className: (l.constructor as typeof sn.layers.Layer).className,
          config: l.getConfig(),
        }),
      ),
    });
    await sn.io.loadSafetensors(trained, join(dir, 'trained.safetensors'));
    trained.weights.forEach((w, i) =>
      Array.from(w.dataSync()).forEach((v, j) =>
        close(v, Number(model.weights[i]!.dataSync()[j]), `${name} ${w.name}[${j}]`),
      ),
    );
  }
});

test('train.py logs per epoch what sinew fit does: loss, regularization_loss, metrics, validation split', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sinew-torch-history-'));
  sn.setSeed(8);
  const x = sn.randomNormal([50, 6], { seed: 3, dtype: 'float64' });
  const y = sn.cast(sn.oneHot(sn.argMax(sn.randomNormal([50, 3], { seed: 4 }), -1), 3), 'float64');
  const model = sn.sequential({
    layers: [
      sn.layers.dense({
        name: 'h',
        units: 8,
        inputShape: [6],
        activation: 'relu',
        dtype: 'float64',
        activityRegularizer: sn.regularizers.l1(0.01),
      }),
      sn.layers.batchNormalization({ name: 'bn', dtype: 'float64' }),
      sn.layers.dense({
        name: 'o',
        units: 3,
        activation: 'softmax',
        dtype: 'float64',
        kernelRegularizer: sn.regularizers.l2(0.01),
      }),
    ],
  });
  model.compile({
    optimizer: sn.optimizers.rmsprop({ learningRate: 0.01 }),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy', 'mse'],
  });
  const fit = { batchSize: 8, seed: 9, epochs: 3, validationSplit: 0.2 };
  await sn.io.exportPyTorch(model, dir, { fit });
  await sn.io.saveNpy(x, join(dir, 'x.npy'));
  await sn.io.saveNpy(y, join(dir, 'y.npy'));
  const history = await model.fit(x, y, { ...fit, verbose: 0 });
  runPythonFile(join(dir, 'train.py'), { args: ['--data', dir] });
  const theirs = JSON.parse(await readFile(join(dir, 'trained.history.json'), 'utf8')) as Record<
    string,
    number[]
  >;
  const keys = [
    'loss',
    'regularization_loss',
    'accuracy',
    'mse',
    'val_loss',
    'val_regularization_loss',
    'val_accuracy',
    'val_mse',
  ];
  assert.deepEqual(Object.keys(history.history).sort(), [...keys].sort());
  assert.deepEqual(Object.keys(theirs).sort(), [...keys].sort());
  for (const k of keys) {
    const mine = history.history[k]!;
    assert.equal(theirs[k]!.length, 3, k);
    mine.forEach((v, e) => close(v as number, theirs[k]![e]!, `epoch ${e} ${k}`));
  }
});
