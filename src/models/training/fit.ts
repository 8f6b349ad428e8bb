import { ConfigError, describe } from '../../errors.js';
import { gather } from '../../ops/index.js';
import { tensor } from '../../tensor/creation.js';
import { Random } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Logs } from '../callback.js';
import type { CallbackLike } from '../callbacks/index.js';
import {
  checkCheckpointOptions,
  checkSameRun,
  restoreMetrics,
  runFingerprint,
  type CheckpointOptions,
} from '../checkpoint/state.js';
import { fileCheckpointer } from '../checkpoint/files.js';
import {
  checkPositiveInteger,
  sampleCount,
  takeRows,
  toTensorList,
  type DataLike,
} from '../data.js';
import type { History } from '../history.js';
import type { Model } from '../model.js';
import { sampleWeights, Tracker } from './batch.js';
import { compiledOf, makeMetrics } from './compile.js';
import { evaluateData } from './evaluate.js';
import { checkBoolean, checkNumber, checkOptionKeys, optionKeys } from '../../validation.js';
import { loopState, restoreLoop, runRandom, startLoop, trainLoopBatch } from './loop.js';

export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the samples, taken from the END before shuffling, used for validation. */
  validationSplit?: number;
  /** [x, y] or [x, y, sampleWeight] evaluated after each epoch. */
  validationData?: readonly [DataLike, DataLike] | readonly [DataLike, DataLike, DataLike];
  /** Callback objects, or plain objects of hook functions ({ onEpochEnd(epoch, logs) {...} }). */
  callbacks?: CallbackLike | readonly CallbackLike[];
  /** 0 silent, 1 a progress bar on a TTY (one line per epoch otherwise), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /**
   * Seeds the shuffling and the generator that dropout and noise without a seed of their own
   * draw from during this fit's steps: the same seed, the same run, whatever other fits run
   * at the same time (Promise.all). Without it they draw from the global generator (sn.setSeed).
   */
  seed?: number;
  /** Epoch to start counting from (epochs is the last epoch, exclusive), to resume a run. */
  initialEpoch?: number;
  /** Weight per class index, for imbalanced classification. */
  classWeight?: Readonly<Record<number, number>>;
  /** One weight per training sample. */
  sampleWeight?: DataLike;
  /**
   * Save the whole training state (weights, optimizer slots, epoch, step, random generators,
   * running means, history and callbacks' state) in `dir`, at the end of each epoch and, with
   * `every: k`, after every k steps; a fit started again with the same arguments resumes from
   * it and ends with the same weights, bit for bit, as a run never interrupted. Writes are
   * atomic: a run killed at any moment leaves the previous checkpoint valid. A finished run
   * leaves its final checkpoint, so running it again only restores it (or, with more epochs,
   * continues it); delete `dir` (or use another) to start afresh. Before training, `dir` is
   * checked: a new one must take a test file; an existing checkpoint must match its SHA-256
   * checksums, hold fields in range and finite weights, and belong to this run (same x, y,
   * sample and class weights, validation data, shuffle and batchSize), else a
   * SerializationError names the file and the fix.
   */
  checkpoint?: CheckpointOptions;
}
export const FIT_OPTION_KEYS = optionKeys<FitOptions>()({
  epochs: true,
  batchSize: true,
  shuffle: true,
  validationSplit: true,
  validationData: true,
  callbacks: true,
  verbose: true,
  seed: true,
  initialEpoch: true,
  classWeight: true,
  sampleWeight: true,
  checkpoint: true,
});

