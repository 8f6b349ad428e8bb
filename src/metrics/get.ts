import type { Loss } from '../losses/loss.js';
import { lossRegistry } from '../losses/get.js';
import { BinaryCrossentropy, SparseCategoricalCrossentropy } from '../losses/probabilistic.js';
import { Registry, type KerasSerializedObject, type SerializedObject } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { AUC, Precision, Recall } from './confusion.js';
import { MeanMetricWrapper } from './function.js';
import {
  AutoAccuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  MeanAbsoluteError,
  MeanSquaredError,
  SparseCategoricalAccuracy,
} from './mean-metrics.js';
import { Metric, type MetricFunction } from './metric.js';

/** The metric classes by className (Keras's names; 'AutoAccuracy' is sinew's own). */
export const metricRegistry = new Registry<Metric>('metric', Metric);
for (const cls of [
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  MeanSquaredError,
  MeanAbsoluteError,
  Precision,
  Recall,
  AUC,
  AutoAccuracy,
]) {
  metricRegistry.register(cls);
}

/** A metric name, a Metric, a function (yTrue, yPred) → per-sample values, or a config. */
export type MetricIdentifier =
  string | Metric | MetricFunction | SerializedObject | KerasSerializedObject;

/** What the model knows when it resolves 'accuracy' (compile passes both when it can). */
export interface MetricContext {
  /** The compiled loss of the output. */
  loss?: Loss;
  /** The output's shape (batch dimension null). */
  outputShape?: readonly (number | null)[];
}

type MetricFactory = (name: string) => Metric;

/** Metric names, Keras snake_case and TensorFlow.js camelCase; the metric keeps the name given. */
const METRICS: Record<string, MetricFactory> = {
  binary_accuracy: (name) => new BinaryAccuracy({ name }),
  binaryAccuracy: (name) => new BinaryAccuracy({ name }),
  categorical_accuracy: (name) => new CategoricalAccuracy({ name }),
  categoricalAccuracy: (name) => new CategoricalAccuracy({ name }),
  sparse_categorical_accuracy: (name) => new SparseCategoricalAccuracy({ name }),
  sparseCategoricalAccuracy: (name) => new SparseCategoricalAccuracy({ name }),
  mse: (name) => new MeanSquaredError({ name }),
  mean_squared_error: (name) => new MeanSquaredError({ name }),
  meanSquaredError: (name) => new MeanSquaredError({ name }),
  mae: (name) => new MeanAbsoluteError({ name }),
  mean_absolute_error: (name) => new MeanAbsoluteError({ name }),
  meanAbsoluteError: (name) => new MeanAbsoluteError({ name }),
  precision: (name) => new Precision({ name }),
  recall: (name) => new Recall({ name }),
  auc: (name) => new AUC({ name }),
  AUC: (name) => new AUC({ name }),
};

/**
 * 'accuracy' as Keras resolves it: binary accuracy (threshold 0.5) for a binary_crossentropy
 * loss or an output whose last dimension is 1, sparse categorical accuracy for
 * sparse_categorical_crossentropy, categorical accuracy otherwise. Without any context the
 * choice waits for the first update and is made from the shapes (Keras 3).
 */
function resolveAccuracy(name: string, context: MetricContext): Metric {
  const { loss, outputShape } = context;
  const last = outputShape?.[outputShape.length - 1];
  if (isLoss(loss, BinaryCrossentropy, 'binary_crossentropy') || last === 1) {
    return new BinaryAccuracy({ name });
  }
  if (isLoss(loss, SparseCategoricalCrossentropy, 'sparse_categorical_crossentropy')) {
    return new SparseCategoricalAccuracy({ name });
  }
  if (loss !== undefined || (last !== undefined && last !== null)) {
    return new CategoricalAccuracy({ name });
  }
  return new AutoAccuracy({ name });
}

function isLoss(
  loss: Loss | undefined,
  cls: typeof BinaryCrossentropy | typeof SparseCategoricalCrossentropy,
  kerasName: string,
): boolean {
  return loss !== undefined && (loss.name === kerasName || loss instanceof cls);
}

/**
 * Resolves a metric identifier. Names: 'accuracy'/'acc' (resolved from `context`, see above),
 * 'binary_accuracy', 'categorical_accuracy', 'sparse_categorical_accuracy', 'mse' /
 * 'mean_squared_error', 'mae' / 'mean_absolute_error', 'precision', 'recall', 'auc' (and their
 * camelCase spellings), and any loss name ('binary_crossentropy', ...: the mean of the loss).
 * A metric made from a name is named by it in logs, as Keras does. A Metric is returned as it
 * is; a function is averaged per sample (MeanMetricWrapper, named after the function); a
 * config `{ className | class_name, config }` gives a new instance from it.
 */
export function getMetric(id: MetricIdentifier, context: MetricContext = {}): Metric {
  return metricRegistry.resolve(id, {
    owner: 'getMetric',
    byName: metricNames(context),
    required: true,
    fromFunction: (fn) => new MeanMetricWrapper(fn as MetricFunction),
    functionForm: '(yTrue, yPred) => per-sample values',
    fix: 'Pass a Metric object (e.g. sn.metrics.auc()) or a function (yTrue, yPred) => per-sample values.',
  });
}

/**
 * The names getMetric accepts, in message order: 'accuracy' and 'acc' (resolved from the
 * context), the metric names, then every loss name (the mean of the loss) not already a metric.
 */
function metricNames(context: MetricContext): Record<string, () => Metric> {
  const byName: Record<string, () => Metric> = {
    accuracy: () => resolveAccuracy('accuracy', context),
    acc: () => resolveAccuracy('acc', context),
  };
  for (const [name, factory] of Object.entries(METRICS)) byName[name] = () => factory(name);
  for (const name of lossRegistry.names()) {
    if (Object.hasOwn(byName, name)) continue;
    byName[name] = () => {
      const loss = lossRegistry.get(name).fromConfig({});
      return new MeanMetricWrapper((t: Tensor, p: Tensor) => loss.call(t, p), { name });
    };
  }
  return byName;
}
