import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../index.js';
import { monitor } from './monitor.js';
import type { MonitorLog } from './types.js';

const close = (a: number | null | undefined, b: number, tol = 1e-5): void =>
  assert.ok(a != null && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);

/** 20 samples of 3 features in (0, 1), deterministic. */
function data(): sn.Tensor {
  return sn.tensor(
    Array.from({ length: 20 }, (_, i) => [0, 1, 2].map((j) => ((i * 7 + j * 3) % 11) / 11 + 0.02)),
  );
}

/** A tiny autoencoder 3 → 4 (relu, l2 kernel, l1 activity) → dropout → 3 (sigmoid). */
function autoencoder(seed: number): sn.Model {
  sn.setSeed(seed);
  const model = sn.sequential({
    layers: [
      sn.layers.dense({
        units: 4,
        activation: 'relu',
        inputShape: [3],
        kernelRegularizer: sn.regularizers.l2(0.01),
        activityRegularizer: sn.regularizers.l1(0.01),
      }),
      sn.layers.dropout({ rate: 0.3 }),
      sn.layers.dense({ units: 3, activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.5 }), loss: 'mse' });
  return model;
}

const probe = (): sn.Tensor => sn.slice(data(), 0, { size: [8, -1] });
const norm = (t: sn.Tensor): number => sn.sqrt(sn.sum(sn.square(t))).item();

test('monitor: one record at train begin and one per epoch; the loss split equals evaluate on the probe', async () => {
  const model = autoencoder(1);
  const m = monitor({ probe: probe() });
  await model.fit(data(), data(), { epochs: 3, batchSize: 5, seed: 2, verbose: 0, callbacks: [m] });
  const { records } = m.log;
  assert.deepEqual(
    records.map((r) => [r.epoch, r.step]),
    [
      [0, 0],
      [1, 4],
      [2, 8],
      [3, 12],
    ],
  );
  assert.equal(m.log.probeSize, 8);
  assert.equal(m.log.model, model.name);
  // Oracle: evaluate (same formula as fit) on the probe with the final weights.
  const last = records.at(-1)!;
  const ev = model.evaluate(probe(), probe(), { batchSize: 64 });
  close(last.loss.total, ev.loss!);
  close(last.loss.regularization, ev.regularization_loss!);
  close(last.loss.data, ev.loss! - ev.regularization_loss!);
  const terms = model.regularizationLosses(); // of evaluate's pass: the same probe
  assert.deepEqual(Object.keys(last.loss.terms).sort(), Object.keys(terms).sort());
  for (const [k, v] of Object.entries(terms)) close(last.loss.terms[k], v);
  // History of fit kept in the log.
  assert.equal(m.log.history?.loss?.length, 3);
});

test('monitor: layer records hold what the layers computed, gradient norms match valueAndGrads', async () => {
  const model = autoencoder(3);
  const m = monitor({ probe: probe(), bins: 5 });
  await model.fit(data(), data(), { epochs: 1, batchSize: 5, seed: 4, verbose: 0, callbacks: [m] });
  const rec = m.log.records.at(-1)!;
  assert.deepEqual(
    rec.layers.map((l) => [l.className, l.activation]),
    [
      ['Dense', 'relu'],
      ['Dropout', undefined],
      ['Dense', 'sigmoid'],
    ],
  );
  const [hidden, , out] = rec.layers;
  const dense1 = model.layers.find((l) => l.name === hidden!.name)!;
  const [kernel, bias] = dense1.ownWeights;
  // Pre-activation and output recomputed by hand from the weights.
  const pre = sn.add(sn.matmul(probe(), kernel!), bias!);
  const post = sn.relu(pre);
  close(hidden!.preActivation!.mean, sn.mean(pre).item());
  close(hidden!.output.max, sn.max(post).item());
  close(hidden!.output.l2, norm(post));
  assert.equal(hidden!.output.histogram.counts.length, 5);
  assert.equal(hidden!.unitMeans!.length, 4);
  assert.ok(hidden!.deadFraction !== undefined && hidden!.saturation === undefined);
  assert.ok(out!.saturation !== undefined && out!.deadFraction === undefined);
  close(hidden!.weights[0]!.stats.l2, norm(kernel!));
  assert.equal(hidden!.weights[0]!.name, kernel!.name);
  assert.deepEqual(hidden!.weights[0]!.regularizer, { className: 'L2', config: { l2: 0.01 } });
  assert.deepEqual(hidden!.activityRegularizer, { className: 'L1', config: { l1: 0.01 } });
  // Gradients by hand: mse written out, plus every penalty, in inference mode.
  const weights = model.trainableWeights;
  const { grads } = sn.valueAndGrads(() => {
    const y = model.apply(probe(), { training: false }) as sn.Tensor;
    return sn.add(sn.mean(sn.square(sn.sub(y, probe()))), sn.addN(model.losses));
  }, weights);
  const recorded = rec.layers.flatMap((l) => l.weights);
  assert.equal(recorded.length, weights.length);
  for (const w of weights) {
    const r = recorded.find((x) => x.name === w.name)!;
    close(r.gradNorm, norm(grads.get(w)), 1e-4);
  }
});

test('monitor: update ratios from weight snapshots; every N batches', async () => {
  const model = autoencoder(5);
  const snapshots: Float64Array[][] = [];
  const take = (): void => {
    snapshots.push(model.getWeights().map((w) => Float64Array.from(w.dataSync())));
  };
  const m = monitor({ probe: probe(), every: 2 });
  await model.fit(data(), data(), {
    epochs: 2,
    batchSize: 5,
    seed: 6,
    verbose: 0,
    callbacks: [
      { onTrainBegin: take, onBatchEnd: (batch: number) => (batch % 2 === 1 ? take() : undefined) },
      m,
    ],
  });
  // 4 batches per epoch: records at steps 0, 2, 4, 6, 8.
  assert.deepEqual(
    m.log.records.map((r) => [r.epoch, r.step]),
    [
      [0, 0],
      [0, 2],
      [0, 4],
      [1, 6],
      [1, 8],
    ],
  );
  assert.equal(snapshots.length, 5);
  const names = model.weights.map((w) => w.name);
  m.log.records.forEach((r, k) => {
    const ws = r.layers.flatMap((l) => l.weights);
    names.forEach((name, i) => {
      const got = ws.find((w) => w.name === name)!.updateRatio;
      if (k === 0) return assert.equal(got, null);
      const prev = snapshots[k - 1]![i]!;
      const cur = snapshots[k]![i]!;
      let d = 0;
      let p = 0;
      prev.forEach((v, j) => {
        d += (cur[j]! - v) ** 2;
        p += v * v;
      });
      // A bias starting at zero has no ratio on the next record.
      if (p === 0) return assert.equal(got, null);
      close(got, Math.sqrt(d) / Math.sqrt(p), 1e-9);
    });
  });
});

test('monitor: the JSON log on disk equals monitor.log, written atomically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sinew-monitor-'));
  const logPath = join(dir, 'monitor.json');
  const model = autoencoder(7);
  const seen: number[] = [];
  const m = monitor({ probe: probe(), logPath });
  await model.fit(data(), data(), {
    epochs: 2,
    batchSize: 10,
    seed: 8,
    verbose: 0,
    callbacks: [
      m,
      {
        onEpochEnd: () => {
          seen.push((JSON.parse(readFileSync(logPath, 'utf8')) as MonitorLog).records.length);
        },
      },
    ],
  });
  assert.deepEqual(seen, [2, 3]); // rewritten after each record
  assert.deepEqual(JSON.parse(readFileSync(logPath, 'utf8')), m.log);
  assert.equal(existsSync(`${logPath}.tmp`), false);
});

