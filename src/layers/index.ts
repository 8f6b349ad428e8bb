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

// Pooling and upsampling layers
import {
  AveragePooling1D,
  AveragePooling2D,
  MaxPooling1D,
  MaxPooling2D,
  type Pooling1DOptions,
  type Pooling2DOptions,
} from './pooling.js';
import {
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  type GlobalPoolingOptions,
} from './global-pooling.js';
import {
  UpSampling1D,
  UpSampling2D,
  type UpSampling1DOptions,
  type UpSampling2DOptions,
} from './upsampling.js';
export {
  AveragePooling1D,
  AveragePooling2D,
  MaxPooling1D,
  MaxPooling2D,
  type Pooling1DOptions,
  type Pooling2DOptions,
} from './pooling.js';
export {
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  type GlobalPoolingOptions,
} from './global-pooling.js';
export {
  UpSampling1D,
  UpSampling2D,
  type UpSampling1DOptions,
  type UpSampling2DOptions,
} from './upsampling.js';

/** Largest value of each window along the steps: [batch, steps, channels] → [batch, outSteps, channels]. */
export function maxPooling1d(options?: Pooling1DOptions): MaxPooling1D {
  return new MaxPooling1D(options);
}

/** Mean of each window along the steps (padding not counted). */
export function averagePooling1d(options?: Pooling1DOptions): AveragePooling1D {
  return new AveragePooling1D(options);
}

/** Largest value of each 2-D window: [batch, h, w, channels] → [batch, outH, outW, channels]. */
export function maxPooling2d(options?: Pooling2DOptions): MaxPooling2D {
  return new MaxPooling2D(options);
}

/** Mean of each 2-D window (padding not counted). */
export function averagePooling2d(options?: Pooling2DOptions): AveragePooling2D {
  return new AveragePooling2D(options);
}

/** Largest value over all steps, per channel: [batch, steps, channels] → [batch, channels]. */
export function globalMaxPooling1d(options?: GlobalPoolingOptions): GlobalMaxPooling1D {
  return new GlobalMaxPooling1D(options);
}

/** Mean over all steps, per channel: [batch, steps, channels] → [batch, channels]. */
export function globalAveragePooling1d(options?: GlobalPoolingOptions): GlobalAveragePooling1D {
  return new GlobalAveragePooling1D(options);
}

/** Largest value over height and width, per channel: [batch, h, w, channels] → [batch, channels]. */
export function globalMaxPooling2d(options?: GlobalPoolingOptions): GlobalMaxPooling2D {
  return new GlobalMaxPooling2D(options);
}

/** Mean over height and width, per channel: [batch, h, w, channels] → [batch, channels]. */
export function globalAveragePooling2d(options?: GlobalPoolingOptions): GlobalAveragePooling2D {
  return new GlobalAveragePooling2D(options);
}

/** Repeats each step `size` times: [batch, steps, channels] → [batch, steps·size, channels]. */
export function upSampling1d(options?: UpSampling1DOptions): UpSampling1D {
  return new UpSampling1D(options);
}

/** Upsamples images by whole factors ('nearest' or Keras 3's 'bilinear'). */
export function upSampling2d(options?: UpSampling2DOptions): UpSampling2D {
  return new UpSampling2D(options);
}

for (const cls of [
  MaxPooling1D,
  AveragePooling1D,
  MaxPooling2D,
  AveragePooling2D,
  GlobalMaxPooling1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling2D,
  GlobalAveragePooling2D,
  UpSampling1D,
  UpSampling2D,
]) {
  layerRegistry.register(cls);
}
