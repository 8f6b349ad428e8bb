import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as sn from '../../index.js';
import { backend } from '../../backends/index.js';
import type { WasmBackend } from '../../backends/wasm/index.js';
import { loadKernels } from '../../backends/wasm/loader.js';

// A training step releases its intermediates at its end (tensor/scope.ts via stepScope):
// on wasm the arena reuses them at once, and nothing that escapes a step is released.

const kernels = loadKernels();
const skip = typeof kernels === 'string' ? kernels : false;
after(() => sn.setBackend('cpu'));

function data(n: number, d: number): { x: sn.Tensor; y: sn.Tensor } {
  const x = sn.tensor(
    Array.from({ length: n * d }, (_, i) => Math.sin(i * 0.37)),
    [n, d],
  );
  const y = sn.tensor(
    Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    [n, 1],
  );
  return { x, y };
}

function regularizedModel(): sn.Model {
  return sn.sequential({
    layers: [
      sn.layers.dense({
        units: 64,
        inputShape: [32],
        activation: 'relu',
        kernelRegularizer: sn.regularizers.l2(1e-3),
        activityRegularizer: sn.regularizers.l1(1e-4),
      }),
      sn.layers.dropout({ rate: 0.2 }),
      sn.layers.dense({
        units: 1,
        activation: 'sigmoid',
        biasRegularizer: sn.regularizers.l2(1e-3),
      }),
    ],
  });
}

test(
  '300 fit steps on wasm stay in a small arena without a single garbage collection',
  { skip },
  async () => {
    sn.setBackend('wasm', { maxMemoryMiB: 8, threads: 1 });
    const be = backend() as WasmBackend;
    const { x, y } = data(1200, 32);
    const model = regularizedModel();
    model.compile({
      optimizer: sn.optimizers.adam({ learningRate: 0.01 }),
      loss: 'binaryCrossentropy',
    });
    const start = be.memoryStats().collections;
    // 300 steps of 32 samples: the step's intermediates (~100 KiB each step, ~30 MiB in all)
    // are far more than the 8 MiB arena holds without reuse.
    const history = await model.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0 });
    const stats = be.memoryStats();
    assert.equal(stats.collections - start, 0, 'no collection was needed');
    assert.ok(stats.bytesReserved <= 8 * 1048576, String(stats.bytesReserved));
    const losses = history.history.loss!;
    assert.ok(losses.at(-1)! < losses[0]!, String(losses));
  },
);

