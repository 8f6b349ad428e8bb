import { valueAndGrads } from '../autograd/gradients.js';
import { noGrad } from '../autograd/tape.js';
import { ConfigError, describe } from '../errors.js';
import { computeLoss, getLoss, type Loss } from '../losses/loss.js';
import { getMetric, type Metric } from '../metrics/metric.js';
import { add, addN, argMax, cast, concat, gather, mul, reshape } from '../ops/index.js';
import { getOptimizer, type Optimizer } from '../optimizers/optimizer.js';
import { scalar, tensor } from '../tensor/creation.js';
import { Random, randomFor, setSeed } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs, TrainingParams } from './callback.js';
import { CallbackList, type CallbackLike } from './callbacks/index.js';
import {
  callbackStates,
  checkCheckpointOptions,
  checkSameRun,
  getCheckpointer,
  metricStates,
  restoreCallbacks,
  restoreMetrics,
  type CheckpointOptions,
  type TrainingState,
} from './checkpointing.js';
import {
  checkPositiveInteger,
  sampleCount,
  takeRows,
  toTensorList,
  type DataLike,
} from './data.js';
import { History } from './history.js';
import type { Model } from './model.js';
import { ProgressLogger } from './progress.js';

/**
 * compile, fit, evaluate, predict, trainOnBatch, testOnBatch. One formula everywhere
 * (SEMANTICS rule 13): total loss = Σ_outputs lossWeight · mean data loss + Σ model.losses
 * (every activity penalty of the pass and every weight penalty). Logs report `loss` (the
 * total) and `regularization_loss` (the second sum), for training and validation alike.
 */

type LossId = string | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);
type MetricId = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor);

export interface CompileOptions {
  optimizer: string | Optimizer;
  /** One loss for every output, a list (one per output) or a record by output layer name. */
  loss: LossId | readonly LossId[] | Readonly<Record<string, LossId>>;
  /** Metrics for every output, or a record by output layer name. */
  metrics?: readonly MetricId[] | Readonly<Record<string, readonly MetricId[]>>;
  /** Weights of each output's loss in the total (default 1 each). */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

/** What compile resolved: one entry per model output. */
export interface Compiled {
  optimizer: Optimizer;
  losses: Loss[];
  lossWeights: number[];
  metricIds: MetricId[][];
  outputNames: string[];
}

export function compile(model: Model, options: CompileOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(
      `compile: expected { optimizer, loss, metrics? }, received ${describe(options)}.`,
    );
  }
  const outputNames = uniqueNames(model.outputNames);
  const n = Math.max(1, outputNames.length);
  const perOutput = <T>(
    value: T | readonly T[] | Readonly<Record<string, T>> | undefined,
    what: string,
    fallback: T,
  ): T[] => {
    if (value === undefined) return Array.from({ length: n }, () => fallback);
    if (Array.isArray(value)) {
      if (value.length !== n) {
        throw new ConfigError(
          `compile: ${what} has ${value.length} entries but the model has ${n} output(s) (${outputNames.join(', ')}).`,
        );
      }
      return value as T[];
    }
    if (
      typeof value === 'object' &&
      value !== null &&
      !('call' in value) &&
      !('update' in value) &&
      !('applyGradients' in value)
    ) {
      const record = value as Readonly<Record<string, T>>;
      for (const key of Object.keys(record)) {
        if (!outputNames.includes(key)) {
          throw new ConfigError(
            `compile: ${what} names output '${key}', but the outputs are ${outputNames.map((o) => `'${o}'`).join(', ')}.`,
          );
        }
      }
      return outputNames.map((name) => record[name] ?? fallback);
    }
    return Array.from({ length: n }, () => value as T);
  };
  if (options.loss === undefined)
    throw new ConfigError(
      "compile: a loss is required, e.g. compile({ optimizer: 'adam', loss: 'mse' }).",
    );
  const losses = perOutput<LossId>(options.loss, 'loss', 'mse').map((id) => getLoss(id));
  const lossWeights = perOutput<number>(options.lossWeights, 'lossWeights', 1);
  lossWeights.forEach((w) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ConfigError(
        `compile: lossWeights must be finite numbers >= 0, received ${describe(w)}.`,
      );
    }
  });
  let metricIds: MetricId[][];
  if (options.metrics === undefined) metricIds = Array.from({ length: n }, () => []);
  else if (Array.isArray(options.metrics))
    metricIds = Array.from({ length: n }, () => [...(options.metrics as MetricId[])]);
  else
    metricIds = perOutput<readonly MetricId[]>(
      options.metrics as Readonly<Record<string, readonly MetricId[]>>,
      'metrics',
      [],
    ).map((m) => [...m]);
  model.compiled = {
    optimizer: getOptimizer(options.optimizer),
    losses,
    lossWeights,
    metricIds,
    outputNames,
  };
}

