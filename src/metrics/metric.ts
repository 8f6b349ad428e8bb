import { ConfigError, describe } from '../errors.js';
import type { Loss } from '../losses/loss.js';
import { lossRegistry } from '../losses/get.js';
import { BinaryCrossentropy, SparseCategoricalCrossentropy } from '../losses/probabilistic.js';
import type { Tensor } from '../tensor/tensor.js';
import { MeanMetricWrapper, Metric, type MetricFunction } from './base.js';
import { AUC, Precision, Recall } from './confusion.js';
import {
  AutoAccuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  MeanAbsoluteError,
  MeanSquaredError,
  SparseCategoricalAccuracy,
} from './mean-metrics.js';

export { MeanMetricWrapper, Metric, type MetricFunction, type MetricOptions } from './base.js';

/** A metric name, a Metric, or a function (yTrue, yPred) → per-sample values. */
export type MetricIdentifier = string | Metric | MetricFunction;

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
 * is; a function is averaged per sample (MeanMetricWrapper, named after the function).
 */
export function getMetric(id: MetricIdentifier, context: MetricContext = {}): Metric {
  if (id instanceof Metric) return id;
  if (typeof id === 'function') return new MeanMetricWrapper(id);
  if (typeof id === 'string') {
    if (id === 'accuracy' || id === 'acc') return resolveAccuracy(id, context);
    const factory = Object.hasOwn(METRICS, id) ? METRICS[id] : undefined;
    if (factory) return factory(id);
    if (lossRegistry.has(id)) {
      const loss = lossRegistry.get(id).fromConfig({});
      return new MeanMetricWrapper((t: Tensor, p: Tensor) => loss.call(t, p), { name: id });
    }
  }
  throw new ConfigError(
    `Unknown metric ${describe(id)}; expected one of accuracy, acc, ${Object.keys(METRICS).join(', ')}, ` +
      `a loss name (${lossRegistry.names().join(', ')}), a Metric object or a function ` +
      '(yTrue, yPred) => per-sample values.',
  );
}
