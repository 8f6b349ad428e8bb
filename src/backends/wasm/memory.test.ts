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
  'a synchronous training loop reuses the memory of dropped tensors (no dispose, no await)',
  { skip },
  () => {
    // 24 MiB is far less than the loop allocates (~1 MiB per step × 400 steps): it only fits
    // if the blocks of tensors nobody holds are reclaimed inside the loop.
    sn.setBackend('wasm', { maxMemoryMiB: 24, threads: 1 });
    const be = backend() as WasmBackend;
    const x = sn.tensor(
      Array.from({ length: 64 * 100 }, (_, i) => Math.sin(i)),
      [64, 100],
    );
    const w = sn.variable(sn.fill([100, 32], 0.01));
    const kept: sn.Tensor[] = [];
    for (let step = 0; step < 400; step++) {
      const { value, grads } = sn.valueAndGrads(() => sn.mean(sn.square(sn.matmul(x, w))));
      w.assign(sn.sub(w, sn.mul(grads.get(w), 0.1)));
      if (step % 100 === 0) kept.push(value, sn.reshape(w, [3200])); // held by the user
    }
    const stats = be.memoryStats();
    assert.ok(stats.collections > 0, 'the arena asked for collections');
    assert.ok(stats.bytesReserved <= 24 * 1048576);
    // Tensors the user holds survive every collection with their values intact: the loss
    // never increases from the first kept value on, and the kept reshape of w is readable.
    const losses = kept.filter((_, i) => i % 2 === 0).map((t) => t.item());
    for (let i = 1; i < losses.length; i++) assert.ok(losses[i]! <= losses[i - 1]!, String(losses));
    assert.equal(kept[1]!.dataSync().length, 3200);
    assert.ok(Math.abs(kept[1]!.dataSync()[0]! - 0.01) < 1e-3);
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
