// A child of bench/csv-stream.ts: trains the lab's autoencoder (784 → 256 sigmoid → 784
// sigmoid, mse, Adam 1e-3, batch 128) with model.fitDataset on a CSV streamed by
// sn.data.csv, one epoch, and reports its RSS as it goes: at the start, after a tenth and
// half of the rows, at the end, and the peak (process.resourceUsage().maxRSS). Prints one
// JSON line.
import * as sn from '../../src/index.js';
import { BATCH, LEARNING_RATE, PIXELS, RESULT_PREFIX, UNITS, mib } from '../workload.js';

const [path, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg);
if (!path || !Number.isInteger(rows)) {
  console.error('usage: sinew-csv.ts <file.csv> <rows>');
  process.exit(2);
}

const rssMiB = () => mib(process.memoryUsage.rss() / 1024);
const startRssMiB = rssMiB();
sn.setSeed(0);
const model = sn.sequential({
  layers: [
    sn.layers.dense({ units: UNITS, activation: 'sigmoid', inputShape: [PIXELS] }),
    sn.layers.dense({ units: PIXELS, activation: 'sigmoid' }),
  ],
});
model.compile({ optimizer: sn.optimizers.adam({ learningRate: LEARNING_RATE }), loss: 'mse' });

const ds = sn.data
  .csv(path)
  .map((row) => {
    const pixels = Object.values(row as Record<string, number>);
    return { xs: pixels, ys: pixels };
  })
  .batch(BATCH)
  .prefetch(2);

const steps = Math.ceil(rows / BATCH);
let tenthRssMiB = 0;
let halfRssMiB = 0;
let done = 0;
const t0 = performance.now();
const history = await model.fitDataset(ds, {
  verbose: 0,
  callbacks: [
    {
      onBatchEnd: async () => {
        done++;
        if (done === Math.ceil(steps / 10)) tenthRssMiB = rssMiB();
        if (done === Math.ceil(steps / 2)) halfRssMiB = rssMiB();
      },
    },
  ],
});
const seconds = (performance.now() - t0) / 1000;
console.log(
  RESULT_PREFIX +
    JSON.stringify({
      steps: done,
      seconds,
      finalLoss: history.history['loss']?.[0] ?? Number.NaN,
      rssMiB: {
        start: startRssMiB,
        tenth: tenthRssMiB,
        half: halfRssMiB,
        end: rssMiB(),
        peak: mib(process.resourceUsage().maxRSS),
      },
    }),
);
