import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sn from '../src/index.js';
import { fileCheckpointer } from '../src/models/checkpoint/files.js';
import { parseExact, stringifyExact } from '../src/models/checkpoint/encoding.js';
import { Metric } from '../src/metrics/metric.js';
import type { JsonValue } from '../src/serialization.js';
import {
  BATCH_SIZE,
  EPOCHS,
  SAMPLES,
  STEPS,
  data,
  makeModel,
  run,
  weightBytes,
} from './fixtures/checkpoint-model.js';

/**
 * fit's `checkpoint` option and sn.callbacks.modelCheckpoint. The oracle for a resumed run is
 * the same run never interrupted: the final weights must be the same bytes, the logged
 * losses the same numbers.
 */

const STEPS_PER_EPOCH = Math.ceil(SAMPLES / BATCH_SIZE);
const root = mkdtempSync(join(tmpdir(), 'sinew-checkpoint-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `run-${++dirs}`);

const reference = run();

test('a fit interrupted mid-epoch and started again resumes and ends bit-identical', async () => {
  const { model: expected, history: expectedHistory } = await reference;
  const dir = freshDir();
  // Crash (an exception out of fit) after global step 13 = epoch 2, batch 2; the last
  // checkpoint (every 2 steps) is after step 12: epoch 2 with 2 of its 5 batches done.
  let seen = 0;
  await assert.rejects(
    run({
      dir,
      every: 2,
      callbacks: [
        {
          onBatchEnd: async () => {
            if (++seen === 13) throw new Error('crash');
          },
        },
      ],
    }),
    /crash/,
  );
  const loaded = await fileCheckpointer.load(dir, makeModel(1));
  assert.equal(loaded?.state.epoch, 2);
  assert.equal(loaded?.state.step, 2);

  // A new model with other initial weights: everything must come from the checkpoint.
  let batches = 0;
  const { model, history } = await run({
    dir,
    every: 2,
    initSeed: 99,
    callbacks: [{ onBatchEnd: async () => void (batches += 1) }],
  });
  assert.equal(batches, STEPS - 12, 'the resumed fit runs only the steps after the checkpoint');
  assert.deepEqual(weightBytes(model), weightBytes(expected));
  assert.deepEqual(history.epoch, expectedHistory.epoch);
  // Every epoch's logged loss, the interrupted one included, is the same number.
  assert.deepEqual(history.history, expectedHistory.history);
  assert.equal(expectedHistory.epoch.length, EPOCHS);
  // reduceLROnPlateau (patience 0, minDelta 10: only the first epoch improves on +Infinity)
  // halves the rate at the end of epochs 1 and 2; the fresh optimizer (0.05) got the 0.025 of
  // the checkpoint.
  assert.deepEqual(history.history.learning_rate, [0.05, 0.05, 0.025]);
  assert.equal(model.compiled!.optimizer.learningRate, 0.0125);
});

test('a finished run started again restores its final state without training', async () => {
  const { model: expected, history: expectedHistory } = await reference;
  const dir = freshDir();
  await run({ dir, every: 'epoch' });
  let batches = 0;
  const { model, history } = await run({
    dir,
    initSeed: 5,
    callbacks: [{ onBatchEnd: async () => void (batches += 1) }],
  });
  assert.equal(batches, 0);
  assert.deepEqual(weightBytes(model), weightBytes(expected));
  assert.deepEqual(history.history, expectedHistory.history);
});

/** A running-mean metric with getState/setState, as a user may write one. */
class MeanPrediction extends Metric {
  readonly name = 'mean_prediction';
  #sum = 0;
  #count = 0;
  update(_yTrue: sn.Tensor, yPred: sn.Tensor): void {
    for (const v of yPred.dataSync()) {
      this.#sum += v;
      this.#count += 1;
    }
  }
  result(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }
  reset(): void {
    this.#sum = 0;
    this.#count = 0;
  }
  override getState(): JsonValue {
    return { sum: this.#sum, count: this.#count };
  }
  override setState(state: JsonValue): void {
    const s = state as { sum: number; count: number };
    this.#sum = s.sum;
    this.#count = s.count;
  }
}

test('metrics with getState/setState log the same value for an epoch resumed mid-way', async () => {
  const { x, y } = data();
  const fit = async (dir: string | undefined, crashAt?: number) => {
    const model = makeModel(1);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [new MeanPrediction()] });
    let seen = 0;
    return model.fit(x, y, {
      epochs: 2,
      batchSize: BATCH_SIZE,
      seed: 3,
      verbose: 0,
      callbacks: [
        {
          onBatchEnd: async () => {
            if (++seen === crashAt) throw new Error('crash');
          },
        },
      ],
      ...(dir ? { checkpoint: { dir, every: 1 } } : {}),
    });
  };
  const expected = await fit(undefined);
  const dir = freshDir();
  await assert.rejects(fit(dir, STEPS_PER_EPOCH + 3), /crash/);
  const resumed = await fit(dir);
  assert.deepEqual(resumed.history, expected.history);
});

test('fit refuses a checkpoint written for other data, naming both', async () => {
  const dir = freshDir();
  await run({ dir, every: 'epoch' });
  const { x, y } = data();
  const model = makeModel(1);
  await assert.rejects(
    model.fit(x, y, { epochs: EPOCHS, batchSize: 4, verbose: 0, checkpoint: { dir } }),
    /40 samples in batches of 8, but this fit has 40 samples in batches of 4/,
  );
  await assert.rejects(
    model.fit(x, y, { verbose: 0, checkpoint: { dir, every: 0 } }),
    /every must be 'epoch' or a number of steps/,
  );
});

/** Runs the training script in a child process; resolves with its stdout and exit signal. */
function child(
  dir: string,
  out: string,
  env: Record<string, string> = {},
  killAfter?: string,
): Promise<{ stdout: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('fixtures/checkpoint-train.ts', import.meta.url)),
        dir,
        out,
      ],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let stdout = '';
    p.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAfter !== undefined && stdout.includes(`${killAfter}\n`)) p.kill('SIGKILL');
    });
    p.on('error', reject);
    p.on('close', (_code, signal) => resolve({ stdout, signal }));
  });
}

