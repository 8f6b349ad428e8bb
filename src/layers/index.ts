// Every layer, by its TensorFlow.js factory name: sn.layers.dense({ units: 32 }).
import { Registry } from '../serialization.js';
import { Dense, type DenseOptions } from './dense.js';
import { InputLayer } from './input.js';
import type { Layer } from './layer.js';
import { Activation, type ActivationOptions } from './activation.js';
import {
  ActivityRegularization,
  type ActivityRegularizationOptions,
} from './activity-regularization.js';
import { BatchNormalization, type BatchNormalizationOptions } from './batch-normalization.js';
import { Dropout, type DropoutOptions } from './dropout.js';
import { Flatten, type FlattenOptions } from './flatten.js';
import { GaussianNoise, type GaussianNoiseOptions } from './gaussian-noise.js';
import { KSparse, type KSparseOptions } from './k-sparse.js';
import { Reshape, type ReshapeOptions } from './reshape.js';

export {
  Layer,
  LayerVariable,
  type LayerOptions,
  type CallOptions,
  type AddWeightOptions,
  type InputSpec,
  type LossTerm,
} from './layer.js';
export { SymbolicTensor, type SymbolicShape } from './symbolic.js';
export { activeTap, withTap, type LayerTap } from './taps.js';
export { Dense, type DenseOptions } from './dense.js';
export { InputLayer, input, type InputOptions } from './input.js';
export { Activation, type ActivationOptions } from './activation.js';
export {
  ActivityRegularization,
  type ActivityRegularizationOptions,
} from './activity-regularization.js';
export { BatchNormalization, type BatchNormalizationOptions } from './batch-normalization.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Flatten, type FlattenOptions } from './flatten.js';
export { GaussianNoise, type GaussianNoiseOptions } from './gaussian-noise.js';
export { KSparse, type KSparseOptions } from './k-sparse.js';
export { Reshape, type ReshapeOptions } from './reshape.js';

/** A fully connected layer: activation(x · kernel + bias). */
export function dense(options: DenseOptions): Dense {
  return new Dense(options);
}

/** Applies an activation function: sn.layers.activation({ activation: 'relu' }). */
export function activation(options: ActivationOptions): Activation {
  return new Activation(options);
}

/** Inverted dropout in training (zero with probability rate, scale the rest by 1/(1−rate)); identity at inference. */
export function dropout(options: DropoutOptions): Dropout {
  return new Dropout(options);
}

/** Identity with an activity penalty l1·Σ|x| + l2·Σx² on the tensor passing through. */
export function activityRegularization(
  options?: ActivityRegularizationOptions,
): ActivityRegularization {
  return new ActivityRegularization(options);
}

/** [batch, d1, d2, ...] → [batch, d1·d2·...]. */
export function flatten(options?: FlattenOptions): Flatten {
  return new Flatten(options);
}

/** [batch, ...] → [batch, ...targetShape] (one -1 allowed). */
export function reshape(options: ReshapeOptions): Reshape {
  return new Reshape(options);
}

/** Adds N(0, stddev²) noise in training; identity at inference. */
export function gaussianNoise(options: GaussianNoiseOptions): GaussianNoise {
  return new GaussianNoise(options);
}

/** Normalises with batch statistics in training and moving statistics at inference (Keras semantics). */
export function batchNormalization(options?: BatchNormalizationOptions): BatchNormalization {
  return new BatchNormalization(options);
}

/** Keeps the k largest units per sample in training (round(alpha·k) at inference), zeroes the rest. */
export function kSparse(options: KSparseOptions): KSparse {
  return new KSparse(options);
}

/** Every built-in layer class by className (models and io/ use it to rebuild layers). */
export const layerRegistry = new Registry<Layer>('layer');
for (const cls of [
  InputLayer,
  Dense,
  Activation,
  ActivityRegularization,
  BatchNormalization,
  Dropout,
  Flatten,
  GaussianNoise,
  KSparse,
  Reshape,
]) {
  layerRegistry.register(cls);
}

