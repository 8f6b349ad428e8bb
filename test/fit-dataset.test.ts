import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { weightBytes } from './fixtures/checkpoint-model.js';
import { lcg } from './helpers.js';

/**
 * model.fitDataset against its oracle, model.fit on the same batches: the lab's autoencoder
 * (784 → 256 sigmoid → 784 sigmoid, L1 activity penalty on the code, Adam) ends with the same
 * weights, bit for bit, the same per-batch and per-epoch logs (regularization_loss and val_
 * entries too). And a fitDataset interrupted mid-stream, then started again from its
 * checkpoint, ends as the run never interrupted.
 */

const root = mkdtempSync(join(tmpdir(), 'sinew-fit-dataset-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `run-${++dirs}`);

function autoencoder(): sn.Sequential {
  const model = sn.sequential({
    layers: [
      sn.layers.dense({
        units: 256,
        activation: 'sigmoid',
        inputShape: [784],
        kernelInitializer: sn.initializers.glorotUniform({ seed: 1 }),
        activityRegularizer: sn.regularizers.l1({ l1: 1e-5 }),
      }),
      sn.layers.dense({
        units: 784,
        activation: 'sigmoid',
        kernelInitializer: sn.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });
  return model;
}

/** 20 rows of 784 pixels in [0, 1]: batches of 8 give 8, 8 and a last batch of 4. */
function pixels(seed: number, n = 20): number[][] {
  const flat = lcg(n * 784, seed, 0, 1);
  return Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * 784, (i + 1) * 784)));
}

test('fitDataset on the autoencoder matches fit on the same batches, step for step', async () => {
  const rows = pixels(3);
  const val = pixels(4, 10);
  const x = sn.tensor(rows);
  const vx = sn.tensor(val);
  const batchLosses = (into: number[][]) => ({
    onBatchEnd: async (_: number, logs?: sn.Logs) =>
      void into.push([logs!['loss']!, logs!['regularization_loss']!]),
  });

  const fitted: number[][] = [];
  const reference = autoencoder();
  const expected = await reference.fit(x, x, {
    epochs: 3,
    batchSize: 8,
    shuffle: false,
    seed: 5,
    verbose: 0,
    validationData: [vx, vx],
    callbacks: [batchLosses(fitted)],
  });

  const streamed: number[][] = [];
  const model = autoencoder();
  const pairs = (r: number[][]) => sn.data.array(r).map((p) => ({ xs: p, ys: p }));
  const history = await model.fitDataset(pairs(rows).batch(8), {
    epochs: 3,
    seed: 5,
    verbose: 0,
    validationData: pairs(val).batch(8),
    callbacks: [batchLosses(streamed)],
  });

  assert.equal(streamed.length, 9); // 3 epochs of 3 batches
  assert.deepEqual(streamed, fitted);
  assert.deepEqual(history.history, expected.history);
  assert.ok(history.history['regularization_loss']!.every((r) => r > 0));
  assert.deepEqual(Object.keys(history.history).sort(), [
    'loss',
    'regularization_loss',
    'val_loss',
    'val_regularization_loss',
  ]);
  assert.ok(weightBytes(model).equals(weightBytes(reference)));
  // evaluateDataset agrees with evaluate on the same batches.
  assert.deepEqual(
    await model.evaluateDataset(pairs(val).batch(8)),
    model.evaluate(vx, vx, { batchSize: 8 }),
  );
});

// ---------------------------------------------------------------------------------------
// Resume

function smallModel(): sn.Sequential {
  sn.setSeed(11);
  const model = sn.sequential({
    layers: [
      sn.layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }),
      sn.layers.dropout({ rate: 0.3 }),
      sn.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
  return model;
}

/** 30 samples, shuffled through a buffer of 7 with a seed (a new order each pass). */
function stream(repeat: boolean): sn.data.Dataset<unknown> {
  const items = Array.from({ length: 30 }, (_, i) => {
    const x = [Math.sin(i), Math.cos(2 * i), (i % 7) / 7];
    return { xs: x, ys: [x[0]! - 2 * x[1]! + x[2]!] };
  });
  const ds = sn.data.array(items).shuffle(7, { seed: 3 });
  return (repeat ? ds.repeat() : ds).batch(4); // 8 batches per pass, the last of 2
}

const crash = () => {
  throw new Error('crash');
};

async function run(
  options: sn.FitDatasetOptions,
  repeat: boolean,
  dir?: string,
  crashAt?: number,
): Promise<{ model: sn.Model; history: sn.History; steps: number }> {
  const model = smallModel();
  let steps = 0;
  const history = await model.fitDataset(stream(repeat), {
    ...options,
    seed: 9,
    verbose: 0,
    callbacks: [{ onBatchEnd: async () => void (++steps === crashAt && crash()) }],
    ...(dir ? { checkpoint: { dir, every: 3 } } : {}),
  });
  return { model, history, steps };
}

// Checkpoints every 3 steps (within each epoch without batchesPerEpoch, counted from the
// first epoch with it) and at each epoch's end; a crash in onBatchEnd comes before that
// step's save. [crash after step, steps the resumed run trains].
for (const [name, options, repeat, total, crashes] of [
  // 8 steps per epoch: step 12 is epoch 1's 4th (saved at its 3rd: 24 - 11 = 13 left);
  // step 11 is its 3rd (saved at the end of epoch 0: 16 left).
  [
    'one pass per epoch',
    { epochs: 3 },
    false,
    24,
    [
      [12, 13],
      [11, 16],
    ],
  ],
  // 5 steps per epoch: step 8 is epoch 1's 3rd (saved after step 6: 9 left), step 11 is
  // epoch 2's 1st (saved at the end of epoch 1: 5 left).
  [
    'batchesPerEpoch over a repeated stream',
    { epochs: 3, batchesPerEpoch: 5 },
    true,
    15,
    [
      [8, 9],
      [11, 5],
    ],
  ],
] as const) {
  test(`a resumed fitDataset continues where the stream stopped (${name})`, async () => {
    const reference = await run(options, repeat);
    assert.equal(reference.steps, total);
    for (const [crashAt, left] of crashes) {
      const dir = freshDir();
      await assert.rejects(run(options, repeat, dir, crashAt), /crash/);
      const resumed = await run(options, repeat, dir);
      assert.equal(resumed.steps, left);
      assert.deepEqual(resumed.history.history, reference.history.history);
      assert.ok(weightBytes(resumed.model).equals(weightBytes(reference.model)));
    }
  });
}

test('fitDataset: a checkpoint needs a dataset that can save its place; fit checkpoints are refused', async () => {
  const model = smallModel();
  const plain = {
    async iterator() {
      return (async function* () {})();
    },
  };
  await assert.rejects(
    model.fitDataset(plain, { checkpoint: { dir: freshDir() }, verbose: 0 }),
    (e: Error) => e instanceof sn.ConfigError && /getState\/setState/.test(e.message),
  );
  const dir = freshDir();
  await model.fit(sn.tensor([[1, 2, 3]]), sn.tensor([[1]]), { verbose: 0, checkpoint: { dir } });
  await assert.rejects(
    smallModel().fitDataset(stream(false), { verbose: 0, checkpoint: { dir } }),
    (e: Error) => e instanceof sn.SerializationError && /written by fit/.test(e.message),
  );
  const streamDir = freshDir();
  await smallModel().fitDataset(stream(false), { verbose: 0, checkpoint: { dir: streamDir } });
  await assert.rejects(
    smallModel().fit(sn.tensor([[1, 2, 3]]), sn.tensor([[1]]), {
      verbose: 0,
      checkpoint: { dir: streamDir },
    }),
    (e: Error) => e instanceof sn.SerializationError && /written by fitDataset/.test(e.message),
  );
  await assert.rejects(
    model.fitDataset(stream(false), { batchPerEpoch: 2 } as never),
    (e: Error) => e instanceof sn.ConfigError && /unknown option "batchPerEpoch"/.test(e.message),
  );
  await assert.rejects(
    model.fitDataset(sn.data.array([1, 2]).batch(2), { verbose: 0 }),
    (e: Error) => e instanceof sn.ConfigError && /batch \{ xs, ys \}/.test(e.message),
  );
});

test('fitDataset with batchesPerEpoch warns and stops when the stream runs out', async () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    const { history, steps } = await run({ epochs: 3, batchesPerEpoch: 5 }, false);
    assert.equal(steps, 8); // 5, then the 3 left of the one pass
    assert.equal(history.history['loss']!.length, 2);
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /ran out after 3 batches/);
});
