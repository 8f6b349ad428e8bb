/**
 * Losses, as sn.losses: factories named as TensorFlow.js names them, with Keras's formulas.
 *
 *   model.compile({ loss: sn.losses.sparseCategoricalCrossentropy({ fromLogits: true }) })
 *   model.compile({ loss: 'mse' })
 *
 * The family's files: loss.ts (the Loss base and the helpers every loss shares), get.ts (the
 * registry and getLoss), function.ts (a plain function as a loss), compute.ts (computeLoss,
 * the batch reduction), one file per group of losses.
 */
import type { LossOptions } from './loss.js';
import { Hinge } from './hinge.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
  type CrossentropyOptions,
  type SparseCategoricalCrossentropyOptions,
} from './probabilistic.js';
import {
  CosineSimilarity,
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  type CosineSimilarityOptions,
  type HuberOptions,
} from './regression.js';

export { EPSILON, Loss, type LossOptions } from './loss.js';
export { LossFunctionWrapper, type LossFunction } from './function.js';
export { getLoss, lossRegistry, type LossIdentifier } from './get.js';
export { computeLoss } from './compute.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CosineSimilarity,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  SparseCategoricalCrossentropy,
  type CosineSimilarityOptions,
  type CrossentropyOptions,
  type HuberOptions,
  type SparseCategoricalCrossentropyOptions,
};

/** mean((yTrue − yPred)²) over the last axis. */
export function meanSquaredError(options?: LossOptions): MeanSquaredError {
  return new MeanSquaredError(options);
}

/** mean(|yTrue − yPred|) over the last axis. */
export function meanAbsoluteError(options?: LossOptions): MeanAbsoluteError {
  return new MeanAbsoluteError(options);
}

/** 100 · mean(|yTrue − yPred| / max(|yTrue|, 1e-7)) over the last axis ('mape'). */
export function meanAbsolutePercentageError(options?: LossOptions): MeanAbsolutePercentageError {
  return new MeanAbsolutePercentageError(options);
}

/** mean((log(1 + yPred) − log(1 + yTrue))²) over the last axis, values floored at 1e-7 ('msle'). */
export function meanSquaredLogarithmicError(options?: LossOptions): MeanSquaredLogarithmicError {
  return new MeanSquaredLogarithmicError(options);
}

/** Binary crossentropy ({ fromLogits = false, labelSmoothing = 0 }). */
export function binaryCrossentropy(options?: CrossentropyOptions): BinaryCrossentropy {
  return new BinaryCrossentropy(options);
}

/** Categorical crossentropy with one-hot labels ({ fromLogits = false, labelSmoothing = 0 }). */
export function categoricalCrossentropy(options?: CrossentropyOptions): CategoricalCrossentropy {
  return new CategoricalCrossentropy(options);
}

/** Categorical crossentropy with integer labels ({ fromLogits = false }). */
export function sparseCategoricalCrossentropy(
  options?: SparseCategoricalCrossentropyOptions,
): SparseCategoricalCrossentropy {
  return new SparseCategoricalCrossentropy(options);
}

/** Huber loss ({ delta = 1 }). */
export function huber(options?: HuberOptions): Huber {
  return new Huber(options);
}

/** mean(log(cosh(yPred − yTrue))) over the last axis (Keras 'log_cosh'). */
export function logcosh(options?: LossOptions): LogCosh {
  return new LogCosh(options);
}

/** Poisson loss mean(yPred − yTrue·log(yPred + 1e-7)) over the last axis. */
export function poisson(options?: LossOptions): Poisson {
  return new Poisson(options);
}

/** Kullback–Leibler divergence Σ y·log(y / p). */
export function kld(options?: LossOptions): KLDivergence {
  return new KLDivergence(options);
}

/** −cos(yTrue, yPred) along `axis` ({ axis = -1 }). */
export function cosineSimilarity(options?: CosineSimilarityOptions): CosineSimilarity {
  return new CosineSimilarity(options);
}

/** Hinge loss mean(max(1 − y·p, 0)); {0, 1} labels are mapped to {−1, 1}. */
export function hinge(options?: LossOptions): Hinge {
  return new Hinge(options);
}