/**
 * Output names for logs, made unique as tf.keras does: a layer giving two outputs (or a shared
 * layer) is 'dense', then 'dense_1', 'dense_2'.
 */
function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  const next = new Map<string, number>();
  return names.map((name) => {
    let proposal = name;
    while (used.has(proposal)) {
      const k = next.get(name) ?? 1;
      proposal = `${name}_${k}`;
      next.set(name, k + 1);
    }
    used.add(proposal);
    return proposal;
  });
}

function compiledOf(model: Model, where: string): Compiled {
  if (!model.compiled) {
    throw new ConfigError(
      `${where}: model '${model.name}' is not compiled; call model.compile({ optimizer: 'adam', loss: 'mse' }) first.`,
    );
  }
  return model.compiled;
}

/**
 * Fresh metric objects for each output (names prefixed by the output's name when several).
 * A sequential model still waiting for its input shape is built from x first, so that
 * 'accuracy' is resolved from the real output shape (binary for one unit).
 */
function makeMetrics(
  model: Model,
  compiled: Compiled,
  xs: readonly Tensor[],
): { output: number; metric: Metric; name: string }[] {
  if (!model.built && xs[0] !== undefined) model.build([null, ...xs[0].shape.slice(1)]);
  const out: { output: number; metric: Metric; name: string }[] = [];
  compiled.metricIds.forEach((ids, i) => {
    for (const id of ids) {
      const metric = getMetric(id, {
        loss: compiled.losses[i]!,
        outputShape: model.outputs[i]?.shape ?? [],
      });
      const name =
        compiled.outputNames.length > 1 ? `${compiled.outputNames[i]}_${metric.name}` : metric.name;
      out.push({ output: i, metric, name });
    }
  });
  return out;
}

interface StepResult {
  total: number;
  regularization: number;
  outputLosses: number[];
  predictions: Tensor[];
}

/** What model.apply takes for these per-input tensors (an extra tensor is an error). */
function modelInput(model: Model, xs: readonly Tensor[]): Tensor | Tensor[] {
  if (!model.singleInput) return [...xs];
  if (xs.length !== 1) {
    throw new ConfigError(
      `${model.describeSelf()} has 1 input but x is a list of ${xs.length} tensors; pass one tensor.`,
    );
  }
  return xs[0]!;
}

/**
 * The loss of one batch, as a scalar tensor, plus its parts as numbers. Runs the model in
 * training or inference mode; called inside valueAndGrads for training.
 */
function batchLoss(
  model: Model,
  compiled: Compiled,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  sampleWeight: Tensor | undefined,
  training: boolean,
): { loss: Tensor; parts: () => StepResult } {
  const out = model.apply(modelInput(model, xs), { training });
  const predictions = Array.isArray(out) ? out : [out];
  if (ys.length !== predictions.length) {
    throw new ConfigError(
      `${model.describeSelf()} has ${predictions.length} output(s) (${compiled.outputNames.join(', ')}) but ${ys.length} target tensor(s) were given.`,
    );
  }
  const outputLosses = predictions.map((p, i) =>
    computeLoss(compiled.losses[i]!, ys[i]!, p, sampleWeight),
  );
  const data = addN(
    outputLosses.map((l, i) =>
      compiled.lossWeights[i] === 1 ? l : mul(l, compiled.lossWeights[i]!),
    ),
  );
  const penalties = model.losses;
  const regularization = penalties.length > 0 ? addN(penalties) : scalar(0);
  const loss = add(data, regularization);
  return {
    loss,
    parts: () => ({
      total: loss.item(),
      regularization: regularization.item(),
      outputLosses: outputLosses.map((l) => l.item()),
      predictions,
    }),
  };
}

