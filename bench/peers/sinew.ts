// A child of bench/run.ts: sinew on its wasm backend. `task: 'sgemm'` times the float32
// matmul kernel of a wasm backend made with `{ threads }` (the output released after each
// call); `task: 'train'` trains the lab's autoencoder with sinew's layers, activityRegularizer
// l1(1e-5) with reduction 'sum' (so the loss is mse + 1e-5·Σ|code|, as TensorFlow.js's custom
// loop writes it) and trainOnBatch, the step fit runs. Prints one JSON line.
import * as sn from '../../src/index.js';
import { backend } from '../../src/backends/index.js';
import type { Backend } from '../../src/backends/backend.js';
import { createWasmBackend } from '../../src/backends/wasm/index.js';
import { timeSgemm } from '../sinew-sgemm.js';
import {
  CLASSES,
  L1,
  L2_RECURRENT,
  LSTM_UNITS,
  ROWS,
  BATCH,
  LEARNING_RATE,
  PIXELS,
  SGEMM_CASES,
  UNITS,
  flops,
  mib,
  parseConfig,
  lstmWeights,
  readInputs,
  readLabels,
  report,
  runLstmSchedule,
  runSchedule,
  schedule,
  type SgemmFigure,
  type TrainFigures,
} from '../workload.js';

const config = parseConfig();
const requested = config.threads ?? 1;

/** What the wasm backend says about itself (fields a single-threaded build lacks are optional). */
interface WasmInfo {
  readonly name: string;
  readonly variant?: string;
  readonly threads?: number;
  ready?(): Promise<void>;
  close?(): void;
  memoryStats?(): { bytesReserved: number };
}

function describeBackend(b: WasmInfo): Record<string, string | number | boolean> {
  if (b.name !== 'wasm') {
    throw new Error('sinew: the wasm backend is unavailable (run `npm run build:wasm`)');
  }
  return { backend: 'wasm', variant: b.variant ?? '?', threads: b.threads ?? 1 };
}

/** sgemm: a backend of its own with `threads`, whatever setBackend accepts. */
async function sgemmBackend(): Promise<Backend & WasmInfo> {
  const b = createWasmBackend({ threads: requested }) as Backend & WasmInfo;
  await b.ready?.();
  return b;
}

/**
 * Training: the active backend, selected with `setBackend('wasm', { threads })` (a setBackend
 * without options ignores them: the thread count the backend reports then tells).
 */
async function trainingBackend(): Promise<WasmInfo> {
  const setBackend = sn.setBackend as (name: string, options?: Record<string, unknown>) => void;
  setBackend('wasm', { threads: requested });
  await sn.ready();
  const b = backend() as unknown as WasmInfo;
  await b.ready?.();
  return b;
}

function sgemm(b: Backend): SgemmFigure[] {
  return SGEMM_CASES.map((c, i) => {
    const { ms, runs } = timeSgemm(b, c, i, config.quick ? 300 : 1500);
    return { label: c.label, gflops: flops(c) / (ms * 1e6), medianMs: ms, runs };
  });
}

function runTraining(): Promise<TrainFigures> {
  const inputs = readInputs(config.inputs);
  const model = sn.sequential({
    layers: [
      sn.layers.dense({
        units: UNITS,
        activation: 'sigmoid',
        inputShape: [PIXELS],
        activityRegularizer: sn.regularizers.l1(L1),
        activityRegularizerReduction: 'sum',
      }),
      sn.layers.dense({ units: PIXELS, activation: 'sigmoid' }),
    ],
  });
  model.setWeights([
    sn.tensor(inputs.kernel1, [PIXELS, UNITS]),
    sn.tensor(inputs.bias1, [UNITS]),
    sn.tensor(inputs.kernel2, [UNITS, PIXELS]),
    sn.tensor(inputs.bias2, [PIXELS]),
  ]);
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: LEARNING_RATE }), loss: 'mse' });
  const batches = schedule(inputs.n, config.quick).batches.map(({ start, size }) =>
    sn.tensor(inputs.pixels.subarray(start * PIXELS, (start + size) * PIXELS), [size, PIXELS]),
  );
  return runSchedule(inputs.n, config.quick, (i) => {
    const x = batches[i]!;
    return model.trainOnBatch(x, x)['loss']!;
  });
}

/** The LSTM classifier of issue 15: trainOnBatch on [128, 28, 28] rows and one-hot labels. */
function runLstm(): Promise<TrainFigures> {
  const inputs = readInputs(config.inputs);
  const labels = readLabels(config.labels!);
  const w = lstmWeights();
  const model = sn.sequential({
    layers: [
      sn.layers.lstm({
        units: LSTM_UNITS,
        inputShape: [ROWS, ROWS],
        recurrentRegularizer: sn.regularizers.l2(L2_RECURRENT),
      }),
      sn.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  model.setWeights([
    sn.tensor(w.kernel, [ROWS, 4 * LSTM_UNITS]),
    sn.tensor(w.recurrentKernel, [LSTM_UNITS, 4 * LSTM_UNITS]),
    sn.tensor(w.bias, [4 * LSTM_UNITS]),
    sn.tensor(w.dense, [LSTM_UNITS, CLASSES]),
    sn.tensor(w.denseBias, [CLASSES]),
  ]);
  model.compile({
    optimizer: sn.optimizers.adam({ learningRate: LEARNING_RATE }),
    loss: 'categoricalCrossentropy',
  });
  const batches = Array.from({ length: Math.floor(inputs.n / BATCH) }, (_, b) => ({
    x: sn.tensor(inputs.pixels.subarray(b * BATCH * PIXELS, (b + 1) * BATCH * PIXELS), [
      BATCH,
      ROWS,
      ROWS,
    ]),
    y: sn.tensor(labels.subarray(b * BATCH * CLASSES, (b + 1) * BATCH * CLASSES), [BATCH, CLASSES]),
  }));
  return runLstmSchedule(inputs.n, config.quick, (i) => {
    const { x, y } = batches[i]!;
    return model.trainOnBatch(x, y)['loss']!;
  });
}

const system = `sinew wasm ${requested}t`;
const b = config.task === 'sgemm' ? await sgemmBackend() : await trainingBackend();
const setup = describeBackend(b);
const startRssMiB = mib(process.memoryUsage.rss() / 1024);
if (setup['threads'] !== requested) {
  const why =
    config.task === 'train'
      ? "sn.setBackend('wasm', { threads }) does not set the thread count yet"
      : 'no shared-memory build of the kernels, or no SharedArrayBuffer';
  const unsupported = `asked for ${requested} thread(s), the wasm backend runs ${setup['threads']}: ${why}`;
  report({ system, setup, unsupported, startRssMiB });
} else if (config.task === 'sgemm') {
  report({ system, setup, sgemm: sgemm(b as Backend & WasmInfo), startRssMiB });
} else {
  const train = config.task === 'lstm' ? await runLstm() : await runTraining();
  const stats = b.memoryStats?.();
  if (stats) setup['arenaReservedMiB'] = mib(stats.bytesReserved / 1024);
  report({ system, setup, train, startRssMiB });
}
b.close?.();