test('every tensor that escapes fit is readable afterwards (wasm and cpu)', async () => {
  for (const name of skip ? ['cpu'] : ['wasm', 'cpu']) {
    sn.setBackend(name as 'cpu', { maxMemoryMiB: 16, threads: 1 } as never);
    const { x, y } = data(96, 32);
    const model = regularizedModel();
    const optimizer = sn.optimizers.adam({ learningRate: 0.01 });
    model.compile({ optimizer, loss: 'binaryCrossentropy' });
    // What a callback may take between steps and read later: the call losses, the optimizer's
    // slots, a weight snapshot.
    const taken: sn.Tensor[] = [];
    const take = new (class extends sn.callbacks.Callback {
      override async onBatchEnd(): Promise<void> {
        taken.push(
          ...model.losses,
          ...optimizer.getSlots().map((s) => s.tensor),
          ...model.getWeights(),
        );
      }
    })();
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, callbacks: [take] });
    if (name === 'wasm') (backend() as WasmBackend).collect();
    // The layers' call losses of the last pass (activity penalty), each a finite scalar.
    const terms = model.lossTerms();
    const activity = terms.filter((t) => t.name.endsWith('/activity'));
    assert.equal(activity.length, 1);
    assert.ok(activity[0]!.value.item() > 0);
    for (const l of model.losses) assert.ok(Number.isFinite(l.item()));
    for (const layer of model.layers)
      for (const l of layer.losses) assert.ok(Number.isFinite(l.item()));
    // Weights: a snapshot equals the variables; the variables and optimizer slots read.
    const weights = model.getWeights();
    weights.forEach((w, i) => assert.deepEqual(w.dataSync(), model.weights[i]!.dataSync()));
    for (const s of optimizer.getSlots()) assert.ok(s.tensor.dataSync().every(Number.isFinite));
    // The regularization terms by name, as numbers: the kernel term equals 1e-3·Σw².
    const reg = model.regularizationLosses();
    const kernelTerm = Object.entries(reg).find(([k]) => k.endsWith('/kernel'))?.[1];
    const kernel = Array.from(weights[0]!.dataSync()).reduce((s, v) => s + v * v, 0) * 1e-3;
    assert.ok(Math.abs(kernelTerm! - kernel) <= 1e-6 * Math.max(1, kernel), JSON.stringify(reg));
    // predict and another fit still work; trainOnBatch returns numbers.
    const p = model.predict(x) as sn.Tensor;
    assert.deepEqual(p.shape, [96, 1]);
    assert.ok(p.dataSync().every((v) => v > 0 && v < 1));
    const logs = model.trainOnBatch(x, y);
    assert.ok(Number.isFinite(logs.loss));
    assert.ok(activity[0]!.value.item() > 0, 'a call loss kept from an earlier step still reads');
    assert.ok(taken.length > 18 * 8);
    for (const t of taken) assert.ok(t.dataSync().every(Number.isFinite));
  }
});

test('a tensor stashed from inside a step is released at its end, with a clear error', async () => {
  const { x, y } = data(32, 32);
  const model = regularizedModel();
  let stashed: sn.Tensor | undefined;
  model.compile({
    optimizer: 'sgd',
    loss: (t: sn.Tensor, p: sn.Tensor) => {
      stashed = sn.mean(sn.square(sn.sub(t, p)), -1);
      return stashed;
    },
  });
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
  assert.throws(() => stashed!.dataSync(), {
    name: 'SinewError',
    message: /released at the end of a training step/,
  });
  assert.equal(stashed!.released, true);
});

test(
  'evaluate and predict release each batch: no collection, and the results equal cpu',
  { skip },
  async () => {
    sn.setBackend('cpu');
    const { x, y } = data(1200, 32);
    const model = regularizedModel();
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const weights = model.getWeights().map((w) => sn.tensor(w.dataSync(), w.shape));
    const onCpu = { logs: model.evaluate(x, y, { batchSize: 16 }), p: model.predict(x) };
    sn.setBackend('wasm', { maxMemoryMiB: 8, threads: 1 });
    const be = backend() as WasmBackend;
    const start = be.memoryStats().collections;
    const xw = sn.tensor(x.dataSync(), x.shape);
    const yw = sn.tensor(y.dataSync(), y.shape);
    model.setWeights(weights.map((w) => sn.tensor(w.dataSync(), w.shape)));
    // 75 batches of 16 through a 32 → 64 → 1 model, 10 times: ~40 MiB of intermediates.
    let logs: Record<string, number> = {};
    let p!: sn.Tensor;
    for (let i = 0; i < 5; i++) {
      logs = model.evaluate(xw, yw, { batchSize: 16 });
      p = model.predict(xw, { batchSize: 16 }) as sn.Tensor;
    }
    assert.equal(be.memoryStats().collections - start, 0, 'no collection was needed');
    for (const k of ['loss', 'regularization_loss', 'accuracy']) {
      assert.ok(
        Math.abs(logs[k]! - onCpu.logs[k]!) <= 1e-5,
        `${k}: ${logs[k]} vs ${onCpu.logs[k]}`,
      );
    }
    const expected = (onCpu.p as sn.Tensor).dataSync();
    assert.deepEqual(p.shape, [1200, 1]);
    p.dataSync().forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= 1e-5));
    sn.setBackend('cpu');
  },
);
