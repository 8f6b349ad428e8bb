import { noGrad } from '../../autograd/tape.js';
import type { Metric } from '../../metrics/metric.js';
import { ConfigError } from '../../errors.js';
import { concat, gather } from '../../ops/index.js';
import { tensor } from '../../tensor/creation.js';
import { releaseStale, withScope } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Logs } from '../callback.js';
import {
  checkPositiveInteger,
  sampleCount,
  takeRows,
  toTensorList,
  type DataLike,
} from '../data.js';
import type { Model } from '../model.js';
import {
  batchLoss,
  metricResults,
  modelInput,
  sampleWeights,
  stepLogs,
  stepScope,
  Tracker,
} from './batch.js';
import { compiledOf, makeMetrics, type Compiled } from './compile.js';
import { checkOptionKeys, optionKeys } from '../../validation.js';
import { fitStep } from './step.js';

/** evaluate, predict, trainOnBatch and testOnBatch: a dataset or one batch, outside fit. */

/** The int32 indices start, start + 1, ..., start + count - 1. */
function batchIndices(start: number, count: number): Tensor {
  return tensor(
    Array.from({ length: count }, (_, i) => start + i),
    undefined,
    'int32',
  );
}

/** Loss, regularization_loss and metrics over a whole dataset, in batches, without training. */
export function evaluateData(
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
      evaluateBatch(model, compiled, metrics, tracker, () => {
        const idx = batchIndices(start, Math.min(batchSize, n - start));
        return [takeRows(xs, idx), takeRows(ys, idx), sw && gather(sw, idx)];
      });
    }
  });
  return { ...tracker.means(), ...metricResults(metrics) };
}

/**
 * One batch evaluated (in inference mode, under noGrad): its logs added to `tracker` and its
 * predictions to the metrics. Only numbers leave it: the tensors made in it (by `makeBatch`
 * too) are released at its end (tensor/scope.ts).
 */
export function evaluateBatch(
  model: Model,
  compiled: Compiled,
  metrics: readonly { output: number; metric: Metric }[],
  tracker: Tracker,
  makeBatch: () => readonly [Tensor[], Tensor[], Tensor | undefined],
): void {
  withScope(
    'a batch of evaluate',
    () => {
      const [bxs, bys, bsw] = makeBatch();
      const result = batchLoss(model, compiled, bxs, bys, bsw, false).parts();
      tracker.add(stepLogs(result, compiled), bys[0]?.shape[0] ?? 0);
      for (const m of metrics) {
        m.metric.update(bys[m.output]!, result.predictions[m.output]!, bsw);
      }
    },
    () => () => false,
  );
}

export interface EvaluateOptions {
  batchSize?: number;
  sampleWeight?: DataLike;
}
export const EVALUATE_OPTION_KEYS = optionKeys<EvaluateOptions>()({
  batchSize: true,
  sampleWeight: true,
});

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
  checkOptionKeys(options, 'evaluate', EVALUATE_OPTION_KEYS);
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
export const PREDICT_OPTION_KEYS = optionKeys<PredictOptions>()({ batchSize: true });

/** The model's outputs on x in inference mode, computed in batches. */
export function predict(
  model: Model,
  x: DataLike,
  options: PredictOptions = {},
): Tensor | Tensor[] {
  checkOptionKeys(options, 'predict', PREDICT_OPTION_KEYS);
  const batchSize = checkPositiveInteger(options.batchSize ?? 32, 'batchSize', 'predict');
  const xs = toTensorList(x, 'x');
  const n = sampleCount([{ name: 'x', tensors: xs }]);
  // No samples: one call on the empty batch gives outputs of the right (empty) shapes.
  if (n === 0) return noGrad(() => model.apply(modelInput(model, xs), { training: false }));
  return noGrad(() => {
    // Each batch keeps only its outputs (tensor/scope.ts); they are released once joined.
    const parts: Tensor[][] = [];
    // From what call returned (a subclassed model's call decides; a graph's has singleOutput).
    let single = true;
    for (let start = 0; start < n; start += batchSize) {
      const out = withScope(
        'a batch of predict',
        () => {
          const idx = batchIndices(start, Math.min(batchSize, n - start));
          return model.apply(modelInput(model, takeRows(xs, idx)), { training: false });
        },
        (result) => {
          const kept = new Set(Array.isArray(result) ? result : [result]);
          return (t) => kept.has(t);
        },
      );
      single = !Array.isArray(out);
      parts.push(Array.isArray(out) ? out : [out]);
    }
    if (parts.length === 1) return single ? parts[0]![0]! : parts[0]!;
    const outputs = parts[0]!.map((_, i) =>
      concat(
        parts.map((p) => p[i]!),
        0,
      ),
    );
    releaseStale(parts.flat());
    return single ? outputs[0]! : outputs;
  });
}

export interface TrainOnBatchOptions {
  sampleWeight?: DataLike;
  classWeight?: Readonly<Record<number, number>>;
}
export const TRAIN_ON_BATCH_OPTION_KEYS = optionKeys<TrainOnBatchOptions>()({
  sampleWeight: true,
  classWeight: true,
});

/** One optimizer step on exactly this batch; returns its logs. */
export function trainOnBatch(
  model: Model,
  x: DataLike,
  y: DataLike,
  options: TrainOnBatchOptions = {},
): Logs {
  const compiled = compiledOf(model, 'trainOnBatch');
  checkOptionKeys(options, 'trainOnBatch', TRAIN_ON_BATCH_OPTION_KEYS);
  const xs = toTensorList(x, 'x');
  const ys = toTensorList(y, 'y');
  const n = sampleCount([
    { name: 'x', tensors: xs },
    { name: 'y', tensors: ys },
  ]);
  const metrics = makeMetrics(model, compiled, xs);
  const sw = sampleWeights(ys, options.sampleWeight, options.classWeight, n);
  const logs = stepScope(compiled, () => fitStep(model, compiled, xs, ys, sw, metrics));
  return { ...logs, ...metricResults(metrics) };
}

/** The logs of this batch without training. */
export function testOnBatch(
  model: Model,
  x: DataLike,
  y: DataLike,
  options: EvaluateOptions = {},
): Logs {
  checkOptionKeys(options, 'testOnBatch', EVALUATE_OPTION_KEYS);
  return evaluate(model, x, y, { ...options, batchSize: Number.MAX_SAFE_INTEGER });
}
