export { Model, model, type ModelOptions } from './model.js';
export { Sequential, sequential, type SequentialOptions } from './sequential.js';
export { Callback, type Logs, type TrainingParams } from './callback.js';
export { History } from './history.js';
export type {
  CompileOptions,
  FitOptions,
  FitDatasetOptions,
  EvaluateDatasetOptions,
  DatasetLike,
  EvaluateOptions,
  PredictOptions,
  TrainOnBatchOptions,
  TrainStepData,
  TrainStepLogs,
} from './training/index.js';
export type { SummaryOptions } from './summary.js';
