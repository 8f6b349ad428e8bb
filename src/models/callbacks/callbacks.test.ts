import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../../index.js';
import { Dense } from '../../layers/dense.js';
import { schedules, sgd } from '../../optimizers/index.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Callback, type Logs, type TrainingParams } from '../callback.js';
import {
  CallbackList,
  csvLogger,
  earlyStopping,
  lambdaCallback,
  learningRateScheduler,
  reduceLROnPlateau,
  resolveMode,
  terminateOnNaN,
  type CallbackLike,
} from './index.js';
import type { Model } from '../model.js';

// The callbacks are driven by a tiny scripted loop instead of fit: a stand-in model whose
// weights are a real Dense layer's (so getWeights snapshots behave as in fit), a real SGD
// optimizer, and per-epoch logs written by the test.

class FakeModel {
  stopTraining = false;
  readonly layer = new Dense({ units: 2 });
  readonly compiled: { optimizer: Optimizer };
  constructor(optimizer: Optimizer = sgd({ learningRate: 1 })) {
    this.layer.apply(sn.ones([1, 3]));
    this.compiled = { optimizer };
  }
  getWeights(): Tensor[] {
    return this.layer.getWeights();
  }
  setWeights(ws: readonly Tensor[]): void {
    this.layer.setWeights(ws);
  }
  /** A stand-in for one training step: every kernel entry becomes `value`. */
  train(value: number): void {
    this.layer.weights[0]!.assign(sn.fill([3, 2], value));
  }
  kernel(): number[] {
    return Array.from(this.layer.weights[0]!.dataSync());
  }
  get lr(): number {
    return this.compiled.optimizer.learningRate as number;
  }
}

interface RunResult {
  /** Epochs that ran to their end. */
  epochs: number;
  /** The logs each epoch ended with (as the callbacks left them). */
  logs: Logs[];
  /** The learning rate in force during each epoch (read after onEpochBegin). */
  lrs: number[];
}

/**
 * fit's hook order, without fit: onTrainBegin; per epoch onEpochBegin, `steps` batches of
 * (onBatchBegin, a training step, onBatchEnd), onEpochEnd; onTrainEnd. The step after epoch e,
 * batch b sets every kernel entry to 10 + e + 100·b (NaN when the batch's loss is not finite). Stops after a
 * batch or an epoch when model.stopTraining is set, as fit does.
 */
async function run(
  callbacks: CallbackLike | CallbackLike[],
  epochLogs: Logs[],
  model = new FakeModel(),
  opts: { steps?: number; batchLoss?: (epoch: number, batch: number) => number } = {},
): Promise<RunResult> {
  const steps = opts.steps ?? 1;
  const list = new CallbackList(callbacks);
  const params: TrainingParams = {
    epochs: epochLogs.length,
    initialEpoch: 0,
    steps,
    samples: steps * 4,
    batchSize: 4,
    verbose: 0,
    doValidation: true,
    metrics: Object.keys(epochLogs[0] ?? {}),
  };
  list.setModel(model as unknown as Model);
  list.setParams(params);
  model.stopTraining = false;
  const result: RunResult = { epochs: 0, logs: [], lrs: [] };
  await list.onTrainBegin();
  for (let epoch = 0; epoch < epochLogs.length && !model.stopTraining; epoch++) {
    await list.onEpochBegin(epoch);
    result.lrs.push(model.compiled.optimizer.currentLearningRate());
    for (let batch = 0; batch < steps && !model.stopTraining; batch++) {
      await list.onBatchBegin(batch, { batch, size: 4 });
      const loss = opts.batchLoss?.(epoch, batch) ?? 1;
      model.train(Number.isFinite(loss) ? 10 + epoch + 100 * batch : NaN);
      await list.onBatchEnd(batch, { batch, size: 4, loss });
    }
    const logs = { ...epochLogs[epoch] };
    await list.onEpochEnd(epoch, logs);
    result.logs.push(logs);
    result.epochs++;
  }
  await list.onTrainEnd();
  return result;
}

const losses = (...values: number[]): Logs[] => values.map((v) => ({ loss: 0, val_loss: v }));

// ---------------------------------------------------------------------------------------
// earlyStopping

