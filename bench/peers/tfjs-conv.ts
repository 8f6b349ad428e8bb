// A child of bench/run.ts: TensorFlow.js 4.x running the conv autoencoder of
// bench/conv-workload.ts from sinew's initial weights. `task: 'conv-train'` (cpu backend): a
// custom loop, since TF.js layers throw on activityRegularizer: tf.layers for the model, loss
// mean((r − x)²) + 1e-4·Σ|code| written by hand, the Keras-form Adam of ./keras-adam.ts (sinew's
// formula, so the final losses can be compared) and the upsampling as stack + reshape (see
// buildModel). `task: 'conv-predict'` (cpu or wasm; TF.js's
// wasm backend has no Conv2DBackpropFilter, so it cannot train a conv): model.predict on one
// batch of 64. Prints one JSON line.
import * as tf from '@tensorflow/tfjs';
import { kerasAdam } from './keras-adam.js';
import { selectBackend } from './tfjs-backend.js';
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
const which = config.backend ?? 'cpu';

/** The layers with sinew's initial weights; `encode` gives the code, `decode` the reconstruction. */
function buildModel(): {
  encode: (x: tf.Tensor) => tf.Tensor;
  decode: (c: tf.Tensor) => tf.Tensor;
} {
  const conv = (filters: number, activation: 'relu' | 'sigmoid') =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation });
  const conv1 = conv(16, 'relu');
  const pool = tf.layers.maxPooling2d({ poolSize: 2 });
  const code = conv(8, 'sigmoid');
  const up = tf.layers.upSampling2d({ size: [2, 2] });
  const conv3 = conv(1, 'sigmoid');
  const encode = (x: tf.Tensor) =>
    code.apply(pool.apply(conv1.apply(x) as tf.Tensor) as tf.Tensor) as tf.Tensor;
  // Training upsamples with stack + reshape (the same values): TF.js 4.22's cpu gradient of
  // the layer's resizeNearestNeighbor is wrong for a batch over 1 (its kernel offsets dy's
  // batch by the input's stride, so digit b reads another digit's gradient), which moved the
  // code's and first layers' gradients by 5–10% against finite differences and sinew, and the
  // loss after 10 steps by 2.2e-4. The layer still runs once, to build, and in prediction (timed as is).
  const doubled = (c: tf.Tensor): tf.Tensor => {
    const [b, h, w, ch] = c.shape as [number, number, number, number];
    const wide = tf.reshape(tf.stack([c, c], 3), [b, h, 2 * w, ch]);
    return tf.reshape(tf.stack([wide, wide], 2), [b, 2 * h, 2 * w, ch]);
  };
  const upsample = (c: tf.Tensor): tf.Tensor =>
    config.task === 'conv-train' ? doubled(c) : (up.apply(c) as tf.Tensor);
  const decode = (c: tf.Tensor) => conv3.apply(upsample(c)) as tf.Tensor;
  tf.tidy(() => void conv3.apply(up.apply(encode(tf.zeros([1, 28, 28, 1]))) as tf.Tensor));
  const w = readConvWeights(config.convInputs!);
  [conv1, code, conv3].forEach((layer, i) =>
    layer.setWeights([tf.tensor4d(w[2 * i]!, [...CONV_KERNELS[i]!]), tf.tensor1d(w[2 * i + 1]!)]),
  );
  return { encode, decode };
}

function run(): Promise<ConvFigures> {
  const inputs = readInputs(config.inputs);
  const { encode, decode } = buildModel();
  const batch = (step: number): tf.Tensor4D =>
    tf.tensor4d(convBatch(inputs.pixels, inputs.n, step), [CONV_BATCH, 28, 28, 1]);
  if (config.task === 'conv-predict') {
    const x = batch(0);
    const { ms, runs } = timeMedian(
      () => {
        const y = tf.tidy(() => decode(encode(x)));
        y.dataSync();
        y.dispose();
      },
      config.quick ? 300 : 2000,
    );
    return Promise.resolve(predictFigures(ms, runs));
  }
  const optimizer = kerasAdam(LEARNING_RATE);
  const schedule = convSchedule(config.quick, true);
  const batches = Array.from({ length: schedule.warmup + schedule.timed }, (_, i) => batch(i));
  return runConvSteps(schedule, (i) => {
    const input = batches[i]!;
    const loss = optimizer.minimize(() => {
      const c = encode(input);
      const mse = tf.mean(tf.squaredDifference(decode(c), input));
      return tf.add(mse, tf.mul(CONV_L1, tf.sum(tf.abs(c)))) as tf.Scalar;
    }, true)!;
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  });
}

const setup = await selectBackend(which);
const startRssMiB = mib(process.memoryUsage.rss() / 1024);
report({ system: `tfjs ${which}`, setup, conv: await run(), startRssMiB });
