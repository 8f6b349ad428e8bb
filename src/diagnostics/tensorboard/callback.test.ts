import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../../index.js';
import { ConfigError, SinewError } from '../../errors.js';
import type { Histogram, SummaryValue, TensorBoardEvent } from './events.js';
import { readEventFile, tensorBoard, type TensorBoardOptions } from './index.js';

const seeded = (seed: number) => sn.initializers.glorotUniform({ seed });

/** input(3) → dense 'hidden' (4, relu, L1 activity) → dense 'out' (2). */
function mlp(): sn.Sequential {
  return sn.sequential({
    layers: [
      sn.input({ shape: [3] }),
      sn.layers.dense({
        name: 'hidden',
        units: 4,
        activation: 'relu',
        kernelInitializer: seeded(1),
        activityRegularizer: sn.regularizers.l1(0.01),
      }),
      sn.layers.dense({ name: 'out', units: 2, kernelInitializer: seeded(2) }),
    ],
  });
}

const X = sn.tensor(
  Array.from({ length: 12 }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 3) - 1]),
);
const Y = sn.tensor(Array.from({ length: 12 }, (_, i) => [i / 12, 1 - (i % 2)]));
const PROBE_ROWS = [
  [0.5, -1, 2],
  [-0.3, 0.8, 0.1],
  [1, 1, -1],
];
const PROBE = sn.tensor(PROBE_ROWS);

const made: string[] = [];
const logdir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'sinew-tb-'));
  made.push(dir);
  return dir;
};
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The one event file in `dir`, checking its name: events.out.tfevents.<seconds>.<hostname>. */
async function eventsIn(dir: string): Promise<TensorBoardEvent[]> {
  const names = readdirSync(dir);
  assert.equal(names.length, 1, `one event file in ${dir}: ${names.join(', ')}`);
  const match = /^events\.out\.tfevents\.(\d+)\.(.+)$/.exec(names[0]!);
  assert.ok(match, names[0]);
  assert.equal(match[2], hostname());
  assert.ok(Math.abs(Number(match[1]) - Date.now() / 1000) < 600);
  return readEventFile(join(dir, names[0]!));
}

/** tag → value, for the summary events of one step. */
function valuesAt(events: TensorBoardEvent[], step: number): Map<string, SummaryValue> {
  const out = new Map<string, SummaryValue>();
  for (const e of events) {
    if (e.step === step) for (const v of e.summary ?? []) out.set(v.tag, v);
  }
  return out;
}

const histo = (values: Map<string, SummaryValue>, tag: string): Histogram => {
  const h = values.get(tag)?.histo;
  assert.ok(h, `histogram ${tag} among ${[...values.keys()].join(', ')}`);
  return h;
};

/** Sum, min, max and count as a histogram should report them (float64, in plain loops). */
function expectStats(h: Histogram, values: readonly number[], where: string): void {
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    sum += v;
    squares += v * v;
  }
  assert.equal(h.num, values.length, `${where} num`);
  assert.ok(Math.abs(h.sum - sum) < 1e-9, `${where} sum ${h.sum} vs ${sum}`);
  assert.ok(Math.abs(h.sumSquares - squares) < 1e-9, `${where} sum_squares`);
  assert.equal(h.min, Math.min(...values), `${where} min`);
  assert.equal(h.max, Math.max(...values), `${where} max`);
  assert.equal(
    h.bucket.reduce((a, b) => a + b, 0),
    values.length,
    `${where} bucket counts`,
  );
}