/** Running means of the per-batch numbers, weighted by batch size (as Keras's loss tracker). */
class Tracker {
  #sums = new Map<string, number>();
  #count = 0;
  add(values: Record<string, number>, n: number): void {
    for (const [k, v] of Object.entries(values))
      this.#sums.set(k, (this.#sums.get(k) ?? 0) + v * n);
    this.#count += n;
  }
  means(): Logs {
    const out: Logs = {};
    for (const [k, v] of this.#sums) out[k] = this.#count === 0 ? Number.NaN : v / this.#count;
    return out;
  }
  getState(): TrainingState['tracker'] {
    return { sums: Object.fromEntries(this.#sums), count: this.#count };
  }
  setState(state: TrainingState['tracker']): void {
    this.#sums = new Map(Object.entries(state.sums));
    this.#count = state.count;
  }
}

function stepLogs(result: StepResult, compiled: Compiled): Record<string, number> {
  const logs: Record<string, number> = {
    loss: result.total,
    regularization_loss: result.regularization,
  };
  if (compiled.outputNames.length > 1) {
    result.outputLosses.forEach((l, i) => (logs[`${compiled.outputNames[i]}_loss`] = l));
  }
  return logs;
}

/** Per-sample weights from sampleWeight and classWeight (multiplied), or undefined. */
function sampleWeights(
  ys: readonly Tensor[],
  sampleWeight: DataLike | undefined,
  classWeight: Readonly<Record<number, number>> | undefined,
  count: number,
): Tensor | undefined {
  let weights: Tensor | undefined;
  if (sampleWeight !== undefined) {
    weights = cast(toTensorList(sampleWeight, 'sampleWeight')[0]!, 'float32');
    if (weights.rank !== 1 || weights.shape[0] !== count) {
      throw new ConfigError(
        `sampleWeight must have shape [${count}] (one weight per sample), received shape [${weights.shape.join(', ')}].`,
      );
    }
  }
  if (classWeight !== undefined) {
    const y = ys[0]!;
    const classes =
      y.rank > 1 && y.shape[y.rank - 1]! > 1 ? argMax(y, -1) : cast(reshape(y, [count]), 'int32');
    const labels = Array.from(classes.dataSync());
    const values = labels.map((c) => {
      const w = classWeight[c];
      if (w === undefined) {
        throw new ConfigError(
          `classWeight has no entry for class ${c}; give a weight for every class in y (received keys ${Object.keys(classWeight).join(', ')}).`,
        );
      }
      return w;
    });
    const cw = tensor(values);
    weights = weights ? mul(weights, cw) : cw;
  }
  return weights;
}

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
  /** Seeds the shuffling and the global generator (dropout, noise): the same seed, the same run. */
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
   * leaves its final checkpoint, so running it again only restores it; delete `dir` (or use
   * another) to start afresh.
   */
  checkpoint?: CheckpointOptions;
}

export async function fit(
  model: Model,
  x: DataLike,
  y: DataLike,
  options: FitOptions = {},
): Promise<History> {
  const compiled = compiledOf(model, 'fit');
  const {
    epochs = 1,
    shuffle = true,
    validationSplit = 0,
    verbose = 1,
    initialEpoch = 0,
  } = options;
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
    options.checkpoint === undefined ? undefined : checkCheckpointOptions(options.checkpoint);
  if (options.seed !== undefined) setSeed(options.seed);
  const rng = new Random(options.seed ?? Math.floor(Math.random() * 2 ** 32));

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

  const metrics = makeMetrics(model, compiled, xs);
  const history = new History();
  const callbacks = new CallbackList(options.callbacks ?? []);
  const progress = verbose > 0 ? new ProgressLogger() : undefined;
  if (progress) callbacks.append(progress);
  callbacks.append(history);
  const logNames = ['loss', 'regularization_loss', ...metrics.map((m) => m.name)];
  callbacks.setModel(model);
  callbacks.setParams({
    epochs,
    initialEpoch,
    steps,
    samples,
    batchSize,
    verbose,
    doValidation: validation !== undefined,
    metrics: [...logNames, ...(validation ? logNames.map((n) => `val_${n}`) : [])],
  } satisfies TrainingParams);
  model.stopTraining = false;
  // Resuming: weights and optimizer slots now, the rest once the callbacks have begun.
  const loaded = checkpoint && (await getCheckpointer().load(checkpoint.dir, model));
  let resume = loaded?.state;
  if (loaded) {
    checkSameRun(loaded.state, checkpoint!.dir, samples, batchSize);
    loaded.restore();
  }
  const save = async (epoch: number, step: number, shuffleRng: number[], tracker?: Tracker) => {
    const lr = compiled.optimizer.learningRate;
    await getCheckpointer().save(checkpoint!.dir, model, {
      epoch,
      step,
      stopped: model.stopTraining,
      samples,
      batchSize,
      shuffleRng,
      globalRng: randomFor(undefined, 'fit').getState(),
      tracker: tracker?.getState() ?? { sums: {}, count: 0 },
      metrics: step > 0 ? metricStates(metrics) : metrics.map(() => null),
      callbacks: callbackStates(callbacks.callbacks),
      learningRate: typeof lr === 'number' ? lr : null,
    });
  };
  try {
    await callbacks.onTrainBegin();
    let firstEpoch = initialEpoch;
    if (resume) {
      restoreCallbacks(callbacks.callbacks, resume.callbacks, checkpoint!.dir);
      randomFor(undefined, 'fit').setState(resume.globalRng);
      rng.setState(resume.shuffleRng);
      model.stopTraining = resume.stopped;
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
        const size = idx.size;
        await callbacks.onBatchBegin(step, { batch: step, size });
        const result = trainBatch(
          model,
          compiled,
          takeRows(xs, idx),
          takeRows(ys, idx),
          sw && gather(sw, idx),
          metrics,
        );
        tracker.add(stepLogs(result, compiled), size);
        epochLogs = { ...tracker.means(), ...metricResults(metrics) };
        await callbacks.onBatchEnd(step, { batch: step, size, ...epochLogs });
        // Mid-epoch checkpoint (the end of the epoch saves anyway).
        const every = checkpoint?.every;
        const done = epoch * steps + step + 1;
        if (typeof every === 'number' && done % every === 0 && step + 1 < steps) {
          if (!model.stopTraining) await save(epoch, step + 1, epochRng, tracker);
        }
      }
      if (validation) {
        const v = evaluateData(
          model,
          compiled,
          validation.xs,
          validation.ys,
          validation.sw,
          batchSize,
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
  return history;
}

function metricResults(metrics: readonly { metric: Metric; name: string }[]): Logs {
  const out: Logs = {};
  for (const m of metrics) out[m.name] = m.metric.result();
  return out;
}

function trainBatch(
  model: Model,
  compiled: Compiled,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  sw: Tensor | undefined,
  metrics: readonly { output: number; metric: Metric }[],
): StepResult {
  let parts: (() => StepResult) | undefined;
  const { grads } = valueAndGrads(() => {
    const step = batchLoss(model, compiled, xs, ys, sw, true);
    parts = step.parts;
    return step.loss;
  }, model.trainableWeights);
  compiled.optimizer.applyGradients(grads);
  const result = parts!();
  noGrad(() => {
    for (const m of metrics) m.metric.update(ys[m.output]!, result.predictions[m.output]!, sw);
  });
  return result;
}

/** Loss, regularization_loss and metrics over a whole dataset, in batches, without training. */
function evaluateData(
  model: Model,
  compiled: Compiled,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  sw: Tensor | undefined,
  batchSize: number,
): Logs {
  const n = sampleCount([
    { name: 'x', tensors: xs },
    { name: 'y', tensors: ys },
  ]);
  if (n === 0) throw new ConfigError('evaluate: x and y have 0 samples; expected non-empty data.');
  const metrics = makeMetrics(model, compiled, xs);
  const tracker = new Tracker();
  noGrad(() => {
    for (let start = 0; start < n; start += batchSize) {
      const idx = tensor(
        Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i),
        undefined,
        'int32',
      );
      const bys = takeRows(ys, idx);
      const bsw = sw && gather(sw, idx);
      const result = batchLoss(model, compiled, takeRows(xs, idx), bys, bsw, false).parts();
      tracker.add(stepLogs(result, compiled), idx.size);
      for (const m of metrics) m.metric.update(bys[m.output]!, result.predictions[m.output]!, bsw);
    }
  });
  return { ...tracker.means(), ...metricResults(metrics) };
}

export interface EvaluateOptions {
  batchSize?: number;
  sampleWeight?: DataLike;
}

/**
 * Loss (with regularization, rule 13), regularization_loss and metrics on (x, y), as a record
 * `{ loss, regularization_loss, accuracy, ... }` (Keras returns a list; a record names them).
 */
export function evaluate(
  model: Model,
  x: DataLike,
  y: DataLike,
  options: EvaluateOptions = {},
): Logs {
  const compiled = compiledOf(model, 'evaluate');
  const batchSize = checkPositiveInteger(options.batchSize ?? 32, 'batchSize', 'evaluate');
  const xs = toTensorList(x, 'x');
  const ys = toTensorList(y, 'y');
  const n = sampleCount([
    { name: 'x', tensors: xs },
    { name: 'y', tensors: ys },
  ]);
  return evaluateData(
    model,
    compiled,
    xs,
    ys,
    sampleWeights(ys, options.sampleWeight, undefined, n),
    batchSize,
  );
}

export interface PredictOptions {
  batchSize?: number;
}

/** The model's outputs on x in inference mode, computed in batches. */
export function predict(
  model: Model,
  x: DataLike,
  options: PredictOptions = {},
): Tensor | Tensor[] {
  const batchSize = checkPositiveInteger(options.batchSize ?? 32, 'batchSize', 'predict');
  const xs = toTensorList(x, 'x');
  const n = sampleCount([{ name: 'x', tensors: xs }]);
  // No samples: one call on the empty batch gives outputs of the right (empty) shapes.
  if (n === 0) return noGrad(() => model.apply(modelInput(model, xs), { training: false }));
  return noGrad(() => {
    const parts: Tensor[][] = [];
    for (let start = 0; start < n; start += batchSize) {
      const idx = tensor(
        Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i),
        undefined,
        'int32',
      );
      const out = model.apply(modelInput(model, takeRows(xs, idx)), { training: false });
      parts.push(Array.isArray(out) ? out : [out]);
    }
    const outputs = (parts[0] ?? []).map((_, i) =>
      parts.length === 1
        ? parts[0]![i]!
        : concat(
            parts.map((p) => p[i]!),
            0,
          ),
    );
    return model.singleOutput ? outputs[0]! : outputs;
  });
}

export interface TrainOnBatchOptions {
  sampleWeight?: DataLike;
  classWeight?: Readonly<Record<number, number>>;
}

/** One optimizer step on exactly this batch; returns its logs. */
export function trainOnBatch(
  model: Model,
  x: DataLike,
  y: DataLike,
  options: TrainOnBatchOptions = {},
): Logs {
  const compiled = compiledOf(model, 'trainOnBatch');
  const xs = toTensorList(x, 'x');
  const ys = toTensorList(y, 'y');
  const n = sampleCount([
    { name: 'x', tensors: xs },
    { name: 'y', tensors: ys },
  ]);
  const metrics = makeMetrics(model, compiled, xs);
  const result = trainBatch(
    model,
    compiled,
    xs,
    ys,
    sampleWeights(ys, options.sampleWeight, options.classWeight, n),
    metrics,
  );
  return { ...stepLogs(result, compiled), ...metricResults(metrics) };
}

/** The logs of this batch without training. */
export function testOnBatch(
  model: Model,
  x: DataLike,
  y: DataLike,
  options: EvaluateOptions = {},
): Logs {
  return evaluate(model, x, y, { ...options, batchSize: Number.MAX_SAFE_INTEGER });
}