test('earlyStopping (min): stops once wait reaches patience; stoppedEpoch and bestEpoch', async () => {
  // Keras: each epoch wait += 1; an improvement (current < best) resets it; a non-improving
  // epoch stops when wait >= patience. val_loss 1, .8, .9, .85, .7 with patience 2:
  // e0 best 1 (wait 0), e1 best .8 (wait 0), e2 wait 1, e3 wait 2 >= 2 -> stop at epoch 3.
  const es = earlyStopping({ patience: 2 });
  const r = await run(es, losses(1, 0.8, 0.9, 0.85, 0.7));
  assert.equal(r.epochs, 4);
  assert.equal(es.stoppedEpoch, 3);
  assert.equal(es.bestEpoch, 1);
  assert.equal(es.best, 0.8);
});

test('earlyStopping (max): auto mode maximizes accuracy-like names; explicit max', async () => {
  // val_accuracy .5, .6, .6, .7, patience 1: e2 does not beat .6 -> wait 1 >= 1 -> stop at 2.
  const acc = (...v: number[]): Logs[] => v.map((x) => ({ val_accuracy: x }));
  const es = earlyStopping({ monitor: 'val_accuracy', patience: 1 });
  assert.equal(es.mode, 'max');
  assert.equal((await run(es, acc(0.5, 0.6, 0.6, 0.7))).epochs, 3);
  assert.equal(es.stoppedEpoch, 2);
  // The same numbers minimized: e1 (.6 > .5) is already no improvement -> stop at 1.
  const min = earlyStopping({ monitor: 'val_accuracy', patience: 1, mode: 'min' });
  assert.equal((await run(min, acc(0.5, 0.6, 0.6, 0.7))).epochs, 2);
  const score = earlyStopping({ monitor: 'score', patience: 0, mode: 'max' });
  const scores = [1, 2, 3, 2].map((x) => ({ score: x }));
  assert.equal((await run(score, scores)).epochs, 4); // stops at the last epoch (3)
  assert.equal(score.stoppedEpoch, 3);
  assert.deepEqual(
    ['loss', 'val_loss', 'val_auc', 'precision', 'val_recall', 'mse'].map((m) =>
      resolveMode(m, 'auto'),
    ),
    ['min', 'min', 'max', 'max', 'max', 'min'],
  );
});

test('earlyStopping minDelta: a smaller change is no improvement (its sign is ignored)', async () => {
  // loss 1, .95, .85 with patience 1: .95 + .1 = 1.05 is not < 1 -> no improvement, stop at 1.
  for (const minDelta of [0.1, -0.1]) {
    const es = earlyStopping({ monitor: 'val_loss', minDelta, patience: 1 });
    assert.equal((await run(es, losses(1, 0.95, 0.85))).epochs, 2);
    assert.equal(es.minDelta, 0.1);
  }
  // Without minDelta .95 < 1 improves and training runs all 3 epochs.
  const plain = earlyStopping({ patience: 1 });
  assert.equal((await run(plain, losses(1, 0.95, 0.85))).epochs, 3);
  assert.equal(plain.stoppedEpoch, 0);
});

test('earlyStopping patience 0 stops at the first epoch that does not improve', async () => {
  assert.equal((await run(earlyStopping(), losses(1, 1, 0.5))).epochs, 2);
  assert.equal((await run(earlyStopping(), losses(1, 0.9, 0.95, 0.5))).epochs, 3);
});

test('earlyStopping baseline: improvements that miss the baseline do not reset wait', async () => {
  // baseline .5, patience 2, val_loss .9, .8, .8: e0 improves on inf but not on .5, so wait
  // stays 1; e1 likewise, wait 2 (an improving epoch never stops); e2 no improvement, wait 3
  // >= 2 -> stop at 2. Without baseline: e2 has wait 1 -> no stop.
  const es = earlyStopping({ baseline: 0.5, patience: 2 });
  assert.equal((await run(es, losses(0.9, 0.8, 0.8, 0.8))).epochs, 3);
  assert.equal((await run(earlyStopping({ patience: 2 }), losses(0.9, 0.8, 0.8, 0.8))).epochs, 4);
  // Flat above the baseline: e0 wait 1, e1 wait 2 and no improvement -> stop at 1.
  assert.equal(
    (await run(earlyStopping({ baseline: 0.5, patience: 2 }), losses(0.9, 0.9, 0.9))).epochs,
    2,
  );
  // Beating the baseline resets wait as usual: .4 (wait 0), .45 (1), .45 (2) -> stop at 2.
  assert.equal(
    (await run(earlyStopping({ baseline: 0.5, patience: 2 }), losses(0.4, 0.45, 0.45, 0.45)))
      .epochs,
    3,
  );
});

