/**
 * Losses, as sn.losses: factories named as TensorFlow.js names them, with Keras's formulas.
 *
 *   model.compile({ loss: sn.losses.sparseCategoricalCrossentropy({ fromLogits: true }) })
 *   model.compile({ loss: 'mse' })
 */
import type { LossOptions } from './base.js';
import { Hinge } from './hinge.js';
import {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  KLDivergence,
  SparseCategoricalCrossentropy,
  type CrossentropyOptions,
  type SparseCategoricalCrossentropyOptions,
} from './probabilistic.js';
import {
  CosineSimilarity,
  Huber,
  MeanAbsoluteError,
  MeanSquaredError,
  type CosineSimilarityOptions,
  type HuberOptions,
} from './regression.js';

export * from './loss.js';
export { EPSILON } from './base.js';
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CosineSimilarity,
  Hinge,
  Huber,
  KLDivergence,
  MeanAbsoluteError,
  MeanSquaredError,
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