test('monitor: a seeded fit ends with bit-identical weights with and without the monitor', async () => {
  const run = async (watch: boolean): Promise<{ w: number[][]; loss: number[] }> => {
    const model = autoencoder(11);
    const callbacks = watch ? [monitor({ probe: probe(), every: 1 })] : [];
    const h = await model.fit(data(), data(), {
      epochs: 3,
      batchSize: 4,
      seed: 12,
      verbose: 0,
      validationSplit: 0.2,
      callbacks,
    });
    return { w: model.getWeights().map((t) => Array.from(t.dataSync())), loss: h.history.loss! };
  };
  const plain = await run(false);
  const watched = await run(true);
  assert.deepEqual(watched.w, plain.w);
  assert.deepEqual(watched.loss, plain.loss);
});

test('monitor: options are checked; a non-autoencoder needs probeTargets', async () => {
  assert.throws(() => monitor({} as never), /probe option is required/);
  assert.throws(() => monitor({ probe: [1, 2] as never }), /probe must be a Tensor/);
  assert.throws(() => monitor({ probe: probe(), every: 0 }), /every/);
  assert.throws(() => monitor({ probe: probe(), evry: 2 } as never), /unknown option "evry"/);
  sn.setSeed(1);
  const classifier = sn.sequential({
    layers: [sn.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })],
  });
  classifier.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const y = sn.tensor(Array.from({ length: 20 }, (_, i) => i % 2));
  await assert.rejects(
    classifier.fit(data(), y, { epochs: 1, verbose: 0, callbacks: [monitor({ probe: probe() })] }),
    /pass probeTargets/,
  );
  const m = monitor({ probe: probe(), probeTargets: sn.slice(y, 0, { size: [8] }) });
  await classifier.fit(data(), y, { epochs: 1, verbose: 0, callbacks: [m] });
  const ev = classifier.evaluate(probe(), sn.slice(y, 0, { size: [8] }));
  close(m.log.records.at(-1)!.loss.total, ev.loss!);
});
