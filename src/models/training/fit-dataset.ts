import { noGrad } from '../../autograd/tape.js';
import { ConfigError, SerializationError, describe } from '../../errors.js';
import { checkOptionKeys, optionKeys } from '../../validation.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Logs } from '../callback.js';
import type { CallbackLike } from '../callbacks/index.js';
import {
  checkCheckpointOptions,
  restoreMetrics,
  type CheckpointOptions,
  type TrainingState,
} from '../checkpoint/state.js';
import { fileCheckpointer } from '../checkpoint/files.js';
import { checkPositiveInteger, sampleCount, toTensorList, type DataLike } from '../data.js';
import type { History } from '../history.js';
import type { Model } from '../model.js';
import { metricResults, sampleWeights, Tracker } from './batch.js';
import { compiledOf, makeMetrics, type Compiled } from './compile.js';
import {
  batchTensors,
  checkDataset,
  isDatasetLike,
  StreamReader,
  type DatasetLike,
} from './dataset-batches.js';
import { evaluateBatch, evaluateData } from './evaluate.js';
import { loopState, restoreLoop, runRandom, startLoop, trainLoopBatch } from './loop.js';

/**
 * fitDataset and evaluateDataset (TF.js's names): training and evaluation on a stream of
 * batches { xs, ys } (sn.data), with fit's step, logs (loss, regularization_loss, metrics,
 * val_*), callbacks, progress bar and checkpoints.
 */

export interface FitDatasetOptions {
  epochs?: number;
  /**
   * Batches per epoch. Without it an epoch is one pass over the dataset (a new iterator each
   * epoch); with it one iterator runs across the epochs (repeat() the dataset so that it
   * lasts epochs × batchesPerEpoch batches; training stops with a warning when it runs out).
   */
  batchesPerEpoch?: number;
  /** A dataset of batches, or [x, y] / [x, y, sampleWeight] tensors, evaluated after each epoch. */
  validationData?:
    DatasetLike | readonly [DataLike, DataLike] | readonly [DataLike, DataLike, DataLike];
  /** With a validation dataset: evaluate only its first n batches. */
  validationBatches?: number;
  /** With validation tensors: their batch size (default 32). */
  validationBatchSize?: number;
  callbacks?: CallbackLike | readonly CallbackLike[];
  /** 0 silent, 1 a progress bar on a TTY (one line per epoch otherwise), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /**
   * The seed of this run's own generator, which dropout and noise draw from during its steps
   * (the global one is left alone, as in fit); shuffle the dataset with its own seed.
   */
  seed?: number;
  initialEpoch?: number;
  classWeight?: Readonly<Record<number, number>>;
  /**
   * As fit's: the whole training state saved as it goes, plus the place in the stream (the
   * dataset's state when its current iterator was made, and how many batches it gave). A
   * fitDataset started again with the same arguments and a dataset built the same way reads
   * the batches it had not trained on and ends as an uninterrupted run. That needs a
   * deterministic dataset: the same file or array, generators that yield the same sequence
   * on each call, and every shuffle given a seed (a seedless shuffle draws its seed at
   * random when the dataset is built, so a restarted program shuffles differently).
   * `every: k` counts steps from the first epoch with batchesPerEpoch, within each epoch
   * without it.
   */
  checkpoint?: CheckpointOptions;
}

const FIT_DATASET_OPTION_KEYS = optionKeys<FitDatasetOptions>()({
  epochs: true,
  batchesPerEpoch: true,
  validationData: true,
  validationBatches: true,
  validationBatchSize: true,
  callbacks: true,
  verbose: true,
  seed: true,
  initialEpoch: true,
  classWeight: true,
  checkpoint: true,
});