test('a child killed with SIGKILL mid-epoch and restarted ends bit-identical', async () => {
  const { model: expected } = await reference;
  const dir = freshDir();
  const out = join(root, 'killed.bin');
  // Paused after epoch 1, batch 2 (its checkpoint not yet written), then killed.
  const killed = await child(dir, out, { PAUSE_AT: '1 2' }, 'step 1 2');
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok(!killed.stdout.includes('done'));
  const restarted = await child(dir, out);
  assert.equal(restarted.signal, null);
  // The last checkpoint was after epoch 1, batch 1: 5 + 2 = 7 steps done.
  assert.match(restarted.stdout, new RegExp(`done ${STEPS - 7}\\n`));
  assert.match(restarted.stdout, /^step 1 2\n/);
  assert.deepEqual(readFileSync(out), weightBytes(expected));
});

test('a child killed while writing a checkpoint leaves the previous one, and resumes', async () => {
  const { model: expected } = await reference;
  const dir = freshDir();
  const out = join(root, 'crashed.bin');
  // The 4th save (after batch 3 of epoch 0) dies between writing and renaming checkpoint.json.
  const crashed = await child(dir, out, { SINEW_TEST_CRASH_IN_CHECKPOINT_WRITE: '4' });
  assert.equal(crashed.signal, 'SIGKILL');
  assert.match(crashed.stdout, /step 0 3\n$/);
  const files = readdirSync(dir);
  assert.ok(
    files.some((f) => f.startsWith('.checkpoint.json.') && f.endsWith('.tmp')),
    files.join(),
  );
  // The 3rd checkpoint (3 batches done) still loads, into a fresh model.
  const loaded = await fileCheckpointer.load(dir, makeModel(3));
  assert.equal(loaded?.state.epoch, 0);
  assert.equal(loaded?.state.step, 3);
  const restarted = await child(dir, out);
  assert.match(restarted.stdout, new RegExp(`done ${STEPS - 3}\\n`));
  assert.deepEqual(readFileSync(out), weightBytes(expected));
  // The leftovers of the killed write are gone once a new checkpoint is committed.
  const after = readdirSync(dir);
  assert.equal(after.filter((f) => f.endsWith('.tmp')).length, 0, after.join());
  assert.equal(after.filter((f) => f.endsWith('.bin')).length, 1, after.join());
});