test('earlyStopping restoreBestWeights restores the best epoch when it stops', async () => {
  // The step of epoch e sets the kernel to 10 + e. val_loss 1, .5, .7, .8, patience 2: stops at
  // epoch 3 with best epoch 1, so the kernel goes back to 11 (without the option it stays 13).
  const model = new FakeModel();
  const es = earlyStopping({ patience: 2, restoreBestWeights: true });
  assert.equal((await run(es, losses(1, 0.5, 0.7, 0.8, 0.1), model)).epochs, 4);
  assert.equal(es.bestEpoch, 1);
  assert.deepEqual(model.kernel(), Array(6).fill(11));
  const other = new FakeModel();
  await run(earlyStopping({ patience: 2 }), losses(1, 0.5, 0.7, 0.8, 0.1), other);
  assert.deepEqual(other.kernel(), Array(6).fill(13));
});

test('earlyStopping restoreBestWeights also restores at the end of training (Keras 3)', async () => {
  // No stop (patience 5), best epoch 1 of 3 -> kernel 11, not the last epoch's 12.
  const model = new FakeModel();
  const es = earlyStopping({ patience: 5, restoreBestWeights: true });
  assert.equal((await run(es, losses(1, 0.5, 0.7), model)).epochs, 3);
  assert.equal(es.stoppedEpoch, 0);
  assert.deepEqual(model.kernel(), Array(6).fill(11));
  // The best epoch is the last one: its weights stay.
  const last = new FakeModel();
  await run(earlyStopping({ patience: 5, restoreBestWeights: true }), losses(1, 0.9, 0.8), last);
  assert.deepEqual(last.kernel(), Array(6).fill(12));
});

test('earlyStopping startFromEpoch ignores the warm-up epochs', async () => {
  // patience 0, val_loss 1, 2, 3, 3.5, 3.4: without warm-up e1 (2 > 1) stops. With
  // startFromEpoch 2, e0-e1 are ignored, e2 sets best 3, e3 (3.5) stops at epoch 3.
  const data = losses(1, 2, 3, 3.5, 3.4);
  assert.equal((await run(earlyStopping(), data)).epochs, 2);
  const es = earlyStopping({ startFromEpoch: 2, restoreBestWeights: true });
  const model = new FakeModel();
  assert.equal((await run(es, data, model)).epochs, 4);
  assert.equal(es.bestEpoch, 2);
  assert.deepEqual(model.kernel(), Array(6).fill(12));
});

test('earlyStopping: a missing monitor warns once, listing the logged keys, and never stops', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const es = earlyStopping({ monitor: 'val_loss' });
  const r = await run(es, [
    { loss: 1, acc: 0.5 },
    { loss: 2, acc: 0.4 },
    { loss: 3, acc: 0.3 },
  ]);
  assert.equal(r.epochs, 3);
  assert.equal(warn.mock.callCount(), 1);
  const message = String(warn.mock.calls[0]!.arguments[0]);
  assert.match(message, /earlyStopping: the monitored quantity 'val_loss' is not in the logs/);
  assert.match(message, /available: loss, acc/);
  assert.match(message, /validationData/);
});

test('earlyStopping can be reused: state resets at train begin', async () => {
  const es = earlyStopping({ patience: 1 });
  await run(es, losses(0.1, 0.2, 0.3));
  assert.equal(es.stoppedEpoch, 1);
  // A second run with larger losses: best restarts at +Infinity, so e0 improves.
  assert.equal((await run(es, losses(5, 4, 3))).epochs, 3);
  assert.equal(es.stoppedEpoch, 0);
  assert.equal(es.best, 3);
});