export async function fitDataset(
  model: Model,
  dataset: DatasetLike,
  options: FitDatasetOptions = {},
): Promise<History> {
  const compiled = compiledOf(model, 'fitDataset');
  checkDataset(dataset, 'fitDataset');
  checkOptionKeys(options, 'fitDataset', FIT_DATASET_OPTION_KEYS);
  const { epochs = 1, verbose = 1, initialEpoch = 0 } = options;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new ConfigError(
      `fitDataset: epochs must be an integer >= 0, received ${describe(epochs)}.`,
    );
  }
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new ConfigError(
      `fitDataset: initialEpoch must be an integer >= 0, received ${describe(initialEpoch)}.`,
    );
  }
  const perEpoch =
    options.batchesPerEpoch === undefined
      ? undefined
      : checkPositiveInteger(options.batchesPerEpoch, 'batchesPerEpoch', 'fitDataset');
  const checkpoint =
    options.checkpoint === undefined
      ? undefined
      : checkCheckpointOptions(options.checkpoint, 'fitDataset');
  if (checkpoint && (!dataset.getState || !dataset.setState)) {
    throw new ConfigError(
      'fitDataset: the checkpoint option needs a dataset that can save its place ' +
        '(getState/setState, as sn.data datasets have); received a dataset without them. ' +
        'Fix: build it with sn.data (e.g. sn.data.generator(fn)), or leave checkpoint out.',
    );
  }
  // A seeded run's own generator, the global one only while its steps run (loop.ts).
  const random = runRandom(options.seed);
  const validate = validationOf(model, compiled, options);

  // A sequential model still waiting for its input shape is built from the first batch
  // (read through an iterator of its own; the dataset's state is put back after).
  let first: Tensor[] = [];
  if (!model.built) {
    const state = dataset.getState?.();
    const it = await dataset.iterator();
    const head = await it.next();
    await it.return?.();
    if (state !== undefined) dataset.setState?.(state);
    if (!head.done) first = batchTensors(head.value, 'fitDataset').xs;
  }
  const metrics = random.inStep(() => makeMetrics(model, compiled, first));
  const size = dataset.size;
  const loop = startLoop(
    model,
    compiled,
    metrics,
    { callbacks: options.callbacks, verbose, random },
    {
      epochs,
      initialEpoch,
      // Unknown counts are 0 (TF.js: null): the progress bar then shows the steps done.
      steps: perEpoch ?? (size !== undefined && Number.isFinite(size) ? size : 0),
      samples: 0,
      batchSize: 0,
      doValidation: validate !== undefined,
    },
  );
  const { callbacks, progress } = loop;
  const reader = new StreamReader(dataset);
  const loaded = checkpoint && (await fileCheckpointer.load(checkpoint.dir, model));
  let resume = loaded?.state;
  if (loaded) {
    checkSameStream(loaded.state, loaded.where, perEpoch);
    loaded.restore();
  }
  const save = async (epoch: number, step: number, tracker?: Tracker) => {
    const state = loopState(loop, {
      epoch,
      step,
      samples: 0,
      batchSize: perEpoch ?? 0,
      shuffleRng: [],
      tracker,
      dataset: reader.position(),
    });
    await fileCheckpointer.save(checkpoint!.dir, model, state);
  };
  try {
    await callbacks.onTrainBegin();
    let firstEpoch = initialEpoch;
    if (resume) {
      restoreLoop(loop, resume, loaded!.where);
      firstEpoch = resume.epoch;
      await reader.open(resume.dataset!.state, resume.dataset!.consumed);
    }
    for (let epoch = firstEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      await callbacks.onEpochBegin(epoch);
      if (!reader.isOpen) await reader.open();
      const tracker = new Tracker();
      for (const m of metrics) m.metric.reset();
      let step = 0;
      if (resume && resume.step > 0) {
        tracker.setState(resume.tracker);
        restoreMetrics(metrics, resume.metrics, epoch);
        step = resume.step;
      }
      resume = undefined;
      let epochLogs: Logs = {};
      while ((perEpoch === undefined || step < perEpoch) && !model.stopTraining) {
        const next = await reader.next();
        if (next.done) {
          if (perEpoch !== undefined) ranOut(perEpoch, epochs, step, model);
          break;
        }
        const batch = batchTensors(next.value, 'fitDataset');
        // The class weights are made inside the step's scope, and released with it.
        const { classWeight } = options;
        epochLogs = await trainLoopBatch(loop, epoch, step, batch.size, tracker, () => [
          batch.xs,
          batch.ys,
          classWeight && sampleWeights(batch.ys, undefined, classWeight, batch.size),
        ]);
        step++;
        const every = checkpoint?.every;
        const done = perEpoch === undefined ? step : epoch * perEpoch + step;
        if (typeof every === 'number' && done % every === 0 && !model.stopTraining) {
          await save(epoch, step, tracker);
        }
      }
      // Without batchesPerEpoch an epoch is a pass: the next one opens a new iterator.
      if (perEpoch === undefined) await reader.close();
      if (validate)
        for (const [k, v] of Object.entries(await validate())) epochLogs[`val_${k}`] = v;
      await callbacks.onEpochEnd(epoch, epochLogs);
      if (checkpoint) await save(epoch + 1, 0);
    }
    await callbacks.onTrainEnd();
  } finally {
    progress?.close();
    await reader.close();
  }
  return loop.history;
}

