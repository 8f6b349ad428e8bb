// A child of bench/run.ts: TensorFlow.js 4.x on its cpu or wasm backend. `task: 'sgemm'` times
// tf.matMul (the output disposed after each call); `task: 'train'` trains the same autoencoder
// from the same initial weights on the same batches, in a custom loop (TF.js layers throw on
// activityRegularizer): tf.layers.dense for both layers, loss mean((r − x)²) + 1e-5·Σ|code|,
// tf.train.adam(1e-3) through optimizer.minimize, or with `adam: 'keras'` the Keras-form Adam
// of ./keras-adam.ts (sinew's formula, for the loss parity). Prints one JSON line.
import * as tf from '@tensorflow/tfjs';
import { kerasAdam, type Minimizer } from './keras-adam.js';
import { selectBackend } from './tfjs-backend.js';
import {
  BATCH,
  CLASSES,
  L1,
  L2_RECURRENT,
  LSTM_UNITS,
  ROWS,
  LEARNING_RATE,
  PIXELS,
  SGEMM_CASES,
  UNITS,
  flops,
  mib,
  parseConfig,
  randomMatrix,
  lstmWeights,
  readInputs,
  readLabels,
  report,
  runLstmSchedule,
  runSchedule,
  schedule,
  timeMedian,
  type SgemmFigure,
  type TrainFigures,
} from '../workload.js';

const config = parseConfig();
const which = config.backend ?? 'wasm';

function sgemm(): SgemmFigure[] {
  // The cpu backend runs 1024³ at ~1 GFLOP/s (~2 s a product): keep its budget short.
  const budget = config.quick ? 300 : which === 'cpu' ? 3000 : 1500;
  return SGEMM_CASES.map((c, i) => {
    const a = c.transposeA
      ? tf.tensor2d(randomMatrix(c.m * c.k, 2 * i + 1), [c.k, c.m])
      : tf.tensor2d(randomMatrix(c.m * c.k, 2 * i + 1), [c.m, c.k]);
    const b = c.transposeB
      ? tf.tensor2d(randomMatrix(c.k * c.n, 2 * i + 2), [c.n, c.k])
      : tf.tensor2d(randomMatrix(c.k * c.n, 2 * i + 2), [c.k, c.n]);
    // cpu and wasm kernels run synchronously inside the op call.
    const { ms, runs } = timeMedian(
      () => tf.matMul(a, b, c.transposeA, c.transposeB).dispose(),
      budget,
    );
    a.dispose();
    b.dispose();
    return { label: c.label, gflops: flops(c) / (ms * 1e6), medianMs: ms, runs };
  });
}

function train(): Promise<TrainFigures> {
  const inputs = readInputs(config.inputs);
  const encoder = tf.layers.dense({ units: UNITS, activation: 'sigmoid', inputShape: [PIXELS] });
  const decoder = tf.layers.dense({ units: PIXELS, activation: 'sigmoid' });
  // Build both layers (their weights exist after a first call), then load sinew's weights.
  tf.tidy(() => {
    decoder.apply(encoder.apply(tf.zeros([1, PIXELS])));
  });
  encoder.setWeights([tf.tensor2d(inputs.kernel1, [PIXELS, UNITS]), tf.tensor1d(inputs.bias1)]);
  decoder.setWeights([tf.tensor2d(inputs.kernel2, [UNITS, PIXELS]), tf.tensor1d(inputs.bias2)]);
  const optimizer: Minimizer =
    config.adam === 'keras' ? kerasAdam(LEARNING_RATE) : tf.train.adam(LEARNING_RATE);
  const batches = schedule(inputs.n, config.quick).batches.map(({ start, size }) =>
    tf.tensor2d(inputs.pixels.subarray(start * PIXELS, (start + size) * PIXELS), [size, PIXELS]),
  );
  return runSchedule(inputs.n, config.quick, (i) => {
    const x = batches[i]!;
    const loss = optimizer.minimize(() => {
      const code = encoder.apply(x) as tf.Tensor;
      const reconstruction = decoder.apply(code) as tf.Tensor;
      const mse = tf.mean(tf.squaredDifference(reconstruction, x));
      return tf.add(mse, tf.mul(L1, tf.sum(tf.abs(code)))) as tf.Scalar;
    }, true)!;
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  });
}

/**
 * The LSTM classifier of issue 15 in a custom loop: tf.layers.lstm (recurrentActivation
 * 'sigmoid', as Keras and sinew; TF.js defaults to hard_sigmoid), a softmax dense, loss
 * mean categorical cross-entropy + 1e-4·Σ recurrentKernel² (a custom loop does not add layer
 * losses, so the penalty is written out), the same weights and batches as sinew's child.
 */
function lstm(): Promise<TrainFigures> {
  const inputs = readInputs(config.inputs);
  const labels = readLabels(config.labels!);
  const w = lstmWeights();
  const rnn = tf.layers.lstm({
    units: LSTM_UNITS,
    recurrentActivation: 'sigmoid',
    inputShape: [ROWS, ROWS],
  });
  const dense = tf.layers.dense({ units: CLASSES, activation: 'softmax' });
  tf.tidy(() => {
    dense.apply(rnn.apply(tf.zeros([1, ROWS, ROWS])));
  });
  rnn.setWeights([
    tf.tensor2d(w.kernel, [ROWS, 4 * LSTM_UNITS]),
    tf.tensor2d(w.recurrentKernel, [LSTM_UNITS, 4 * LSTM_UNITS]),
    tf.tensor1d(w.bias),
  ]);
  dense.setWeights([tf.tensor2d(w.dense, [LSTM_UNITS, CLASSES]), tf.tensor1d(w.denseBias)]);
  const recurrentKernel = rnn.trainableWeights[1]!.read();
  const optimizer: Minimizer =
    config.adam === 'keras' ? kerasAdam(LEARNING_RATE) : tf.train.adam(LEARNING_RATE);
  const batches = Array.from({ length: Math.floor(inputs.n / BATCH) }, (_, b) => ({
    x: tf.tensor3d(inputs.pixels.subarray(b * BATCH * PIXELS, (b + 1) * BATCH * PIXELS), [
      BATCH,
      ROWS,
      ROWS,
    ]),
    y: tf.tensor2d(labels.subarray(b * BATCH * CLASSES, (b + 1) * BATCH * CLASSES), [
      BATCH,
      CLASSES,
    ]),
  }));
  return runLstmSchedule(inputs.n, config.quick, (i) => {
    const { x, y } = batches[i]!;
    const loss = optimizer.minimize(() => {
      const p = dense.apply(rnn.apply(x)) as tf.Tensor;
      const ce = tf.mean(tf.metrics.categoricalCrossentropy(y, p));
      return tf.add(ce, tf.mul(L2_RECURRENT, tf.sum(tf.square(recurrentKernel)))) as tf.Scalar;
    }, true)!;
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  });
}

const setup = await selectBackend(which);
const startRssMiB = mib(process.memoryUsage.rss() / 1024);
const system = `tfjs ${which}${config.adam === 'keras' ? ' (Keras-form Adam)' : ''}`;
if (config.task === 'sgemm') {
  report({ system, setup, sgemm: sgemm(), startRssMiB });
} else {
  const figures = config.task === 'lstm' ? await lstm() : await train();
  report({ system, setup, train: figures, startRssMiB });
}
