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

// Adds the ops to Tensor as methods (a.add(b)): the one module run for its effect.
import './ops/methods.js';
export * from './ops/index.js';

export * as testing from './testing/index.js';

export * as regularizers from './regularizers/index.js';
export * as initializers from './initializers/index.js';
export * as constraints from './constraints/index.js';
export * as activations from './activations/index.js';
export * as losses from './losses/index.js';
export * as metrics from './metrics/index.js';
export * as optimizers from './optimizers/index.js';
export * as layers from './layers/index.js';
export * as data from './data/index.js';
export * as diagnostics from './diagnostics/index.js';
export * as io from './io/index.js';
export { input, Layer, LayerVariable, SymbolicTensor } from './layers/index.js';
export * from './models/index.js';

import * as callback from './models/callback.js';
import * as fitCallbacks from './models/callbacks/index.js';
import * as tensorBoardCallback from './diagnostics/tensorboard/index.js';
import * as modelCheckpointCallback from './io/model-checkpoint-callback.js';
import * as registries from './serialization.js';
import * as customClasses from './io/registry.js';

/*
 * Two namespaces gather classes from several floors, so no one folder can hold them: fit's
 * callbacks (models/) with TensorBoard (diagnostics/) and ModelCheckpoint (io/), and the
 * registry machinery (serialization.ts) with registerClass (io/, which routes a custom
 * class to its family's registry). test/public-api.test.ts checks that each holds every
 * export of its sources.
 */
/* eslint-disable @typescript-eslint/no-namespace */
export namespace callbacks {
  export import Callback = callback.Callback;
  export import EarlyStopping = fitCallbacks.EarlyStopping;
  export import earlyStopping = fitCallbacks.earlyStopping;
  export type EarlyStoppingOptions = fitCallbacks.EarlyStoppingOptions;
  export import ReduceLROnPlateau = fitCallbacks.ReduceLROnPlateau;
  export import reduceLROnPlateau = fitCallbacks.reduceLROnPlateau;
  export type ReduceLROnPlateauOptions = fitCallbacks.ReduceLROnPlateauOptions;
  export import LearningRateScheduler = fitCallbacks.LearningRateScheduler;
  export import learningRateScheduler = fitCallbacks.learningRateScheduler;
  export type LearningRateSchedulerOptions = fitCallbacks.LearningRateSchedulerOptions;
  export import TerminateOnNaN = fitCallbacks.TerminateOnNaN;
  export import terminateOnNaN = fitCallbacks.terminateOnNaN;
  export import CSVLogger = fitCallbacks.CSVLogger;
  export import csvLogger = fitCallbacks.csvLogger;
  export type CSVLoggerOptions = fitCallbacks.CSVLoggerOptions;
  export import LambdaCallback = fitCallbacks.LambdaCallback;
  export import lambdaCallback = fitCallbacks.lambdaCallback;
  export type LambdaCallbackOptions = fitCallbacks.LambdaCallbackOptions;
  export import CallbackList = fitCallbacks.CallbackList;
  export type CallbackLike = fitCallbacks.CallbackLike;
  export import resolveMode = fitCallbacks.resolveMode;
  export type MonitorMode = fitCallbacks.MonitorMode;
  export import TensorBoard = tensorBoardCallback.TensorBoard;
  export import tensorBoard = tensorBoardCallback.tensorBoard;
  export type TensorBoardOptions = tensorBoardCallback.TensorBoardOptions;
  export import ModelCheckpoint = modelCheckpointCallback.ModelCheckpoint;
  export import modelCheckpoint = modelCheckpointCallback.modelCheckpoint;
  export type ModelCheckpointOptions = modelCheckpointCallback.ModelCheckpointOptions;
}

export namespace serialization {
  export type JsonValue = registries.JsonValue;
  export type ConfigDict = registries.ConfigDict;
  export type Serializable = registries.Serializable;
  export type SerializedObject = registries.SerializedObject;
  export type SerializableClass<T> = registries.SerializableClass<T>;
  export type KerasSerializedObject = registries.KerasSerializedObject;
  export type FamilyClass<T> = registries.FamilyClass<T>;
  export type ResolveOptions<T> = registries.ResolveOptions<T>;
  export import Registry = registries.Registry;
  export import isSerializedObject = registries.isSerializedObject;
  export import isInstance = registries.isInstance;
  export import classNameOf = registries.classNameOf;
  export import fromConfigDefault = registries.fromConfigDefault;
  export import withoutNulls = registries.withoutNulls;
  export import registerClass = customClasses.registerClass;
  export type CustomObjects = customClasses.CustomObjects;
}
/* eslint-enable @typescript-eslint/no-namespace */
