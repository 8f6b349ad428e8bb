// A long fit of the lab model, to show that memory holds steady without users disposing
// anything: the autoencoder 784→256 (sigmoid, activity L1 1e-5)→784 (sigmoid), Adam 1e-3, mse,
// batch 128, on MNIST digits from sn.data.mnist(). To keep the run short, each epoch is
// BATCHES batches (default 20: the first 2,560 of the 8,000 training digits, reshuffled
// every epoch), for EPOCHS epochs (default 100). Prints RSS, the JS heap and the wasm arena
// (bytes in use, bytes reserved, collections) at epochs 1, 10, 25, 50, 75, 100, and the
// median ms per training step. With `loop` as third argument the same training runs as a
// custom loop (valueAndGrads over mse + model.losses, then adam.applyGradients) instead of fit,
// over the same batches in a fixed order.
//   SINEW_BACKEND=wasm npx tsx scripts/memory-fit.ts [epochs] [batches] [fit|loop]
import { performance } from 'node:perf_hooks';
import * as sn from '../src/index.js';
import { backend } from '../src/backends/index.js';

const epochs = Number(process.argv[2] ?? 100);
const batches = Number(process.argv[3] ?? 20);
const mode = process.argv[4] ?? 'fit';
await sn.ready();
const data = sn.data.mnist({ testSize: 2000 });
const x = sn.slice(data.xTrain, [0, 0], { size: [batches * 128, 784] });

const model = sn.sequential({
  layers: [
    sn.layers.dense({
      units: 256,
      activation: 'sigmoid',
      inputShape: [784],
      activityRegularizer: sn.regularizers.l1(1e-5),
    }),
    sn.layers.dense({ units: 784, activation: 'sigmoid' }),
  ],
});
model.compile({ optimizer: sn.optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });

const mib = (b: number): string => (b / 1048576).toFixed(1);
const stats = (): string => {
  const m = process.memoryUsage();
  const be = backend() as { memoryStats?: () => Record<string, unknown> };
  const arena = be.memoryStats?.() as
    { bytesInUse: number; bytesReserved: number; collections: number } | undefined;
  const a = arena
    ? ` arena in use ${mib(arena.bytesInUse)} MiB, reserved ${mib(arena.bytesReserved)} MiB, ` +
      `${arena.collections} collections`
    : '';
  return `RSS ${mib(m.rss)} MiB, heap ${mib(m.heapUsed)} MiB, external ${mib(m.external)} MiB;${a}`;
};

const report = new Set([1, 10, 25, 50, 75, 100, epochs]);
const stepMs: number[] = [];
let t = 0;
console.log(`backend ${sn.getBackend()}, ${mode}, ${epochs} epochs × ${batches} batches of 128`);
if (mode === 'loop') await customLoop();
else {
  await model.fit(x, x, {
    epochs,
    batchSize: 128,
    verbose: 0,
    callbacks: [
      sn.callbacks.lambdaCallback({
        onBatchBegin: () => {
          t = performance.now();
        },
        onBatchEnd: () => {
          stepMs.push(performance.now() - t);
        },
        onEpochEnd: (epoch, logs) => {
          if (report.has(epoch + 1)) {
            console.log(`epoch ${epoch + 1}: loss ${logs?.['loss']?.toFixed(5)}; ${stats()}`);
          }
        },
      }),
    ],
  });
}

/** The same training as a custom loop: what a PyTorch user would write. */
async function customLoop(): Promise<void> {
  const optimizer = sn.optimizers.adam({ learningRate: 1e-3 });
  for (let epoch = 0; epoch < epochs; epoch++) {
    let loss = 0;
    for (let b = 0; b < batches; b++) {
      t = performance.now();
      const xb = sn.slice(x, [b * 128, 0], { size: [128, 784] });
      const { value, grads } = sn.valueAndGrads(() => {
        const mse = sn.mean(
          sn.square(sn.sub(model.apply(xb, { training: true }) as sn.Tensor, xb)),
        );
        return sn.addN([mse, ...model.losses]);
      });
      optimizer.applyGradients(grads);
      loss = value.item();
      stepMs.push(performance.now() - t);
    }
    if (report.has(epoch + 1))
      console.log(`epoch ${epoch + 1}: loss ${loss.toFixed(5)}; ${stats()}`);
  }
}

const sorted = stepMs.slice(stepMs.length / 2).sort((p, q) => p - q);
console.log(
  `median ms per step (second half): ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}`,
);
(backend() as { collect?: () => void }).collect?.();
console.log(`after a full collection: ${stats()}`);
