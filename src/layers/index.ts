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

// Convolution layers
import { Conv1D, Conv2D, Conv2DTranspose, type Conv1DOptions } from './conv.js';
import type { Conv2DOptions, Conv2DTransposeOptions } from './conv.js';
import { DepthwiseConv2D, type DepthwiseConv2DOptions } from './depthwise-conv2d.js';
import { SeparableConv2D, type SeparableConv2DOptions } from './separable-conv2d.js';
export {
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  type Conv1DOptions,
  type Conv2DOptions,
  type Conv2DTransposeOptions,
} from './conv.js';
export { DepthwiseConv2D, type DepthwiseConv2DOptions } from './depthwise-conv2d.js';
export { SeparableConv2D, type SeparableConv2DOptions } from './separable-conv2d.js';

/** 1-D convolution over sequences: [batch, steps, channels] → [batch, outSteps, filters]. */
export function conv1d(options: Conv1DOptions): Conv1D {
  return new Conv1D(options);
}

/** 2-D convolution over images: [batch, height, width, channels] → [batch, outH, outW, filters]. */
export function conv2d(options: Conv2DOptions): Conv2D {
  return new Conv2D(options);
}

/** Transposed 2-D convolution (upsampling; the input-gradient of a conv2d). */
export function conv2dTranspose(options: Conv2DTransposeOptions): Conv2DTranspose {
  return new Conv2DTranspose(options);
}

/** Per-channel 2-D convolution: channels · depthMultiplier outputs, no mixing across channels. */
export function depthwiseConv2d(options: DepthwiseConv2DOptions): DepthwiseConv2D {
  return new DepthwiseConv2D(options);
}

/** Depthwise 2-D convolution followed by a 1×1 convolution to `filters` channels. */
export function separableConv2d(options: SeparableConv2DOptions): SeparableConv2D {
  return new SeparableConv2D(options);
}

for (const cls of [Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D]) {
  layerRegistry.register(cls);
}
