import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as sn from '../../index.js';
import { backend } from '../index.js';
import type { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';

const kernels = loadKernels();
const skip = typeof kernels === 'string' ? kernels : false;
after(() => sn.setBackend('cpu'));

test(
  'plain ops outside any scope reuse the memory of dropped tensors (no dispose, no await)',
  { skip },
  () => {
    // 24 MiB is far less than the loop allocates (2 × 64 KiB per step × 400 steps ≈ 51 MiB):
    // with no scope open, it only fits if the garbage collector backstop reclaims the blocks
    // of tensors nobody holds inside the loop.
    sn.setBackend('wasm', { maxMemoryMiB: 24, threads: 1 });
    const be = backend() as WasmBackend;
    const x = sn.tensor(
      Array.from({ length: 256 * 100 }, (_, i) => Math.sin(i)),
      [256, 100],
    );
    let w = sn.fill([100, 64], 0.01);
    const kept: sn.Tensor[] = [];
    for (let step = 0; step < 400; step++) {
      const y = sn.square(sn.matmul(x, w));
      w = sn.mul(w, 0.999);
      if (step % 100 === 0) kept.push(sn.mean(y), sn.reshape(w, [6400])); // held by the user
    }
    const stats = be.memoryStats();
    assert.ok(stats.collections > 0, 'the arena asked for collections');
    assert.ok(stats.bytesReserved <= 24 * 1048576);
    // Tensors the user holds survive every collection with their values intact: the mean
    // shrinks by 0.999² per step, and the kept w is 0.01 · 0.999^(step + 1).
    const means = kept.filter((_, i) => i % 2 === 0).map((t) => t.item());
    for (let i = 1; i < means.length; i++) {
      assert.ok(Math.abs(means[i]! / means[i - 1]! - 0.999 ** 200) < 1e-4, String(means));
    }
    const last = kept[kept.length - 1]!.dataSync();
    assert.equal(last.length, 6400);
    assert.ok(Math.abs(last[0]! - 0.01 * 0.999 ** 301) < 1e-7);
  },
);

test(
  'a custom loop (valueAndGrads + applyGradients) releases each step at once: no collection',
  { skip },
  () => {
    // ~1 MiB of intermediates per step × 400 steps in an 8 MiB arena, and not one collection:
    // valueAndGrads and applyGradients give their intermediates back when they return.
    sn.setBackend('wasm', { maxMemoryMiB: 8, threads: 1 });
    const be = backend() as WasmBackend;
    const start = be.memoryStats().collections;
    const x = sn.tensor(
      Array.from({ length: 64 * 100 }, (_, i) => Math.sin(i)),
      [64, 100],
    );
    const w = sn.variable(sn.fill([100, 32], 0.01));
    const optimizer = sn.optimizers.adam({ learningRate: 1e-3 });
    const losses: number[] = [];
    for (let step = 0; step < 400; step++) {
      const { value, grads } = sn.valueAndGrads(() => sn.mean(sn.square(sn.matmul(x, w))));
      optimizer.applyGradients(grads);
      losses.push(value.item());
    }
    assert.equal(be.memoryStats().collections - start, 0);
    // Adam on this convex loss (minimum 0 at w = 0) brings it down.
    assert.ok(losses[399]! < losses[0]! / 2, `${losses[0]} → ${losses[399]}`);
  },
);

test(
  'a getWeights() snapshot outlives later training steps and collections',
  { skip },
  async () => {
    sn.setBackend('wasm', { maxMemoryMiB: 32, threads: 1 });
    const model = sn.sequential({
      layers: [sn.layers.dense({ units: 8, inputShape: [20], activation: 'sigmoid' })],
    });
    model.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.1 }), loss: 'mse' });
    const x = sn.fill([64, 20], 0.5);
    const y = sn.fill([64, 8], 0.9);
    const before = model.getWeights();
    const copy = before.map((t) => Array.from(t.dataSync()));
    await model.fit(x, y, { epochs: 40, batchSize: 8, verbose: 0 });
    (backend() as WasmBackend).collect();
    before.forEach((t, i) => assert.deepEqual(Array.from(t.dataSync()), copy[i]));
    const after = model.getWeights();
    assert.notDeepEqual(Array.from(after[0]!.dataSync()), copy[0], 'training changed the weights');
  },
);