export async function fit(
  model: Model,
  x: DataLike,
  y: DataLike,
  options: FitOptions = {},
): Promise<History> {
  const compiled = compiledOf(model, 'fit');
  checkOptionKeys(
    options,
    'fit',
    FIT_OPTION_KEYS,
    'model.fit(x, y, { epochs: 10, batchSize: 32 })',
  );
  const { epochs = 1, validationSplit = 0, initialEpoch = 0 } = options;
  const shuffle = checkBoolean(options.shuffle, 'fit', 'shuffle', true);
  const verbose = checkNumber(options.verbose, 'fit', 'verbose', {
    integer: true,
    min: 0,
    max: 2,
    fallback: 1,
  }) as 0 | 1 | 2;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new ConfigError(`fit: epochs must be an integer >= 0, received ${describe(epochs)}.`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new ConfigError(
      `fit: initialEpoch must be an integer >= 0, received ${describe(initialEpoch)}.`,
    );
  }
  const batchSize = checkPositiveInteger(options.batchSize ?? 32, 'batchSize', 'fit');
  if (typeof validationSplit !== 'number' || !(validationSplit >= 0 && validationSplit < 1)) {
    throw new ConfigError(
      `fit: validationSplit must be a number in [0, 1), received ${describe(validationSplit)}.`,
    );
  }
  const checkpoint =
    options.checkpoint === undefined
      ? undefined
      : checkCheckpointOptions(options.checkpoint, 'fit');
  const rng = new Random(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  // A seeded fit's own generator, the global one only while its steps run (loop.ts).
  const random = runRandom(options.seed);

  let xs = toTensorList(x, 'x');
  let ys = toTensorList(y, 'y');
  const total = sampleCount([
    { name: 'x', tensors: xs },
    { name: 'y', tensors: ys },
  ]);
  if (total === 0) throw new ConfigError('fit: x and y have 0 samples; expected non-empty data.');
  let sw = sampleWeights(ys, options.sampleWeight, options.classWeight, total);

  let validation: { xs: Tensor[]; ys: Tensor[]; sw: Tensor | undefined } | undefined;
  if (options.validationData) {
    const [vx, vy, vw] = options.validationData;
    const vxs = toTensorList(vx, 'validationData x');
    const vys = toTensorList(vy, 'validationData y');
    const n = sampleCount([
      { name: 'validationData x', tensors: vxs },
      { name: 'validationData y', tensors: vys },
    ]);
    validation = { xs: vxs, ys: vys, sw: sampleWeights(vys, vw, undefined, n) };
  } else if (validationSplit > 0) {
    const split = Math.floor(total * (1 - validationSplit));
    if (split === 0 || split === total) {
      throw new ConfigError(
        `fit: validationSplit ${validationSplit} of ${total} samples leaves an empty training or validation set.`,
      );
    }
    const head = tensor(
      Array.from({ length: split }, (_, i) => i),
      undefined,
      'int32',
    );
    const tail = tensor(
      Array.from({ length: total - split }, (_, i) => split + i),
      undefined,
      'int32',
    );
    validation = { xs: takeRows(xs, tail), ys: takeRows(ys, tail), sw: sw && gather(sw, tail) };
    xs = takeRows(xs, head);
    ys = takeRows(ys, head);
    sw = sw && gather(sw, head);
  }
  const samples =
    validation && !options.validationData ? Math.floor(total * (1 - validationSplit)) : total;
  const steps = Math.ceil(samples / batchSize);

  // Builds a model still waiting for its input shape: its initializers draw from the run's
  // generator too.
  const metrics = random.inStep(() => makeMetrics(model, compiled, xs));
  const loop = startLoop(
    model,
    compiled,
    metrics,
    { callbacks: options.callbacks, verbose, random },
    { epochs, initialEpoch, steps, samples, batchSize, doValidation: validation !== undefined },
  );
  const { callbacks, progress } = loop;
  // Resuming: weights and optimizer slots now, the rest once the callbacks have begun.
  const loaded = checkpoint && (await fileCheckpointer.load(checkpoint.dir, model));
  const data =
    checkpoint &&
    (await runFingerprint(
      {
        x: xs,
        y: ys,
        sampleWeight: sw,
        validation: validation && [...validation.xs, ...validation.ys, validation.sw],
        shuffle,
      },
      fileCheckpointer.hash,
    ));
  let resume = loaded?.state;
  if (loaded) {
    checkSameRun(loaded, { samples, batchSize, epochs, data: data! });
    loaded.restore();
  }
  const save = async (epoch: number, step: number, shuffleRng: number[], tracker?: Tracker) => {
    const at = { epoch, step, samples, batchSize, data: data!, shuffleRng, tracker };
    await fileCheckpointer.save(checkpoint!.dir, model, loopState(loop, at));
  };
  try {
    await callbacks.onTrainBegin();
    let firstEpoch = initialEpoch;
    if (resume) {
      restoreLoop(loop, resume, loaded!.where);
      rng.setState(resume.shuffleRng);
      firstEpoch = resume.epoch;
    }
    for (let epoch = firstEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      await callbacks.onEpochBegin(epoch);
      const epochRng = rng.getState();
      const order = Array.from({ length: samples }, (_, i) => i);
      if (shuffle) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = rng.nextInt(i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
      }
      const tracker = new Tracker();
      for (const m of metrics) m.metric.reset();
      let firstStep = 0;
      if (resume && resume.step > 0) {
        // The epoch was interrupted: same order (drawn again above), its running means, on.
        tracker.setState(resume.tracker);
        restoreMetrics(metrics, resume.metrics, epoch);
        firstStep = resume.step;
      }
      resume = undefined;
      let epochLogs: Logs = {};
      for (let step = firstStep; step < steps && !model.stopTraining; step++) {
        const idx = tensor(
          order.slice(step * batchSize, (step + 1) * batchSize),
          undefined,
          'int32',
        );
        // The batch's rows are made inside the step's scope, and released with it.
        epochLogs = await trainLoopBatch(loop, epoch, step, idx.size, tracker, () => [
          takeRows(xs, idx),
          takeRows(ys, idx),
          sw && gather(sw, idx),
        ]);
        // Mid-epoch checkpoint (the end of the epoch saves anyway).
        const every = checkpoint?.every;
        const done = epoch * steps + step + 1;
        if (typeof every === 'number' && done % every === 0 && step + 1 < steps) {
          if (!model.stopTraining) await save(epoch, step + 1, epochRng, tracker);
        }
      }
      if (validation) {
        const v = random.inStep(() =>
          evaluateData(model, compiled, validation.xs, validation.ys, validation.sw, batchSize),
        );
        for (const [k, value] of Object.entries(v)) epochLogs[`val_${k}`] = value;
      }
      await callbacks.onEpochEnd(epoch, epochLogs);
      if (checkpoint) await save(epoch + 1, 0, rng.getState());
    }
    await callbacks.onTrainEnd();
  } finally {
    // An error mid-epoch must not leave a half-drawn progress bar behind.
    progress?.close();
  }
  return loop.history;
}
