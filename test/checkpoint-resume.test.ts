import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { fileCheckpointer } from '../src/models/checkpoint/files.js';
import { parseExact, stringifyExact } from '../src/models/checkpoint/encoding.js';
import { seededLayers } from '../src/models/checkpoint/state.js';
import { data, makeModel, weightBytes } from './fixtures/checkpoint-model.js';

/**
 * What fit's checkpoints keep besides weights and optimizer state: the generators of seeded
 * dropout and gaussianNoise layers, and csvLogger's file. The oracle is the same run never
 * interrupted: same weight bytes, same history, same CSV text.
 */

const root = mkdtempSync(join(tmpdir(), 'sinew-resume-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `run-${++dirs}`);

const crash = () => {
  throw new Error('crash');
};

// ---------------------------------------------------------------------------------------
// Seeded dropout and gaussianNoise

/**
 * Noise (3 units: 5 · 3 = 15 normal draws per batch of 5, an odd number, so that Box–Muller's
 * spare value is pending between batches) then dropout, both with seeds of their own.
 */
function noisyModel(initSeed: number, seeded = { noise: true, dropout: true }): sn.Model {
  sn.setSeed(initSeed);
  const model = sn.sequential({
    layers: [
      sn.layers.dense({ units: 3, activation: 'tanh', inputShape: [3] }),
      sn.layers.gaussianNoise({ stddev: 0.5, ...(seeded.noise ? { seed: 11 } : {}) }),
      sn.layers.dropout({ rate: 0.4, ...(seeded.dropout ? { seed: 7 } : {}) }),
      sn.layers.dense({ units: 1 }),
    ],
  });
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
  return model;
}

const NOISY = { epochs: 3, batchSize: 5 }; // 8 steps per epoch

async function fitNoisy(
  model: sn.Model,
  dir?: string,
  crashAtStep?: number,
): Promise<{ history: sn.History; steps: number }> {
  const { x, y } = data();
  let steps = 0;
  const history = await model.fit(x, y, {
    ...NOISY,
    seed: 42,
    verbose: 0,
    callbacks: [{ onBatchEnd: async () => void (++steps === crashAtStep && crash()) }],
    ...(dir ? { checkpoint: { dir, every: 3 } } : {}),
  });
  return { history, steps };
}

test('seeded dropout and gaussianNoise: a resumed fit draws the same masks and noise', async () => {
  // Both seeded, then each alone (the other on the global generator), so that each layer's
  // generator is shown to be restored.
  const cases = [
    { noise: true, dropout: true },
    { noise: true, dropout: false },
    { noise: false, dropout: true },
  ];
  for (const seeded of cases) {
    const expected = noisyModel(1, seeded);
    const reference = await fitNoisy(expected);
    const dir = freshDir();
    // Crash after step 14 (epoch 1, batch 6); the last checkpoint is after step 12.
    await assert.rejects(fitNoisy(noisyModel(1, seeded), dir, 14), /crash/);
    const saved = await fileCheckpointer.load(dir, noisyModel(1, seeded));
    assert.equal(saved?.state.epoch, 1);
    assert.equal(saved?.state.step, 4);
    // Auto names carry this process's counters ('dropout_3'): the classes, in model order.
    assert.deepEqual(
      saved?.state.layerRngs.map((l) => l.className),
      [...(seeded.noise ? ['GaussianNoise'] : []), ...(seeded.dropout ? ['Dropout'] : [])],
    );
    // A new model (other initial weights, fresh generators at their seeds) resumes.
    const model = noisyModel(99, seeded);
    const resumed = await fitNoisy(model, dir);
    const what = JSON.stringify(seeded);
    assert.equal(resumed.steps, 24 - 12, what);
    assert.deepEqual(weightBytes(model), weightBytes(expected), what);
    assert.deepEqual(resumed.history.history, reference.history.history, what);
  }
});

test('a checkpoint whose seeded layers differ from the model is a SerializationError', async () => {
  const dir = freshDir();
  await fitNoisy(noisyModel(1), dir);
  // The dropout without a seed: one seeded layer instead of two.
  const other = noisyModel(1, { noise: true, dropout: false });
  await assert.rejects(
    fitNoisy(other, dir),
    (e: unknown) =>
      e instanceof sn.SerializationError &&
      /its seeded layers \(those with a generator of their own\) are \[GaussianNoise '[a-z_0-9]+', Dropout '[a-z_0-9]+'\], the model's \[GaussianNoise '[a-z_0-9]+'\]/.test(
        e.message,
      ),
  );
  // Nothing was restored: the model keeps its own initial weights.
  assert.deepEqual(weightBytes(other), weightBytes(noisyModel(1, { noise: true, dropout: false })));
});

test('a checkpoint without layer generators (earlier sinew) resumes with a warning', async () => {
  const dir = freshDir();
  await assert.rejects(fitNoisy(noisyModel(1), dir, 4), /crash/);
  const index = join(dir, 'checkpoint.json');
  // What an earlier sinew wrote: version 1, no checksums, no data fingerprint, no generators.
  const json = parseExact(readFileSync(index, 'utf8')) as Record<string, unknown> & {
    state: Record<string, unknown>;
  };
  json.version = 1;
  delete json.sha256;
  delete json.dataSha256;
  delete json.state.data;
  delete json.state.layerRngs;
  writeFileSync(index, stringifyExact(json));
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => void warnings.push(message);
  const model = noisyModel(1);
  try {
    const loaded = await fileCheckpointer.load(dir, model);
    loaded!.restore();
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /earlier sinew \(checkpoint version 1\).*cannot be verified/);
  assert.match(warnings[1]!, /does not hold the generators of seeded layers/);
  // The layers keep the generators they had (fresh: at their seeds).
  const own = model.layers.map((l) => (l as Partial<sn.layers.Dropout>).getRandomState?.());
  assert.deepEqual(own, [
    undefined,
    new sn.Random(11).getState(),
    new sn.Random(7).getState(),
    undefined,
  ]);
});

// ---------------------------------------------------------------------------------------
// csvLogger

const CSV_EPOCHS = 4;

/** A 4-epoch fit (5 steps each) logging to `file`, checkpointed in `dir` when given. */
async function fitLogged(
  file: string,
  options: {
    dir?: string;
    append?: boolean;
    crash?: { epochEnd?: number; step?: number };
  } = {},
): Promise<sn.History> {
  const { x, y } = data();
  const model = makeModel(1);
  let steps = 0;
  return model.fit(x, y, {
    epochs: CSV_EPOCHS,
    batchSize: 8,
    seed: 5,
    verbose: 0,
    validationData: [x, y],
    callbacks: [
      {
        onBatchEnd: async () => void (++steps === options.crash?.step && crash()),
      },
      sn.callbacks.csvLogger(file, { append: options.append ?? false }),
      // After csvLogger wrote the epoch's row, before fit saves the epoch's checkpoint.
      { onEpochEnd: async (epoch) => void (epoch === options.crash?.epochEnd && crash()) },
    ],
    ...(options.dir ? { checkpoint: { dir: options.dir, every: 2 } } : {}),
  });
}

test('csvLogger: a fit interrupted after epoch 2 of 4 and resumed writes the same file', async () => {
  const expectedFile = join(root, 'expected.csv');
  const history = await fitLogged(expectedFile);
  const expected = readFileSync(expectedFile, 'utf8');
  // The oracle's shape: a header and one row per epoch, holding the logged numbers.
  const lines = expected.split('\n');
  assert.equal(lines.length, CSV_EPOCHS + 2);
  assert.equal(lines[0], 'epoch,loss,regularization_loss,val_loss,val_regularization_loss');
  assert.equal(
    lines[4],
    `3,${history.history.loss![3]},${history.history.regularization_loss![3]},${history.history.val_loss![3]},${history.history.val_regularization_loss![3]}`,
  );
  assert.equal(lines[5], '');

  // (a) Killed at the end of epoch 3, after its row was written but before its checkpoint:
  // the resumed fit runs epoch 3 again and must not log it twice. (b) Killed in epoch 3
  // after its 3rd batch (the checkpoint after its 2nd batch): the row of epoch 3 comes once.
  for (const crashAt of [{ epochEnd: 2 }, { step: 13 }]) {
    const file = join(root, `resumed-${++dirs}.csv`);
    const dir = freshDir();
    await assert.rejects(fitLogged(file, { dir, crash: crashAt }), /crash/);
    const cut = readFileSync(file, 'utf8');
    assert.equal(cut, lines.slice(0, crashAt.epochEnd === 2 ? 4 : 3).join('\n') + '\n');
    await fitLogged(file, { dir });
    assert.equal(readFileSync(file, 'utf8'), expected, JSON.stringify(crashAt));
  }
  // The finished run started again trains nothing and leaves the whole log in place.
  const file = join(root, `finished-${++dirs}.csv`);
  const dir = freshDir();
  await fitLogged(file, { dir });
  await fitLogged(file, { dir });
  assert.equal(readFileSync(file, 'utf8'), expected);
});

test('csvLogger append: a resumed fit keeps the earlier contents and its own rows', async () => {
  const earlier = 'epoch,loss\n0,1\n';
  const expectedFile = join(root, 'append-expected.csv');
  writeFileSync(expectedFile, earlier);
  await fitLogged(expectedFile, { append: true });
  const expected = readFileSync(expectedFile, 'utf8');
  assert.ok(expected.startsWith(`${earlier}0,`), 'no second header');
  assert.equal(expected.split('\n').length, 2 + CSV_EPOCHS + 1);

  const file = join(root, 'append-resumed.csv');
  writeFileSync(file, earlier);
  const dir = freshDir();
  await assert.rejects(fitLogged(file, { dir, append: true, crash: { epochEnd: 1 } }), /crash/);
  await fitLogged(file, { dir, append: true });
  assert.equal(readFileSync(file, 'utf8'), expected);
});

test('csvLogger: a resumed fit whose log file lost its rows is a ConfigError', async () => {
  const file = join(root, `lost-${++dirs}.csv`);
  const dir = freshDir();
  await assert.rejects(fitLogged(file, { dir, crash: { epochEnd: 2 } }), /crash/);
  writeFileSync(file, 'epoch,loss\n'); // rewritten since
  await assert.rejects(
    fitLogged(file, { dir }),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /csvLogger: the checkpoint recorded ".*lost-\d+\.csv" with \d+ bytes ending in the row "1,.*", but the file no longer holds them/.test(
        e.message,
      ),
  );
  rmSync(file);
  await assert.rejects(fitLogged(file, { dir }), /the file no longer holds them/);
});

test('seededLayers finds seeded layers in nested models, in the order of the weights', () => {
  const noise = sn.layers.gaussianNoise({ stddev: 0.1, seed: 2 });
  const drop = sn.layers.dropout({ rate: 0.5, seed: 1 });
  const inner = sn.sequential({
    layers: [
      sn.layers.dense({ units: 3, inputShape: [3] }),
      drop,
      sn.layers.dropout({ rate: 0.5 }),
    ],
  });
  const x = sn.input({ shape: [3] });
  const h = inner.apply(noise.apply(x) as sn.SymbolicTensor) as sn.SymbolicTensor;
  const model = sn.model({ inputs: x, outputs: sn.layers.dense({ units: 1 }).apply(h) });
  // The unseeded dropout has no generator of its own: the global one covers it.
  assert.deepEqual(seededLayers(model), [noise, drop]);
});