test('checkpoint JSON keeps NaN, ±Infinity and -0', () => {
  const value = { a: [NaN, Infinity, -Infinity, -0, 0, 0.1 + 0.2, 1e-310], b: { $x: 1 } };
  const back = parseExact(stringifyExact(value)) as typeof value;
  assert.deepEqual(back, value);
  assert.ok(Object.is(back.a[3], -0));
});

test('earlyStopping restores its counters and best weights from its state', async () => {
  const model = makeModel(1);
  const best = weightBytes(model);
  const es = sn.callbacks.earlyStopping({ monitor: 'loss', patience: 5, restoreBestWeights: true });
  es.setModel(model);
  await es.onTrainBegin();
  await es.onEpochEnd(0, { loss: 2 });
  model.setWeights(model.getWeights().map((w) => sn.add(w, 1)));
  await es.onEpochEnd(1, { loss: 3 });
  const state = parseExact(stringifyExact(es.getState())) as JsonValue;

  const again = sn.callbacks.earlyStopping({
    monitor: 'loss',
    patience: 5,
    restoreBestWeights: true,
  });
  again.setModel(model);
  await again.onTrainBegin();
  again.setState(state);
  assert.equal(again.wait, 1);
  assert.equal(again.best, 2);
  assert.equal(again.bestEpoch, 0);
  await again.onTrainEnd();
  assert.deepEqual(weightBytes(model), best);
  assert.throws(() => again.setState({ wait: 1 }), /earlyStopping.setState: expected/);
});

/** Reads the weights of a model directory written by modelCheckpoint. */
async function savedWeights(dir: string): Promise<Buffer> {
  return weightBytes(await sn.io.load(dir));
}

test('modelCheckpoint with saveBestOnly saves exactly the epochs that improve', async () => {
  const { x, y } = data();
  const model = makeModel(1);
  const dir = freshDir();
  // A callback before modelCheckpoint logs a scripted 'score'; after it, one records the
  // weights at each epoch's end.
  const scores = [5, 3, 4, 2, 2];
  const atEpochEnd: Buffer[] = [];
  await model.fit(x, y, {
    epochs: scores.length,
    batchSize: BATCH_SIZE,
    verbose: 0,
    callbacks: [
      { onEpochEnd: async (epoch, logs) => void (logs!.score = scores[epoch]!) },
      sn.callbacks.modelCheckpoint({
        path: join(dir, 'ep{epoch:02d}-{score:.1f}'),
        monitor: 'score',
        mode: 'min',
        saveBestOnly: true,
      }),
      { onEpochEnd: async () => void atEpochEnd.push(weightBytes(model)) },
    ],
  });
  // Improvements (strict, as Keras): 5 (epoch 1), 3 (epoch 2), 2 (epoch 4); not 4, not 2 again.
  assert.deepEqual(readdirSync(dir).sort(), ['ep01-5.0', 'ep02-3.0', 'ep04-2.0']);
  assert.deepEqual(await savedWeights(join(dir, 'ep02-3.0')), atEpochEnd[1]);
  assert.deepEqual(await savedWeights(join(dir, 'ep04-2.0')), atEpochEnd[3]);
});

