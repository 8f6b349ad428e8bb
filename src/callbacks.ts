// sn.callbacks: fit's callbacks (src/models/callbacks/) and the diagnostics ones, in one place.
export * from './models/callbacks/index.js';
export { Callback } from './models/callback.js';
export {
  TensorBoard,
  tensorBoard,
  type TensorBoardOptions,
} from './diagnostics/tensorboard/index.js';
export {
  ModelCheckpoint,
  modelCheckpoint,
  type ModelCheckpointOptions,
} from './io/model-checkpoint.js';
