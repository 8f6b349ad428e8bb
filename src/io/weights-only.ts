import { describe, SerializationError } from '../errors.js';
import { Layer } from '../layers/layer.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { writeFileAtomic } from '../util/atomic.js';
import { modelFolder, openInside, readAndClose } from './disk.js';
import { makeDirectorySync } from '../util/folders.js';
import { decodeWeights, encodeWeights, specBytes, type WeightSpec } from './weights.js';

/**
 * Weights without a model file, as Keras's `save_weights` / `load_weights`: the way to save
 * a subclassed model (its computation is code, so there is no config to write), and any
 * other. In Node, a directory holding `weights.json` (the specs) and `weights.bin` (the
 * values in the TensorFlow.js weights format, as sn.io.save writes them). Loading needs the
 * model built the same way: the weights are matched by position (the order of
 * `model.weights`, which follows the layers' order and a subclass's field order), shapes and
 * dtypes agreeing; names are not compared, since a model built again in one process gets
 * other automatic names ('dense_3' for 'dense').
 */

const FORMAT = 'sinew-weights';
const VERSION = 1;
const SPECS = 'weights.json';
const DATA = 'weights.bin';

interface WeightsFile {
  format: typeof FORMAT;
  version: number;
  weightSpecs: WeightSpec[];
}

function checkArgs(model: unknown, path: unknown, where: string): asserts model is Layer {
  if (!(model instanceof Layer)) {
    throw new SerializationError(
      `${where}: expected a model or layer as the first argument, received ${describe(model)}.`,
    );
  }
  if (typeof path !== 'string' || path === '') {
    throw new SerializationError(
      `${where}: expected a directory path as the second argument, received ${describe(path)}.`,
    );
  }
}

/**
 * Writes every weight of `model` (trainable or not, in `model.weights` order) to the
 * directory `dir`: `await sn.io.saveWeights(model, 'ae-weights')`. Files are written
 * atomically, the values before the specs. Returns the files written.
 */
export async function saveWeights(model: Layer, dir: string): Promise<string[]> {
  checkArgs(model, dir, 'saveWeights');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const root = makeDirectorySync({ fs, path }, dir.replace(/^file:\/\//, ''), 'saveWeights');
  const { specs, data } = encodeWeights(model.weights.map((w) => ({ name: w.name, tensor: w })));
  const file: WeightsFile = { format: FORMAT, version: VERSION, weightSpecs: specs };
  const dataPath = path.join(root, DATA);
  const specsPath = path.join(root, SPECS);
  await writeFileAtomic(dataPath, new Uint8Array(data));
  await writeFileAtomic(specsPath, JSON.stringify(file));
  return [specsPath, dataPath];
}

/**
 * Sets every weight of `model` from a directory saveWeights wrote:
 * `await sn.io.loadWeights(model, 'ae-weights')`. Everything is checked before any weight
 * changes. A subclassed model makes its weights on its first call: call it once first (fit,
 * predict or apply on a batch).
 */
export async function loadWeights(model: Layer, dir: string): Promise<void> {
  checkArgs(model, dir, 'loadWeights');
  const path = await import('node:path');
  const root = path.resolve(dir.replace(/^file:\/\//, ''));
  const where = path.join(root, SPECS);
  // Read as sn.io.load reads a model folder (io/disk.ts): nothing outside it, no FIFO waited on.
  const folder = await modelFolder(root);
  const fix = 'pass the directory that sn.io.saveWeights wrote, or save the weights again';
  const text = (
    await readAndClose(await openInside(folder, SPECS, where, 'weights specs file', fix), where)
  ).toString('utf8');
  let file: Partial<WeightsFile>;
  try {
    file = JSON.parse(text) as Partial<WeightsFile>;
  } catch (e) {
    throw new SerializationError(
      `${where}: malformed JSON (${(e as Error).message}). Fix: save the weights again.`,
    );
  }
  if (file?.format !== FORMAT || file.version !== VERSION || !Array.isArray(file.weightSpecs)) {
    throw new SerializationError(
      `${where}: not a sinew weights file (format ${describe(file?.format)}, version ` +
        `${describe(file?.version)}; expected '${FORMAT}' version ${VERSION} with weightSpecs). ` +
        'Fix: pass a directory written by sn.io.saveWeights (a model.json is read by sn.io.load).',
    );
  }
  const specs = file.weightSpecs;
  const expected = specs.reduce((n, s) => n + specBytes(s, where), 0);
  const dataFile = await openInside(folder, DATA, where, 'weights file', fix);
  // The size is checked before anything is read.
  if (dataFile.size !== expected) {
    await dataFile.handle.close();
    throw new SerializationError(
      `${where}: ${dataFile.path} has ${dataFile.size} bytes, the specs describe ${expected}. ` +
        'Fix: the two files do not belong together or the copy was cut off; save the weights again.',
    );
  }
  const data = await readAndClose(dataFile, where);
  const saved = decodeWeights(specs, new Uint8Array(data).buffer, where);
  const variables = model.weights;
  const list = (names: readonly string[]) => names.join(', ') || '(none)';
  const mismatch = (problem: string, fix: string) =>
    new SerializationError(
      `${where}: the weights do not fit ${model.describeSelf()}: ${problem}. Fix: ${fix}.`,
    );
  if (saved.length !== variables.length) {
    const unbuilt = variables.length === 0 && !model.built;
    throw mismatch(
      `the file has ${saved.length} weights (${list(saved.map((t) => t.name))}), the model ` +
        `${variables.length} (${list(variables.map((v) => v.name))})`,
      unbuilt
        ? 'the model has made no weights yet; call it once on a batch (model.predict(x)) so ' +
            'that its layers make theirs, then load'
        : 'load into a model built as the one that saved them (same layers in the same order)',
    );
  }
  // float64 weights were written as float32 (the TensorFlow.js format): only int32 must match.
  variables.forEach((v, i) => {
    const t = saved[i]!.tensor;
    if (!shapesEqual(t.shape, v.shape) || (t.dtype === 'int32') !== (v.dtype === 'int32')) {
      throw mismatch(
        `weight ${i} ('${saved[i]!.name}') is ${formatShape(t.shape)} ${t.dtype} there, ` +
          `'${v.name}' is ${formatShape(v.shape)} ${v.dtype} here`,
        'load into a model built as the one that saved them (same layers in the same order)',
      );
    }
  });
  // Everything is checked: now change the model.
  variables.forEach((v, i) => {
    const t = saved[i]!.tensor;
    v.assign(t.dtype === v.dtype ? t : t.cast(v.dtype));
  });
}
