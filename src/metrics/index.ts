/**
 * Stateful metrics, as sn.metrics: factories named as TensorFlow.js names them, behaving as
 * Keras's metric classes (update / result / reset).
 *
 *   model.compile({ metrics: ['accuracy', sn.metrics.auc()] })
 *
 * The family's files: metric.ts (the Metric base), get.ts (the registry and getMetric),
 * function.ts (a plain function as a metric), one file per group of metrics.
 */
import type { MetricOptions } from './metric.js';
import { AUC, Precision, Recall, type AUCOptions, type PrecisionOptions } from './confusion.js';
import {
  AutoAccuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  MeanAbsoluteError,
  MeanSquaredError,
  SparseCategoricalAccuracy,
  type BinaryAccuracyOptions,
} from './mean-metrics.js';

export { Metric, type MetricFunction, type MetricOptions } from './metric.js';
export { MeanMetricWrapper } from './function.js';
export { getMetric, metricRegistry, type MetricContext, type MetricIdentifier } from './get.js';
export {
  AUC,
  AutoAccuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  MeanAbsoluteError,
  MeanSquaredError,
  Precision,
  Recall,
  SparseCategoricalAccuracy,
  type AUCOptions,
  type BinaryAccuracyOptions,
  type PrecisionOptions,
};

/** Fraction of elements where (yPred > threshold) equals the 0/1 label ({ threshold = 0.5 }). */
export function binaryAccuracy(options?: BinaryAccuracyOptions): BinaryAccuracy {
  return new BinaryAccuracy(options);
}

/** Fraction of samples whose argMax matches the one-hot label's. */
export function categoricalAccuracy(options?: MetricOptions): CategoricalAccuracy {
  return new CategoricalAccuracy(options);
}

/** Fraction of samples whose argMax equals the integer label. */
export function sparseCategoricalAccuracy(options?: MetricOptions): SparseCategoricalAccuracy {
  return new SparseCategoricalAccuracy(options);
}

/** Mean squared error, averaged over samples. */
export function meanSquaredError(options?: MetricOptions): MeanSquaredError {
  return new MeanSquaredError(options);
}

/** Mean absolute error, averaged over samples. */
export function meanAbsoluteError(options?: MetricOptions): MeanAbsoluteError {
  return new MeanAbsoluteError(options);
}

/** tp / (tp + fp) at a threshold ({ thresholds = 0.5 }). */
export function precision(options?: PrecisionOptions): Precision {
  return new Precision(options);
}

/** tp / (tp + fn) at a threshold ({ thresholds = 0.5 }). */
export function recall(options?: PrecisionOptions): Recall {
  return new Recall(options);
}

/** Area under the ROC or PR curve ({ numThresholds = 200, curve = 'ROC' }). */
export function auc(options?: AUCOptions): AUC {
  return new AUC(options);
}
