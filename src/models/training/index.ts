/**
 * compile, fit, evaluate, predict, trainOnBatch, testOnBatch. One formula everywhere
 * (docs/semantics.md rule 13): total loss = Σ_outputs lossWeight · mean data loss + Σ model.losses
 * (every activity penalty of the pass and every weight penalty). Logs report `loss` (the
 * total) and `regularization_loss` (the second sum), for training and validation alike.
 */

export { compile, compiledOf, type CompileOptions, type Compiled } from './compile.js';
export { fit, type FitOptions } from './fit.js';
export {
  evaluateDataset,
  fitDataset,
  type EvaluateDatasetOptions,
  type FitDatasetOptions,
} from './fit-dataset.js';
export type { DatasetLike } from './dataset-batches.js';
export {
  evaluate,
  predict,
  testOnBatch,
  trainOnBatch,
  type EvaluateOptions,
  type PredictOptions,
  type TrainOnBatchOptions,
} from './evaluate.js';
export { defaultTrainStep, type TrainStepData, type TrainStepLogs } from './step.js';
