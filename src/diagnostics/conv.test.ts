import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { advise } from './advice.js';
import { monitor } from './monitor.js';
import { channelStats } from './stats.js';

/**
 * Diagnostics of 4-D activations [batch, h, w, channels]: a channel is the unit. The inputs
 * are built so that every per-channel count is known by construction (written in the
 * comments), and the model reshapes them to [b, 7, 7, 16] before an activation layer, so the
 * activation's output is those inputs through relu or sigmoid, with no weight in between.
 */

const SAMPLES = 4;
const POSITIONS = 49; // 7 × 7
const CHANNELS = 16;

/** [SAMPLES, 784] whose value at (sample b, position p, channel c) is f(b, p, c), channels last. */
function maps(f: (b: number, p: number, c: number) => number): sn.Tensor {
  const values: number[] = [];
  for (let b = 0; b < SAMPLES; b++)
    for (let p = 0; p < POSITIONS; p++) for (let c = 0; c < CHANNELS; c++) values.push(f(b, p, c));
  return sn.tensor(values, [SAMPLES, POSITIONS * CHANNELS]);
}

/**
 * Relu inputs: channels 0-3 are -1 everywhere (dead); channel 4 is 0.05 everywhere (alive, never
 * above 0.1); channel c ≥ 5 is 0.5 at position 0 of sample b when c + b is even, else -1. Active
 * channels per sample (some value > 0.1): b = 0 → {6, 8, 10, 12, 14} = 5; b = 1 → {5, 7, ..., 15}
 * = 6; b = 2 → 5; b = 3 → 6.
 */
const reluInputs = (): sn.Tensor =>
  maps((b, p, c) => (c < 4 ? -1 : c === 4 ? 0.05 : p === 0 && (c + b) % 2 === 0 ? 0.5 : -1));

/**
 * Sigmoid inputs: channels 0-7 are +10 everywhere (sigmoid > 0.99: saturated); channel 8 is +10
 * at positions 0-24 and 0 elsewhere (25/49 saturated); channel 9 is +10 at positions 0-23 (24/49);
 * channels 10-15 are 0 (sigmoid 0.5, none saturated). Channels over half saturated: 0-8 = 9.
 */
const sigmoidInputs = (): sn.Tensor =>
  maps((_b, p, c) => (c < 8 ? 10 : c === 8 ? (p < 25 ? 10 : 0) : c === 9 ? (p < 24 ? 10 : 0) : 0));

const EXPECTED_SATURATION = [...new Array<number>(8).fill(1), 25 / 49, 24 / 49, 0, 0, 0, 0, 0, 0];

/** reshape [7, 7, 16] → activation → flatten → dense 784, fitted one epoch with a monitor. */
async function watched(
  activation: 'relu' | 'sigmoid',
  x: sn.Tensor,
): Promise<sn.diagnostics.Monitor> {
  sn.setSeed(1);
  const model = sn.sequential({
    layers: [
      sn.layers.reshape({ targetShape: [7, 7, CHANNELS], inputShape: [POSITIONS * CHANNELS] }),
      sn.layers.activation({ name: 'maps', activation }),
      sn.layers.flatten(),
      sn.layers.dense({ units: 784 }),
    ],
  });
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 1e-6 }), loss: 'mse' });
  const m = monitor({ probe: x });
  await model.fit(x, x, { epochs: 1, batchSize: SAMPLES, verbose: 0, callbacks: [m] });
  return m;
}

test('channelStats: dead channels, per-channel saturation and active channels per sample, by construction', () => {
  const relu = channelStats(sn.relu(sn.reshape(reluInputs(), [SAMPLES, 7, 7, CHANNELS])), 'relu');
  assert.equal(relu.channels, CHANNELS);
  assert.deepEqual(
    relu.dead.map((d, c) => (d ? c : -1)).filter((c) => c >= 0),
    [0, 1, 2, 3],
  );
  assert.deepEqual(relu.activePerSample, [5, 6, 5, 6]);
  assert.equal(relu.saturation, undefined, 'relu does not saturate');
  const sig = channelStats(
    sn.sigmoid(sn.reshape(sigmoidInputs(), [SAMPLES, 7, 7, CHANNELS])),
    'sigmoid',
  );
  assert.equal(sig.saturation!.length, CHANNELS);
  sig.saturation!.forEach((s, c) =>
    assert.ok(Math.abs(s - EXPECTED_SATURATION[c]!) < 1e-12, `channel ${c}: ${s}`),
  );
  // Every sigmoid output is ≥ 0.5 > 0.1: all 16 channels active in every sample.
  assert.deepEqual(sig.activePerSample, [16, 16, 16, 16]);
  assert.throws(
    () => channelStats(sn.zeros([2, 3]), 'relu'),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /expected a feature map of rank 4 \[batch, height, width, channels\], received shape \[2, 3\]/.test(
        e.message,
      ),
  );
});

test('monitor: a 4-D relu activation is summarised per channel', async () => {
  const m = await watched('relu', reluInputs());
  const layer = m.log.records.at(-1)!.layers.find((l) => l.name === 'maps')!;
  assert.deepEqual(layer.channels, {
    count: CHANNELS,
    activePerSample: [5, 6, 5, 6],
    meanActive: 5.5,
    dead: 4,
  });
  // The unit is the channel for the dead fraction and the unit means too.
  assert.equal(layer.deadFraction, 4 / CHANNELS);
  assert.equal(layer.unitMeans!.length, CHANNELS);
  // Channel 4 is 0.05 at all 4 × 49 values; channel 5 is 0.5 at position 0 of samples 0 and 2.
  assert.ok(Math.abs(layer.unitMeans![4]! - 0.05) < 1e-7);
  assert.ok(Math.abs(layer.unitMeans![5]! - (2 * 0.5) / (SAMPLES * POSITIONS)) < 1e-7);
  // A dense layer's output (rank 2) has no per-channel view.
  assert.equal(m.log.records.at(-1)!.layers.at(-1)!.channels, undefined);
});

test('monitor: a 4-D sigmoid activation gets per-channel saturation', async () => {
  const m = await watched('sigmoid', sigmoidInputs());
  const channels = m.log.records.at(-1)!.layers.find((l) => l.name === 'maps')!.channels!;
  assert.equal(channels.saturated, 9);
  assert.equal(channels.dead, undefined, 'dead channels are for relu-like activations');
  channels.saturation!.forEach((s, c) =>
    assert.ok(Math.abs(s - EXPECTED_SATURATION[c]!) < 1e-12, `channel ${c}: ${s}`),
  );
  assert.equal(channels.meanActive, 16);
});

test("advice 'dead-relu' counts channels of a conv activation", async () => {
  const m = await watched('relu', reluInputs());
  // 4 of 16 channels dead = 25%: below the default threshold (50%), above 20%.
  assert.deepEqual(
    advise(m.log).filter((a) => a.rule === 'dead-relu'),
    [],
  );
  const advice = advise(m.log, undefined, { thresholds: { deadFraction: 0.2 } }).filter(
    (a) => a.rule === 'dead-relu',
  );
  assert.equal(advice.length, 1);
  assert.equal(advice[0]!.layer, 'maps');
  assert.match(
    advice[0]!.message,
    /25% of its relu channels \(4 of 16\) output 0 at every position/,
  );
  assert.deepEqual(advice[0]!.numbers, { deadFraction: 0.25, deadUnits: 4, units: 16 });
});
