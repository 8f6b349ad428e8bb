// Registers the file-backed writer behind fit's `checkpoint` option (models/ never imports io/).
import './checkpoint.js';

// sn.io: model files in the TensorFlow.js layers format (model.json + weights.bin).
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
export { probeDirectory, type ProbeOptions } from './folders.js';
export { registerClass, type CustomObjects } from './registry.js';
export { SerializationError } from './errors.js';
export type { WeightSpec, WeightsManifestEntry } from './weights.js';