test('earlyStopping rejects bad options with ConfigError', () => {
  const cases: [unknown, RegExp][] = [
    [{ patience: -1 }, /earlyStopping: patience must be an integer >= 0, received -1/],
    [{ patience: 1.5 }, /patience must be an integer >= 0, received 1\.5/],
    [{ mode: 'maximum' }, /mode must be 'auto', 'min' or 'max', received "maximum"/],
    [{ minDelta: '0.1' }, /minDelta must be a finite number, received "0\.1" \(a string\)/],
    [{ baseline: NaN }, /baseline must be a finite number, received NaN/],
    [{ monitor: '' }, /monitor must be the name of a logged quantity/],
    [{ restoreBestWeights: 1 }, /restoreBestWeights must be true or false, received 1/],
    [{ startFromEpoch: -2 }, /startFromEpoch must be an integer >= 0/],
    [{ patients: 3 }, /unknown option "patients"; accepted options: monitor, minDelta, patience/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => earlyStopping(options as never),
      (e: unknown) => e instanceof sn.ConfigError && message.test(e.message),
    );
  }
});

// ---------------------------------------------------------------------------------------
// reduceLROnPlateau

test('reduceLROnPlateau reduces after patience epochs without improvement', async () => {
  // lr 1, factor .5, patience 2, flat val_loss: e0 improves (best 1); e1 wait 1; e2 wait 2 ->
  // lr .5, wait 0; e3 wait 1; e4 wait 2 -> lr .25; e5 wait 1.
  // The rate in force per epoch: 1, 1, 1, .5, .5, .25. Logged learning_rate is the rate used
  // during the epoch (Keras logs it before reducing): the same list.
  const model = new FakeModel(sgd({ learningRate: 1 }));
  const r = await run(
    reduceLROnPlateau({ factor: 0.5, patience: 2 }),
    losses(1, 1, 1, 1, 1, 1),
    model,
  );
  assert.deepEqual(r.lrs, [1, 1, 1, 0.5, 0.5, 0.25]);
  assert.deepEqual(
    r.logs.map((l) => l.learning_rate),
    [1, 1, 1, 0.5, 0.5, 0.25],
  );
  assert.equal(model.lr, 0.25);
});

test('reduceLROnPlateau respects cooldown', async () => {
  // patience 1, cooldown 2, flat: e0 improves; e1 wait 1 -> lr .5, counter 2; e2 counter 1
  // (no counting); e3 counter 0 then wait 1 -> lr .25, counter 2; e4 counter 1; e5 -> .125.
  // In force during epochs 0..6: 1, 1, .5, .5, .25, .25, .125.
  const model = new FakeModel(sgd({ learningRate: 1 }));
  const r = await run(
    reduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2 }),
    losses(1, 1, 1, 1, 1, 1, 1),
    model,
  );
  assert.deepEqual(r.lrs, [1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
});

test('reduceLROnPlateau never goes below minLr', async () => {
  // lr 1, factor .1, patience 1, minLr .05: e1 -> .1; e2 -> max(.01, .05) = .05; e3: .05 is
  // not > minLr -> unchanged.
  const model = new FakeModel(sgd({ learningRate: 1 }));
  const r = await run(
    reduceLROnPlateau({ factor: 0.1, patience: 1, minLr: 0.05 }),
    losses(1, 1, 1, 1, 1),
    model,
  );
  assert.deepEqual(r.lrs, [1, 1, 0.1, 0.05, 0.05]);
});

test('reduceLROnPlateau minDelta (default 1e-4) and max mode', async () => {
  // val_loss 1, .99995, .9998, patience 1: .99995 < 1 − 1e-4 = .9999 is false -> reduce at e1;
  // .9998 < .9999 improves at e2 -> no reduction.
  const model = new FakeModel(sgd({ learningRate: 1 }));
  const r = await run(
    reduceLROnPlateau({ factor: 0.5, patience: 1 }),
    losses(1, 0.99995, 0.9998, 0.9998),
    model,
  );
  assert.deepEqual(r.lrs, [1, 1, 0.5, 0.5]);
  assert.equal(model.lr, 0.25); // e3 repeats .9998: no improvement -> .25
  // val_acc is maximized ('auto'): .5, .6, .55 -> reduce only at e2.
  const acc = new FakeModel(sgd({ learningRate: 1 }));
  const logs = [0.5, 0.6, 0.55].map((x) => ({ val_acc: x }));
  const r2 = await run(
    reduceLROnPlateau({ monitor: 'val_acc', factor: 0.5, patience: 1 }),
    logs,
    acc,
  );
  assert.deepEqual([...r2.lrs, acc.lr], [1, 1, 1, 0.5]);
});

