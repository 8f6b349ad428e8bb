// Every layer, by its TensorFlow.js factory name: sn.layers.dense({ units: 32 }).
// The family's files, as every family's: layer.ts (the Layer base, with the default
// fromConfig), get.ts (the layer registry and its registrations), this file (the factories
// and exports), one file per layer. Where the recipe bends: layers have no getLayer(id),
// because a layer is never named by a string (it needs options); io/ rebuilds layers from
// configs through the registry.
import { Dense, type DenseOptions } from './dense.js';
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
// Merge, padding and cropping layers
import {
  Add,
  Average,
  Concatenate,
  Maximum,
  Minimum,
  Multiply,
  Subtract,
  type ConcatenateOptions,
  type MergeOptions,
} from './merge.js';
import { Dot, type DotOptions } from './dot.js';
import {
  ZeroPadding1D,
  ZeroPadding2D,
  type ZeroPadding1DOptions,
  type ZeroPadding2DOptions,
} from './padding.js';
import {
  Cropping1D,
  Cropping2D,
  type Cropping1DOptions,
  type Cropping2DOptions,
} from './cropping.js';

export { layerRegistry } from './get.js';
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
// Merge, padding and cropping layers
export {
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Minimum,
  Concatenate,
  type MergeOptions,
  type ConcatenateOptions,
} from './merge.js';
export { Dot, type DotOptions } from './dot.js';
export {
  ZeroPadding1D,
  ZeroPadding2D,
  type DataFormat,
  type Spatial1DAmount,
  type Spatial2DAmount,
  type ZeroPadding1DOptions,
  type ZeroPadding2DOptions,
} from './padding.js';
export {
  Cropping1D,
  Cropping2D,
  type Cropping1DOptions,
  type Cropping2DOptions,
} from './cropping.js';

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

// Merge, padding and cropping layers

/** Adds a list of inputs elementwise: sn.layers.add().apply([a, b]). */
export function add(options?: MergeOptions): Add {
  return new Add(options);
}

/** Subtracts the second of two inputs from the first: sn.layers.subtract().apply([a, b]) = a − b. */
export function subtract(options?: MergeOptions): Subtract {
  return new Subtract(options);
}

/** Multiplies a list of inputs elementwise. */
export function multiply(options?: MergeOptions): Multiply {
  return new Multiply(options);
}

/** The elementwise mean of a list of inputs. */
export function average(options?: MergeOptions): Average {
  return new Average(options);
}

/** The elementwise maximum of a list of inputs. */
export function maximum(options?: MergeOptions): Maximum {
  return new Maximum(options);
}

/** The elementwise minimum of a list of inputs. */
export function minimum(options?: MergeOptions): Minimum {
  return new Minimum(options);
}

/** Joins a list of inputs along an axis (default the last). */
export function concatenate(options?: ConcatenateOptions): Concatenate {
  return new Concatenate(options);
}

/** Per-sample dot product of two inputs over the given axes (cosine similarity with normalize). */
export function dot(options: DotOptions): Dot {
  return new Dot(options);
}

/** Pads the steps axis of [batch, steps, features] with zeros. */
export function zeroPadding1d(options?: ZeroPadding1DOptions): ZeroPadding1D {
  return new ZeroPadding1D(options);
}

/** Pads the height and width of images with zeros. */
export function zeroPadding2d(options?: ZeroPadding2DOptions): ZeroPadding2D {
  return new ZeroPadding2D(options);
}

/** Crops the steps axis of [batch, steps, features]. */
export function cropping1d(options?: Cropping1DOptions): Cropping1D {
  return new Cropping1D(options);
}