test('tensorBoard: per-epoch scalars in train/ and validation/ equal the history', async () => {
  const dir = logdir();
  const model = mlp();
  model.compile({
    optimizer: sn.optimizers.sgd({ learningRate: 0.1 }),
    loss: 'mse',
    metrics: ['mae'],
  });
  const history = await model.fit(X, Y, {
    epochs: 3,
    batchSize: 4,
    validationSplit: 0.25,
    verbose: 0,
    seed: 3,
    callbacks: [tensorBoard(dir, { histogramFreq: 0 })],
  });
  const train = await eventsIn(join(dir, 'train'));
  const validation = await eventsIn(join(dir, 'validation'));
  for (const events of [train, validation]) {
    assert.equal(events[0]!.fileVersion, 'brain.Event:2');
    assert.equal(events[0]!.summary, undefined);
    assert.deepEqual(
      events.slice(1).map((e) => e.step),
      [0, 1, 2],
    );
  }
  const h = history.history;
  assert.deepEqual(Object.keys(h).sort(), [
    'loss',
    'mae',
    'regularization_loss',
    'val_loss',
    'val_mae',
    'val_regularization_loss',
  ]);
  for (let epoch = 0; epoch < 3; epoch++) {
    const t = valuesAt(train, epoch);
    const v = valuesAt(validation, epoch);
    assert.deepEqual([...t.keys()].sort(), [
      'epoch_loss',
      'epoch_mae',
      'epoch_regularization_loss',
    ]);
    assert.deepEqual([...v.keys()].sort(), [
      'epoch_loss',
      'epoch_mae',
      'epoch_regularization_loss',
    ]);
    // simple_value is a float32: the history's numbers rounded to float32.
    for (const key of ['loss', 'mae', 'regularization_loss']) {
      assert.equal(t.get(`epoch_${key}`)!.simpleValue, Math.fround(h[key]![epoch]!), key);
      assert.equal(v.get(`epoch_${key}`)!.simpleValue, Math.fround(h[`val_${key}`]![epoch]!), key);
    }
    assert.ok(h.regularization_loss![epoch]! > 0, 'the activity penalty is logged');
  }
});

test('tensorBoard: weight and activation histograms every histogramFreq epochs', async () => {
  const dir = logdir();
  const model = mlp();
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  await model.fit(X, Y, {
    epochs: 3,
    batchSize: 4,
    verbose: 0,
    seed: 5,
    callbacks: [tensorBoard(dir, { histogramFreq: 2, probe: PROBE, histogramBuckets: 5 })],
  });
  const events = await eventsIn(join(dir, 'train'));
  assert.deepEqual(readdirSync(dir), ['train'], 'no validation/ without validation data');
  const histogramTags = (step: number): string[] =>
    [...valuesAt(events, step)]
      .filter(([, v]) => v.histo)
      .map(([tag]) => tag)
      .sort();
  const expectedTags = [
    'hidden/activation',
    'hidden/bias',
    'hidden/kernel',
    'hidden/pre_activation',
    'out/activation',
    'out/bias',
    'out/kernel',
    // Dense reports its pre-activation even with a linear activation.
    'out/pre_activation',
  ];
  const tags0 = histogramTags(0);
  assert.deepEqual(tags0, expectedTags);
  assert.deepEqual(histogramTags(1), [], 'epoch 1 is not a multiple of histogramFreq 2');
  assert.deepEqual(histogramTags(2), expectedTags);

  // Epoch 2 is the last: its weight histograms describe the final weights.
  const last = valuesAt(events, 2);
  const [k1, b1, k2, b2] = model.weights.map((w) => Array.from(w.dataSync()));
  expectStats(histo(last, 'hidden/kernel'), k1!, 'hidden/kernel');
  expectStats(histo(last, 'hidden/bias'), b1!, 'hidden/bias');
  expectStats(histo(last, 'out/kernel'), k2!, 'out/kernel');
  expectStats(histo(last, 'out/bias'), b2!, 'out/bias');
  assert.equal(histo(last, 'hidden/kernel').bucket.length, 5);

  // Activations on the probe, recomputed by hand from the final weights (row-major kernels).
  const pre = PROBE_ROWS.flatMap((row) =>
    Array.from({ length: 4 }, (_, j) => row.reduce((s, x, i) => s + x * k1![i * 4 + j]!, b1![j]!)),
  );
  const hidden = pre.map((v) => Math.max(0, v));
  const out = Array.from({ length: 3 }, (_, r) =>
    Array.from({ length: 2 }, (_, j) =>
      hidden.slice(r * 4, r * 4 + 4).reduce((s, h, i) => s + h * k2![i * 2 + j]!, b2![j]!),
    ),
  ).flat();
  const close = (h: Histogram, values: number[], tag: string): void => {
    assert.equal(h.num, values.length, tag);
    const sum = values.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(h.sum - sum) < 1e-5, `${tag} sum ${h.sum} vs ${sum}`);
    assert.ok(Math.abs(h.max - Math.max(...values)) < 1e-5, `${tag} max`);
    assert.ok(Math.abs(h.min - Math.min(...values)) < 1e-5, `${tag} min`);
  };
  close(histo(last, 'hidden/pre_activation'), pre, 'hidden/pre_activation');
  close(histo(last, 'hidden/activation'), hidden, 'hidden/activation');
  close(histo(last, 'out/activation'), out, 'out/activation');
  assert.ok(histo(last, 'hidden/activation').min >= 0, 'relu outputs are non-negative');
});

