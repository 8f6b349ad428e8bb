// The layer family's registry: every built-in layer class by className (models and io/ use it
// to rebuild layers from configs). Layers have no getLayer(name): a layer is never named by a
// string, it is built from options (the factories in index.ts) or from a config (fromConfig).
import { Activation } from './activation.js';
import { ActivityRegularization } from './activity-regularization.js';
import { ELU, LeakyReLU, ReLU, Softmax } from './advanced-activations.js';
import { BatchNormalization } from './batch-normalization.js';
import { Conv1D, Conv2D, Conv2DTranspose } from './conv.js';
import { Cropping1D, Cropping2D } from './cropping.js';
import { Dense } from './dense.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { Dot } from './dot.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { GaussianNoise } from './gaussian-noise.js';
import {
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
} from './global-pooling.js';
import { InputLayer } from './input.js';
import { KSparse } from './k-sparse.js';
import { LayerNormalization } from './layer-normalization.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from './merge.js';
import { AlphaDropout, GaussianDropout } from './noise-dropout.js';
import { ZeroPadding1D, ZeroPadding2D } from './padding.js';
import { Permute, RepeatVector } from './permute.js';
import { AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D } from './pooling.js';
import { PReLU } from './prelu.js';
import { GRUCell, LSTMCell, SimpleRNNCell } from './recurrent/cells.js';
import { Embedding, Masking } from './recurrent/embedding.js';
import { GRU, LSTM, SimpleRNN } from './recurrent/layers.js';
import { RNN } from './recurrent/rnn.js';
import { StackedRNNCells } from './recurrent/stacked-cells.js';
import { Bidirectional, TimeDistributed } from './recurrent/wrappers.js';
import { Reshape } from './reshape.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { SpatialDropout1D, SpatialDropout2D } from './spatial-dropout.js';
import { UpSampling1D, UpSampling2D } from './upsampling.js';

import { layerRegistry } from './registry.js';

export { layerRegistry };
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
  // Merge, padding and cropping layers
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Minimum,
  Concatenate,
  Dot,
  ZeroPadding1D,
  ZeroPadding2D,
  Cropping1D,
  Cropping2D,
  // Pooling and upsampling layers
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
  // Misc layers: activation layers, spatial/Gaussian/alpha dropout, layer normalization, permute, repeatVector
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
  // Convolution layers
  Conv1D,
  Conv2D,
  Conv2DTranspose,
  DepthwiseConv2D,
  SeparableConv2D,
  // Recurrent layers
  SimpleRNN,
  LSTM,
  GRU,
  SimpleRNNCell,
  LSTMCell,
  GRUCell,
  StackedRNNCells,
  RNN,
  Bidirectional,
  TimeDistributed,
  Embedding,
  Masking,
]) {
  layerRegistry.register(cls);
}