/** Crops the height and width of images. */
export function cropping2d(options?: Cropping2DOptions): Cropping2D {
  return new Cropping2D(options);
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

// Recurrent and embedding layers (issue 15)
import {
  GRUCell,
  LSTMCell,
  SimpleRNNCell,
  type GRUCellOptions,
  type LSTMCellOptions,
  type RecurrentCellOptions,
} from './recurrent/cells.js';
import { RNN, type RNNOptions } from './recurrent/rnn.js';
import {
  GRU,
  LSTM,
  SimpleRNN,
  type GRUOptions,
  type LSTMOptions,
  type SimpleRNNOptions,
} from './recurrent/layers.js';
import { StackedRNNCells, type StackedRNNCellsOptions } from './recurrent/stacked-cells.js';
import {
  Bidirectional,
  TimeDistributed,
  type BidirectionalOptions,
  type TimeDistributedOptions,
} from './recurrent/wrappers.js';
import {
  Embedding,
  Masking,
  type EmbeddingOptions,
  type MaskingOptions,
} from './recurrent/embedding.js';
export {
  GRUCell,
  LSTMCell,
  SimpleRNNCell,
  ProjectedCell,
  type GRUCellOptions,
  type LSTMCellOptions,
  type RecurrentCellOptions,
} from './recurrent/cells.js';
export {
  RNN,
  type RNNCallOptions,
  type RNNOptions,
  type RecurrentOptions,
} from './recurrent/rnn.js';
export {
  GRU,
  LSTM,
  SimpleRNN,
  type GRUOptions,
  type LSTMOptions,
  type SimpleRNNOptions,
} from './recurrent/layers.js';
export { StackedRNNCells, type StackedRNNCellsOptions } from './recurrent/stacked-cells.js';
export {
  Bidirectional,
  TimeDistributed,
  type BidirectionalMergeMode,
  type BidirectionalOptions,
  type TimeDistributedOptions,
} from './recurrent/wrappers.js';
export {
  Embedding,
  Masking,
  type EmbeddingOptions,
  type MaskingOptions,
} from './recurrent/embedding.js';

/** A fully connected recurrent layer: h_t = tanh(x_t·W + h_{t−1}·U + b). */
export function simpleRNN(options: SimpleRNNOptions): SimpleRNN {
  return new SimpleRNN(options);
}

/** Long short-term memory over [batch, steps, features]. */
export function lstm(options: LSTMOptions): LSTM {
  return new LSTM(options);
}

/** Gated recurrent unit (resetAfter true as Keras; false as TensorFlow.js). */
export function gru(options: GRUOptions): GRU {
  return new GRU(options);
}

/** One step of a SimpleRNN, for sn.layers.rnn({ cell }). */
export function simpleRNNCell(options: RecurrentCellOptions): SimpleRNNCell {
  return new SimpleRNNCell(options);
}

/** One step of an LSTM, for sn.layers.rnn({ cell }). */
export function lstmCell(options: LSTMCellOptions): LSTMCell {
  return new LSTMCell(options);
}

/** One step of a GRU, for sn.layers.rnn({ cell }). */
export function gruCell(options: GRUCellOptions): GRUCell {
  return new GRUCell(options);
}

/** Several cells run one after the other at each step, as one cell. */
export function stackedRNNCells(options: StackedRNNCellsOptions): StackedRNNCells {
  return new StackedRNNCells(options);
}

/** The recurrent loop around any cell (a built-in one or your own; see RNNOptions.cell). */
export function rnn(options: RNNOptions): RNN {
  return new RNN(options);
}

/** Runs a recurrent layer both ways over the sequence and merges the outputs. */
export function bidirectional(options: BidirectionalOptions): Bidirectional {
  return new Bidirectional(options);
}

/** Applies a layer to every time step with the same weights. */
export function timeDistributed(options: TimeDistributedOptions): TimeDistributed {
  return new TimeDistributed(options);
}

/** Integer indices → learned vectors; maskZero marks index 0 as padding. */
export function embedding(options: EmbeddingOptions): Embedding {
  return new Embedding(options);
}

/** Masks the steps whose features all equal maskValue (default 0). */
export function masking(options?: MaskingOptions): Masking {
  return new Masking(options);
}
