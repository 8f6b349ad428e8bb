// sn.io: model files in the TensorFlow.js layers format (model.json + weights.bin).
//
// Leniency of configs read from files. Options a user types are checked strictly (an unknown
// key is a ConfigError with a did-you-mean; see src/validation.ts). A config read from a file
// is data another program wrote (TensorFlow.js, Keras, an older sinew), so the fromConfig of
// each layer, loss, metric and activation keeps only the keys of its options interface (its
// `optionKeys` list, through pickOptions) and ignores every other key: quietly for the keys
// listed below, with one console warning naming any other key (and the closest known one), so
// a misspelled `actiwation` in a hand-edited file is never dropped silently. The values it
// keeps are still checked (a bad one is a SerializationError naming the file). TensorFlow.js 4.22
// writes no key beyond sinew's options for the layers sinew has (Dense, BatchNormalization,
// Dropout, Activation, GaussianNoise, Reshape, Flatten). Keys known to be ignored:
//   - Keras layer configs: `data_format` (Flatten), `sparse` and `ragged` (InputLayer, which
//     reads only batch_input_shape, dtype and name), `lora_rank` (Dense, Keras 3),
//     `synchronized` (BatchNormalization, Keras 3);
//   - loss configs: `axis` of the binary and categorical crossentropies (sinew writes -1, the
//     only axis it supports), `ignore_class` of SparseCategoricalCrossentropy when null (any
//     other value is an error), `reduction` when 'sum_over_batch_size' (any other value is an
//     error);
//   - metric configs: `dtype`;
//   - Keras base-layer keys `dynamic` and `autocast`.
// Regularizer configs keep their coefficients (l1, l2, factor, mode, rho, beta) and ignore the
// rest; optimizer configs accept Keras's extra keys only at their defaults (useEma: false, ...:
// see KERAS_ONLY in src/optimizers/optimizer.ts). Initializer and constraint configs go
// through the default fromConfig of every family (fromConfigDefault in src/serialization.ts):
// keys outside the class's options are dropped with the warning above.
export {
  save,
  load,
  parseModelJson,
  type SaveOptions,
  type LoadOptions,
  type SaveResult,
} from './files.js';
export {
  toMemory,
  fromMemory,
  type ModelArtifacts,
  type ToMemoryOptions,
  type FromMemoryOptions,
} from './artifacts.js';
export { saveWeights, loadWeights } from './weights-only.js';
export { listModels, removeModel, type ModelArtifactsInfo } from './browser-storage.js';
export { inspect, type InspectOptions } from './inspect.js';
export { probeDirectory, type ProbeOptions } from '../util/folders.js';
export { registerClass, type CustomObjects } from './registry.js';
export { SerializationError } from '../errors.js';
export type { WeightSpec, WeightsManifestEntry } from './weights.js';

// PyTorch export (issue 13): safetensors, numpy files, the exporter and the way back.
export { saveNpy } from './npy.js';
export { loadSafetensors } from './pytorch/load.js';
export { exportPyTorch, type ExportPyTorchOptions } from './pytorch/export.js';
export type { ExportFitOptions } from './pytorch/training.js';