/** The checkpoint (`where`) must be fitDataset's, with the same batchesPerEpoch. */
function checkSameStream(state: TrainingState, where: string, perEpoch: number | undefined): void {
  if (state.dataset === undefined) {
    throw new SerializationError(
      `${where}: the checkpoint was written by fit (tensors), not by fitDataset. Fix: resume ` +
        'it with fit, or pass another checkpoint dir.',
    );
  }
  if (state.batchSize !== (perEpoch ?? 0)) {
    const was =
      state.batchSize === 0 ? 'without batchesPerEpoch' : `with batchesPerEpoch ${state.batchSize}`;
    throw new SerializationError(
      `${where}: the checkpoint belongs to a fitDataset run ${was}, but this one has ` +
        `${perEpoch === undefined ? 'none' : `batchesPerEpoch ${perEpoch}`}. Fix: call ` +
        'fitDataset with the same options, or pass another checkpoint dir to start afresh.',
    );
  }
}

function ranOut(perEpoch: number, epochs: number, step: number, model: Model): void {
  console.warn(
    `sinew: fitDataset was given batchesPerEpoch ${perEpoch}, but the dataset ran out after ` +
      `${step} batches of this epoch; training stops here. Make the dataset give at least ` +
      `batchesPerEpoch × epochs = ${perEpoch * epochs} batches, e.g. with .repeat().`,
  );
  model.stopTraining = true;
}

/** The per-epoch validation, from a dataset or from tensors (undefined without). */
function validationOf(
  model: Model,
  compiled: Compiled,
  options: FitDatasetOptions,
): (() => Promise<Logs>) | undefined {
  const data = options.validationData;
  if (data === undefined) return undefined;
  if (isDatasetLike(data)) {
    const batches = options.validationBatches;
    return () => evaluateDataset(model, data, batches === undefined ? {} : { batches });
  }
  if (!Array.isArray(data) || data.length < 2 || data.length > 3) {
    throw new ConfigError(
      `fitDataset: validationData must be a dataset or [x, y] (or [x, y, sampleWeight]), received ${describe(data)}.`,
    );
  }
  const [vx, vy, vw] = data as readonly DataLike[];
  const xs = toTensorList(vx!, 'validationData x');
  const ys = toTensorList(vy!, 'validationData y');
  const n = sampleCount([
    { name: 'validationData x', tensors: xs },
    { name: 'validationData y', tensors: ys },
  ]);
  const sw = sampleWeights(ys, vw, undefined, n);
  const batchSize = checkPositiveInteger(
    options.validationBatchSize ?? 32,
    'validationBatchSize',
    'fitDataset',
  );
  return async () => evaluateData(model, compiled, xs, ys, sw, batchSize);
}

export interface EvaluateDatasetOptions {
  /** Evaluate only the first n batches (default: the whole dataset). */
  batches?: number;
}
const EVALUATE_DATASET_OPTION_KEYS = optionKeys<EvaluateDatasetOptions>()({
  batches: true,
});

/**
 * Loss (with regularization), regularization_loss and metrics over a dataset of batches
 * { xs, ys }, as evaluate's record, each the mean over the samples.
 */
export async function evaluateDataset(
  model: Model,
  dataset: DatasetLike,
  options: EvaluateDatasetOptions = {},
): Promise<Logs> {
  const compiled = compiledOf(model, 'evaluateDataset');
  checkDataset(dataset, 'evaluateDataset');
  checkOptionKeys(options, 'evaluateDataset', EVALUATE_DATASET_OPTION_KEYS);
  const limit =
    options.batches === undefined
      ? undefined
      : checkPositiveInteger(options.batches, 'batches', 'evaluateDataset');
  const iterator = await dataset.iterator();
  const tracker = new Tracker();
  let metrics: ReturnType<typeof makeMetrics> | undefined;
  let count = 0;
  try {
    while (limit === undefined || count < limit) {
      const next = await iterator.next();
      if (next.done) {
        if (limit !== undefined) {
          console.warn(
            `sinew: evaluateDataset was given batches ${limit}, but the dataset ran out after ` +
              `${count}; the results cover those.`,
          );
        }
        break;
      }
      const batch = batchTensors(next.value, 'evaluateDataset');
      metrics ??= makeMetrics(model, compiled, batch.xs);
      const m = metrics;
      noGrad(() =>
        evaluateBatch(model, compiled, m, tracker, () => [batch.xs, batch.ys, undefined]),
      );
      count++;
    }
  } finally {
    await iterator.return?.();
  }
  if (count === 0) {
    throw new ConfigError('evaluateDataset: the dataset gave no batches; expected at least one.');
  }
  return { ...tracker.means(), ...metricResults(metrics!) };
}