test('reduceLROnPlateau leaves a schedule alone with one warning; verbose prints', async (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  const schedule = schedules.exponentialDecay({
    initialLearningRate: 0.1,
    decaySteps: 10,
    decayRate: 0.5,
  });
  const model = new FakeModel(sgd({ learningRate: schedule }));
  await run(reduceLROnPlateau({ patience: 0 }), losses(1, 1, 1, 1), model);
  assert.equal(model.compiled.optimizer.learningRate, schedule);
  assert.equal(warn.mock.callCount(), 1);
  assert.match(String(warn.mock.calls[0]!.arguments[0]), /learningRate is a schedule/);

  const log = t.mock.method(console, 'log', () => {});
  await run(
    reduceLROnPlateau({ patience: 0, factor: 0.5, verbose: 1 }),
    losses(1, 1),
    new FakeModel(sgd({ learningRate: 1 })),
  );
  assert.deepEqual(
    log.mock.calls.map((c) => c.arguments[0]),
    ['Epoch 2: ReduceLROnPlateau reducing learning rate to 0.5.'],
  );
});

test('reduceLROnPlateau rejects bad options with ConfigError', () => {
  const cases: [unknown, RegExp][] = [
    [{ factor: 1 }, /reduceLROnPlateau: factor must be a finite number in \(0, 1\), received 1/],
    [{ factor: 1.5 }, /factor must be a finite number in \(0, 1\), received 1\.5/],
    [{ factor: 0 }, /factor must be a finite number in \(0, 1\), received 0/],
    [{ minLr: -1 }, /minLr must be a finite number >= 0, received -1/],
    [{ cooldown: 0.5 }, /cooldown must be an integer >= 0/],
    [{ mode: 'up' }, /mode must be 'auto', 'min' or 'max'/],
    [{ lr: 0.1 }, /unknown option "lr"/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => reduceLROnPlateau(options as never),
      (e: unknown) => e instanceof sn.ConfigError && message.test(e.message),
    );
  }
});

// ---------------------------------------------------------------------------------------
// learningRateScheduler

test('learningRateScheduler sets schedule(epoch, lr) at each epoch begin', async () => {
  // lr 0.1; keep it for epochs 0-1, then halve: .1, .1, .05, .025.
  const seen: [number, number][] = [];
  const scheduler = learningRateScheduler((epoch, lr) => {
    seen.push([epoch, lr]);
    return epoch < 2 ? lr : lr / 2;
  });
  const model = new FakeModel(sgd({ learningRate: 0.1 }));
  const r = await run(scheduler, losses(1, 1, 1, 1), model);
  assert.deepEqual(r.lrs, [0.1, 0.1, 0.05, 0.025]);
  assert.deepEqual(seen, [
    [0, 0.1],
    [1, 0.1],
    [2, 0.1],
    [3, 0.05],
  ]);
  assert.deepEqual(
    r.logs.map((l) => l.learning_rate),
    [0.1, 0.1, 0.05, 0.025],
  );
});

test('learningRateScheduler: a non-finite result is a ConfigError naming the epoch and the value', async () => {
  const scheduler = learningRateScheduler((epoch, lr) => (epoch === 2 ? NaN : lr));
  await assert.rejects(run(scheduler, losses(1, 1, 1, 1)), (e: unknown) => {
    return e instanceof sn.ConfigError && /returned NaN at epoch 2/.test(e.message);
  });
  const inf = learningRateScheduler(() => Infinity);
  await assert.rejects(run(inf, losses(1)), /returned Infinity at epoch 0/);
  const str = learningRateScheduler(() => '0.1' as unknown as number);
  await assert.rejects(run(str, losses(1)), /returned "0\.1" at epoch 0/);
});

test('learningRateScheduler rejects a non-function, bad options and an optimizer schedule', async () => {
  assert.throws(
    () => learningRateScheduler(0.1 as never),
    /learningRateScheduler: schedule must be a function/,
  );
  assert.throws(
    () => learningRateScheduler(() => 1, { verbose: -1 }),
    /verbose must be an integer >= 0/,
  );
  const schedule = schedules.exponentialDecay({
    initialLearningRate: 0.1,
    decaySteps: 10,
    decayRate: 0.5,
  });
  await assert.rejects(
    run(
      learningRateScheduler((_e, lr) => lr),
      losses(1),
      new FakeModel(sgd({ learningRate: schedule })),
    ),
    (e: unknown) => e instanceof sn.ConfigError && /learningRate is a schedule/.test(e.message),
  );
});