// Misc layers (issue 12 part D1): activation layers, spatial/Gaussian/alpha dropout, layer
// normalization, permute and repeatVector.
import {
  ELU,
  LeakyReLU,
  ReLU,
  Softmax,
  type ELUOptions,
  type LeakyReLUOptions,
  type ReLUOptions,
  type SoftmaxOptions,
} from './advanced-activations.js';
import { PReLU, type PReLUOptions } from './prelu.js';
import {
  SpatialDropout1D,
  SpatialDropout2D,
  type SpatialDropout1DOptions,
  type SpatialDropout2DOptions,
} from './spatial-dropout.js';
import {
  AlphaDropout,
  GaussianDropout,
  type AlphaDropoutOptions,
  type GaussianDropoutOptions,
} from './noise-dropout.js';
import { LayerNormalization, type LayerNormalizationOptions } from './layer-normalization.js';
import { Permute, RepeatVector, type PermuteOptions, type RepeatVectorOptions } from './permute.js';
export {
  ELU,
  LeakyReLU,
  ReLU,
  Softmax,
  type ELUOptions,
  type LeakyReLUOptions,
  type ReLUOptions,
  type SoftmaxOptions,
} from './advanced-activations.js';
export { PReLU, type PReLUOptions } from './prelu.js';
export {
  SpatialDropout1D,
  SpatialDropout2D,
  type SpatialDropout1DOptions,
  type SpatialDropout2DOptions,
} from './spatial-dropout.js';
export {
  AlphaDropout,
  GaussianDropout,
  type AlphaDropoutOptions,
  type GaussianDropoutOptions,
} from './noise-dropout.js';
export { type DataFormat } from './random-layer.js';
export { LayerNormalization, type LayerNormalizationOptions } from './layer-normalization.js';
export { Permute, RepeatVector, type PermuteOptions, type RepeatVectorOptions } from './permute.js';

/** x for x >= 0, alpha·x otherwise (alpha default 0.3). */
export function leakyReLU(options?: LeakyReLUOptions): LeakyReLU {
  return new LeakyReLU(options);
}

/** A leaky relu with learned slopes: relu(x) − alpha·relu(−x), alpha a weight. */
export function prelu(options?: PReLUOptions): PReLU {
  return new PReLU(options);
}

/** x for x > 0, alpha·(eˣ − 1) otherwise (alpha default 1). */
export function elu(options?: ELUOptions): ELU {
  return new ELU(options);
}

/** Keras's ReLU layer: maxValue, negativeSlope and threshold. */
export function reLU(options?: ReLUOptions): ReLU {
  return new ReLU(options);
}

/** Softmax along an axis (default -1), as a layer. */
export function softmax(options?: SoftmaxOptions): Softmax {
  return new Softmax(options);
}

/** Drops whole channels of [batch, steps, channels] in training (mask [batch, 1, channels]). */
export function spatialDropout1d(options: SpatialDropout1DOptions): SpatialDropout1D {
  return new SpatialDropout1D(options);
}

/** Drops whole feature maps of [batch, rows, cols, channels] in training. */
export function spatialDropout2d(options: SpatialDropout2DOptions): SpatialDropout2D {
  return new SpatialDropout2D(options);
}

/** Multiplies by N(1, rate/(1−rate)) noise in training; identity at inference. */
export function gaussianDropout(options: GaussianDropoutOptions): GaussianDropout {
  return new GaussianDropout(options);
}

/** Dropout for selu networks: keeps mean and variance (Klambauer et al.); identity at inference. */
export function alphaDropout(options: AlphaDropoutOptions): AlphaDropout {
  return new AlphaDropout(options);
}

/** Normalises each sample over `axis` (default -1), then gamma·x̂ + beta. */
export function layerNormalization(options?: LayerNormalizationOptions): LayerNormalization {
  return new LayerNormalization(options);
}

/** Reorders the axes after the batch: dims 1-based, as Keras. */
export function permute(options: PermuteOptions): Permute {
  return new Permute(options);
}

/** [batch, features] → [batch, n, features]. */
export function repeatVector(options: RepeatVectorOptions): RepeatVector {
  return new RepeatVector(options);
}

for (const cls of [
  LeakyReLU,
  PReLU,
  ELU,
  ReLU,
  Softmax,
  SpatialDropout1D,
  SpatialDropout2D,
  GaussianDropout,
  AlphaDropout,
  LayerNormalization,
  Permute,
  RepeatVector,
]) {
  layerRegistry.register(cls);
}