test('modelCheckpoint with a number saveFreq saves every k batches, across epochs', async () => {
  const { x, y } = data();
  const model = makeModel(1);
  const dir = freshDir();
  const atBatchEnd = new Map<string, Buffer>();
  let epochNow = 0;
  await model.fit(x, y, {
    epochs: 2,
    batchSize: 16, // 3 batches per epoch
    verbose: 0,
    callbacks: [
      { onEpochBegin: async (epoch) => void (epochNow = epoch) },
      sn.callbacks.modelCheckpoint({ path: join(dir, '{epoch}-{batch}'), saveFreq: 2 }),
      {
        onBatchEnd: async (batch) =>
          void atBatchEnd.set(`${epochNow + 1}-${batch + 1}`, weightBytes(model)),
      },
    ],
  });
  // Batches 2, 4 and 6 of the run: epoch 1 batch 2, epoch 2 batches 1 and 3.
  assert.deepEqual(readdirSync(dir).sort(), ['1-2', '2-1', '2-3']);
  for (const name of ['1-2', '2-1', '2-3']) {
    assert.deepEqual(await savedWeights(join(dir, name)), atBatchEnd.get(name), name);
  }
  assert.throws(
    () => sn.callbacks.modelCheckpoint({ path: 'x', saveFreq: 0 }),
    /saveFreq must be 'epoch' or a number of batches/,
  );
});

test('modelCheckpoint keeps its best value across a resumed fit', async () => {
  const { x, y } = data();
  const dir = freshDir();
  const models = join(dir, 'models');
  const scores = [3, 1, 2, 0.5];
  const fit = (crashAt?: number) => {
    const model = makeModel(1);
    let seen = 0;
    return model.fit(x, y, {
      epochs: scores.length,
      batchSize: BATCH_SIZE,
      verbose: 0,
      seed: 1,
      checkpoint: { dir: join(dir, 'state') },
      callbacks: [
        {
          onEpochEnd: async (epoch, logs) => {
            logs!.score = scores[epoch]!;
            if (++seen === crashAt) throw new Error('crash');
          },
        },
        sn.callbacks.modelCheckpoint({
          path: join(models, '{epoch}'),
          monitor: 'score',
          saveBestOnly: true,
        }),
      ],
    });
  };
  // Crash at the end of epoch 3 (score 2, before modelCheckpoint sees it); the checkpoint of
  // epoch 2 holds best = 1, so epoch 3 (2) does not save after the resume and epoch 4 (0.5) does.
  await assert.rejects(fit(3), /crash/);
  await fit();
  assert.deepEqual(readdirSync(models).sort(), ['1', '2', '4']);
});

test('built-in metrics log the same values for an epoch resumed mid-way', async () => {
  const { x, y } = data();
  const labels = sn.cast(sn.greater(y, 0), 'float32');
  const fit = async (dir: string | undefined, crashAt?: number) => {
    const model = makeModel(1);
    model.compile({
      optimizer: 'adam',
      loss: 'mse',
      metrics: [
        'accuracy',
        'mae',
        'precision',
        'auc',
        new sn.metrics.AutoAccuracy({ name: 'auto' }),
      ],
    });
    let seen = 0;
    return model.fit(x, labels, {
      epochs: 2,
      batchSize: BATCH_SIZE,
      seed: 3,
      verbose: 0,
      callbacks: [{ onBatchEnd: async () => void (++seen === crashAt && fail()) }],
      ...(dir ? { checkpoint: { dir, every: 1 } } : {}),
    });
  };
  const fail = () => {
    throw new Error('crash');
  };
  const expected = await fit(undefined);
  const dir = freshDir();
  await assert.rejects(fit(dir, STEPS_PER_EPOCH + 3), /crash/);
  const resumed = await fit(dir);
  assert.deepEqual(resumed.history, expected.history);
  assert.deepEqual(Object.keys(expected.history).sort(), [
    'accuracy',
    'auc',
    'auto',
    'loss',
    'mae',
    'precision',
    'regularization_loss',
  ]);
});