// ---------------------------------------------------------------------------------------
// terminateOnNaN

test('terminateOnNaN stops at a non-finite loss and restores the weights that gave the last finite loss', async (t) => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    const log = t.mock.method(console, 'log', () => {});
    const model = new FakeModel();
    // 3 batches per epoch; epoch 1, batch 1 has a bad loss and its step writes NaN weights.
    // The last finite loss was epoch 1, batch 0's, computed on the weights before it: those
    // the step after epoch 0, batch 2 left, 10 + 0 + 100·2 = 210 (the step after epoch 1,
    // batch 0 left 11, whose loss was never seen finite).
    const r = await run(terminateOnNaN(), losses(1, 1, 1), model, {
      steps: 3,
      batchLoss: (e, b) => (e === 1 && b === 1 ? bad : 0.5),
    });
    assert.equal(model.stopTraining, true);
    assert.equal(r.epochs, 2); // epoch 1 ends early (fit would still call onEpochEnd)
    assert.deepEqual(model.kernel(), Array(6).fill(210));
    assert.equal(log.mock.callCount(), 1);
    assert.equal(
      log.mock.calls[0]!.arguments[0],
      `TerminateOnNaN: loss is ${bad} at epoch 2, batch 2 of 3; training stopped, weights and ` +
        'optimizer state restored to those that gave the last finite loss (epoch 2, batch 1).',
    );
    log.mock.restore();
  }
});

test('terminateOnNaN leaves finite losses alone', async () => {
  const model = new FakeModel();
  const r = await run(terminateOnNaN(), losses(1, 1), model, { steps: 2, batchLoss: () => 1e30 });
  assert.equal(r.epochs, 2);
  assert.equal(model.stopTraining, false);
  assert.deepEqual(model.kernel(), Array(6).fill(111)); // last step: 10 + 1 + 100·1
});

// ---------------------------------------------------------------------------------------
// csvLogger

const tempFile = (name: string): string => join(mkdtempSync(join(tmpdir(), 'sinew-csv-')), name);
const epochs3: Logs[] = [
  { loss: 0.5, val_loss: 0.75 },
  { loss: 0.25, val_loss: 0.5 },
  { loss: 0.125, val_loss: 0.375 },
];

test('csvLogger writes a header and one row per epoch, keys in first-epoch order', async () => {
  const file = tempFile('log.csv');
  writeFileSync(file, 'old contents\n'); // overwritten: append is false
  // After each epoch the file holds whole lines only.
  const partial: string[] = [];
  const peek = lambdaCallback({ onEpochEnd: () => void partial.push(readFileSync(file, 'utf8')) });
  await run([csvLogger(file), peek], epochs3);
  const expected = 'epoch,loss,val_loss\n0,0.5,0.75\n1,0.25,0.5\n2,0.125,0.375\n';
  assert.equal(readFileSync(file, 'utf8'), expected);
  assert.deepEqual(partial, [
    'epoch,loss,val_loss\n0,0.5,0.75\n',
    'epoch,loss,val_loss\n0,0.5,0.75\n1,0.25,0.5\n',
    expected,
  ]);
});

test('csvLogger append adds rows without a second header; a new file gets one', async () => {
  const file = tempFile('log.csv');
  await run(csvLogger(file, { append: true }), epochs3.slice(0, 1));
  await run(csvLogger(file, { append: true }), epochs3.slice(1));
  // Both runs number their epochs from 0 (each is a separate fit).
  assert.equal(
    readFileSync(file, 'utf8'),
    'epoch,loss,val_loss\n0,0.5,0.75\n0,0.25,0.5\n1,0.125,0.375\n',
  );
  const empty = tempFile('empty.csv');
  writeFileSync(empty, '');
  await run(csvLogger(empty, { append: true }), epochs3.slice(0, 1));
  assert.equal(readFileSync(empty, 'utf8'), 'epoch,loss,val_loss\n0,0.5,0.75\n');
});