test('tensorBoard: without a probe, weights only; each fit starts a new file', async () => {
  const dir = logdir();
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const callback = tensorBoard(dir);
  await model.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [callback] });
  const first = callback.files;
  await model.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [callback] });
  assert.equal(first.length, 1);
  assert.notEqual(callback.files[0], first[0]);
  assert.equal(readdirSync(join(dir, 'train')).length, 2);
  const events = await readEventFile(first[0]!);
  const tags = [...valuesAt(events, 0)].filter(([, v]) => v.histo).map(([t]) => t);
  assert.deepEqual(tags.sort(), ['hidden/bias', 'hidden/kernel', 'out/bias', 'out/kernel']);
});

test('readEventFile: a corrupted byte in a written file throws', async () => {
  const dir = logdir();
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const callback = tensorBoard(dir, { probe: PROBE });
  await model.fit(X, Y, { epochs: 2, verbose: 0, callbacks: [callback] });
  const path = callback.files[0]!;
  const good = readFileSync(path);
  assert.equal((await readEventFile(path)).length, 3);
  const bad = Buffer.from(good);
  bad[Math.floor(bad.length / 2)]! ^= 0x10;
  writeFileSync(path, bad);
  await assert.rejects(
    readEventFile(path),
    (e: unknown) => e instanceof SinewError && /checksum/.test(e.message),
  );
  // A crash mid-append: the complete records before the cut are still readable.
  writeFileSync(path, good.subarray(0, good.length - 3));
  await assert.rejects(readEventFile(path), /truncated/);
  assert.equal((await readEventFile(path, { allowTruncatedTail: true })).length, 2);
});

test('tensorBoard: bad options and a probe of the wrong shape are ConfigErrors', async () => {
  assert.throws(() => tensorBoard(''), ConfigError);
  assert.throws(
    () => tensorBoard('logs', { histogramFreq: -1 }),
    /histogramFreq must be an integer >= 0/,
  );
  assert.throws(() => tensorBoard('logs', { histogramFreq: 1.5 }), ConfigError);
  assert.throws(() => tensorBoard('logs', { histogramBuckets: 0 }), ConfigError);
  const untyped = (o: object) => o as TensorBoardOptions;
  assert.throws(
    () => tensorBoard('logs', untyped({ histogram_freq: 1 })),
    /unknown option "histogram_freq"/,
  );
  assert.throws(
    () => tensorBoard('logs', untyped({ probe: [[1, 2, 3]] })),
    /probe must be a Tensor/,
  );
  const model = mlp();
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const twoProbes = tensorBoard(logdir(), { probe: [PROBE, PROBE] });
  await assert.rejects(
    model.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [twoProbes] }),
    /one input, but probe is a list of 2 tensors/,
  );
  const callback = tensorBoard(logdir(), { probe: sn.ones([2, 5]) });
  await assert.rejects(
    model.fit(X, Y, { epochs: 1, verbose: 0, callbacks: [callback] }),
    (e: unknown) => e instanceof ConfigError && /probe batch could not be run/.test(e.message),
  );
});
