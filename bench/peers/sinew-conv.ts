// A child of bench/run.ts: sinew's conv autoencoder (bench/conv-workload.ts) on its wasm
// backend with `{ threads }`. `task: 'conv-train'` runs trainOnBatch steps (the code's
// activityRegularizer l1(1e-4) with reduction 'sum', so the loss is mse + 1e-4·Σ|code| as the
// TF.js loop writes it; Adam 1e-3); `task: 'conv-predict'` times model.predict on one batch of
// 64 digits. Prints one JSON line.
import * as sn from '../../src/index.js';
import { backend } from '../../src/backends/index.js';
import {
  CONV_BATCH,
  CONV_KERNELS,
  CONV_L1,
  convBatch,
  convSchedule,
  predictFigures,
  readConvWeights,
  runConvSteps,
  type ConvFigures,
} from '../conv-workload.js';
import { LEARNING_RATE, mib, parseConfig, readInputs, report, timeMedian } from '../workload.js';

const config = parseConfig();
const requested = config.threads ?? 1;

interface WasmInfo {
  readonly name: string;
  readonly variant?: string;
  readonly threads?: number;
  ready?(): Promise<void>;
  close?(): void;
}

function buildModel(): sn.Sequential {
  const conv = (
    filters: number,
    activation: string,
    extra: Partial<sn.layers.Conv2DOptions> = {},
  ) => sn.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation, ...extra });
  const model = sn.sequential({
    layers: [
      conv(16, 'relu', { inputShape: [28, 28, 1] }),
      sn.layers.maxPooling2d({ poolSize: 2 }),
      conv(8, 'sigmoid', {
        activityRegularizer: sn.regularizers.l1(CONV_L1),
        activityRegularizerReduction: 'sum',
      }),
      sn.layers.upSampling2d({ size: 2 }),
      conv(1, 'sigmoid'),
    ],
  });
  const weights = readConvWeights(config.convInputs!);
  model.setWeights(
    weights.map((w, i) =>
      sn.tensor(w, i % 2 === 0 ? [...CONV_KERNELS[i / 2]!] : [CONV_KERNELS[(i - 1) / 2]![3]]),
    ),
  );
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: LEARNING_RATE }), loss: 'mse' });
  return model;
}

async function run(): Promise<ConvFigures> {
  const inputs = readInputs(config.inputs);
  const model = buildModel();
  const batch = (step: number): sn.Tensor =>
    sn.tensor(convBatch(inputs.pixels, inputs.n, step), [CONV_BATCH, 28, 28, 1]);
  if (config.task === 'conv-predict') {
    const x = batch(0);
    const { ms, runs } = timeMedian(
      () => void (model.predict(x) as sn.Tensor).dataSync(),
      config.quick ? 300 : 2000,
    );
    return predictFigures(ms, runs);
  }
  const schedule = convSchedule(config.quick);
  const batches = Array.from({ length: schedule.warmup + schedule.timed }, (_, i) => batch(i));
  return runConvSteps(schedule, (i) => {
    const x = batches[i]!;
    return model.trainOnBatch(x, x)['loss']!;
  });
}

const setBackend = sn.setBackend as (name: string, options?: Record<string, unknown>) => void;
setBackend('wasm', { threads: requested });
await sn.ready();
const b = backend() as unknown as WasmInfo;
await b.ready?.();
if (b.name !== 'wasm')
  throw new Error('sinew: the wasm backend is unavailable (run `npm run build:wasm`)');
const setup = { backend: 'wasm', variant: b.variant ?? '?', threads: b.threads ?? 1 };
const startRssMiB = mib(process.memoryUsage.rss() / 1024);
const system = `sinew wasm ${requested}t`;
if (setup.threads !== requested) {
  const unsupported = `asked for ${requested} thread(s), the wasm backend runs ${setup.threads}`;
  report({ system, setup, unsupported, startRssMiB });
} else {
  report({ system, setup, conv: await run(), startRssMiB });
}
b.close?.();