test('csvLogger: separator, NA for a missing key, later keys left out, quoting', async () => {
  const file = tempFile('log.tsv');
  const logs: Logs[] = [
    { loss: 1, 'a;b': 2 },
    { loss: 3, extra: 4 },
  ];
  await run(csvLogger(file, { separator: ';' }), logs);
  assert.equal(readFileSync(file, 'utf8'), 'epoch;loss;"a;b"\n0;1;2\n1;3;NA\n');
});

test('csvLogger rejects bad arguments with ConfigError', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => csvLogger(''), /csvLogger: filename must be a non-empty string, received ""/],
    [() => csvLogger(3 as never), /filename must be a non-empty string, received 3/],
    [() => csvLogger('a.csv', { separator: '' }), /separator must be a non-empty string/],
    [() => csvLogger('a.csv', { separator: '"' }), /without quotes or newlines/],
    [
      () => csvLogger('a.csv', { append: 'yes' as never }),
      /append must be true or false, received "yes"/,
    ],
    [
      () => csvLogger('a.csv', { sep: ';' } as never),
      /unknown option "sep"; accepted options: separator, append/,
    ],
  ];
  for (const [make, message] of cases) {
    assert.throws(make, (e: unknown) => e instanceof sn.ConfigError && message.test(e.message));
  }
});

// ---------------------------------------------------------------------------------------
// lambdaCallback and CallbackList

test('lambdaCallback forwards every hook with its arguments', async () => {
  const calls: string[] = [];
  const cb = lambdaCallback({
    onTrainBegin: () => void calls.push('trainBegin'),
    onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
    onBatchBegin: (b) => void calls.push(`batchBegin ${b}`),
    onBatchEnd: (b, logs) => void calls.push(`batchEnd ${b} loss ${logs?.loss}`),
    onEpochEnd: (e, logs) => void calls.push(`epochEnd ${e} val_loss ${logs?.val_loss}`),
    onTrainEnd: () => void calls.push('trainEnd'),
  });
  await run(cb, losses(0.5, 0.25), new FakeModel(), { steps: 2, batchLoss: (e, b) => e + b / 10 });
  assert.deepEqual(calls, [
    'trainBegin',
    'epochBegin 0',
    'batchBegin 0',
    'batchEnd 0 loss 0',
    'batchBegin 1',
    'batchEnd 1 loss 0.1',
    'epochEnd 0 val_loss 0.5',
    'epochBegin 1',
    'batchBegin 0',
    'batchEnd 0 loss 1',
    'batchBegin 1',
    'batchEnd 1 loss 1.1',
    'epochEnd 1 val_loss 0.25',
    'trainEnd',
  ]);
});

test('lambdaCallback rejects unknown hooks and non-functions', () => {
  assert.throws(
    () => lambdaCallback({ onEpochEnds: () => {} } as never),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /unknown option "onEpochEnds"; accepted options: onTrainBegin/.test(e.message),
  );
  assert.throws(
    () => lambdaCallback({ onEpochEnd: 'print' as never }),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /onEpochEnd must be a function, received "print"/.test(e.message),
  );
});

test('CallbackList calls callbacks in order, awaiting each; wraps plain objects; shares logs', async () => {
  const calls: string[] = [];
  class Slow extends Callback {
    override async onEpochEnd(epoch: number): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 5));
      calls.push(`slow ${epoch} model ${this.model !== undefined} epochs ${this.params.epochs}`);
    }
  }
  const list: CallbackLike[] = [
    new Slow(),
    { onEpochEnd: (e) => void calls.push(`plain ${e}`) },
    reduceLROnPlateau({ patience: 5 }),
    lambdaCallback({
      onEpochEnd: (e, logs) => void calls.push(`after ${e} lr ${logs?.learning_rate}`),
    }),
  ];
  await run(list, losses(1, 1), new FakeModel(sgd({ learningRate: 0.5 })));
  assert.deepEqual(calls, [
    'slow 0 model true epochs 2',
    'plain 0',
    'after 0 lr 0.5',
    'slow 1 model true epochs 2',
    'plain 1',
    'after 1 lr 0.5',
  ]);
  assert.equal(new CallbackList().callbacks.length, 0);
  assert.equal(new CallbackList(terminateOnNaN()).callbacks.length, 1);
  assert.throws(
    () => new CallbackList([earlyStopping(), 'earlyStopping' as never]),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /expected Callback objects .* received "earlyStopping"/.test(e.message),
  );
});
