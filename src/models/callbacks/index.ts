/**
 * fit's built-in callbacks, named as TensorFlow.js (`sn.callbacks.earlyStopping({...})`) and
 * behaving as Keras 3 (`keras.callbacks.EarlyStopping`, ...), plus the CallbackList that fit
 * uses to call them. Each factory takes an options object; bad options throw a ConfigError.
 */
export { resolveMode, type MonitorMode } from './monitored-quantity.js';
export { EarlyStopping, earlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export {
  ReduceLROnPlateau,
  reduceLROnPlateau,
  type ReduceLROnPlateauOptions,
} from './reduce-lr-on-plateau.js';
export {
  LearningRateScheduler,
  learningRateScheduler,
  type LearningRateSchedulerOptions,
} from './learning-rate-scheduler.js';
export { TerminateOnNaN, terminateOnNaN } from './terminate-on-nan.js';
export { CSVLogger, csvLogger, type CSVLoggerOptions } from './csv-logger.js';
export { LambdaCallback, lambdaCallback, type LambdaCallbackOptions } from './lambda.js';
export { CallbackList, type CallbackLike } from './callback-list.js';
