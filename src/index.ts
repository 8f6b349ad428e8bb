/**
 * sinew: tensors with reverse-mode autodiff, Keras-style layers (dense, convolutional,
 * recurrent) whose kernel, bias and activity regularizers really work, models, fit, model
 * files, diagnostics and the PyTorch export. This is the one public entry point:
 *
 *   import * as sn from 'sinew';
 */
export * from './errors.js';

export { backendInfo, getBackend, ready, setBackend, type BackendInfo } from './backends/index.js';
export type { Backend, BinaryOp, ReduceOp, TensorInfo, UnaryOp } from './backends/backend.js';

export { Tensor, isTensor, type NestedArray } from './tensor/tensor.js';
export { Variable, variable, type VariableOptions } from './tensor/variable.js';
export type { DataArray, DType } from './tensor/dtype.js';
export type { Shape } from './tensor/shape.js';
export { Random, setSeed } from './tensor/random.js';
export {
  eye,
  fill,
  linspace,
  ones,
  onesLike,
  randomBernoulli,
  randomNormal,
  randomUniform,
  range,
  scalar,
  tensor,
  truncatedNormal,
  zeros,
  zerosLike,
  type EyeOptions,
  type RandomBernoulliOptions,
  type RandomNormalOptions,
  type RandomUniformOptions,
  type RangeOptions,
  type TensorLike,
} from './tensor/creation.js';

export { Gradients, grad, grads, valueAndGrads, type ValueAndGrads } from './autograd/gradients.js';
export { noGrad } from './autograd/tape.js';
export { keep } from './tensor/scope.js';

export * from './ops/index.js';

export * as testing from './testing/index.js';

export * as serialization from './serialization-api.js';
export * as regularizers from './regularizers/index.js';
export * as initializers from './initializers/index.js';
export * as constraints from './constraints/index.js';
export * as activations from './activations/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as optimizers from './optimizers/index.js';
export * as layers from './layers/index.js';
export * as callbacks from './callbacks.js';
export * as data from './data/index.js';
export * as diagnostics from './diagnostics/index.js';
export * as io from './io/index.js';
export { input, Layer, LayerVariable, SymbolicTensor } from './layers/index.js';
export * from './models/index.js';
