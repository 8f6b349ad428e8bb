import { describe, SerializationError } from '../../errors.js';
import {
  seededLayers,
  type Checkpointer,
  type LayerRngState,
  type LoadedCheckpoint,
  type RandomStateLayer,
  type TrainingState,
} from './state.js';
import type { Model } from '../model.js';
import { formatShape, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  LITTLE_ENDIAN,
  damaged,
  decodeTensors,
  encodeTensors,
  parseExact,
  stringifyExact,
  type NamedTensor,
} from './encoding.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { checkFinite, checkState, sha256, tensorsSha256 } from './verify.js';
import { makeDirectorySync, probeDirectory } from '../../util/folders.js';

/**
 * fit's checkpoints on disk (Node). A checkpoint directory holds `checkpoint.json` (the
 * training state and the specs of the saved tensors) and the one `state-*.bin` it names
 * (model weights and optimizer slots, exact bytes). Each save writes a new .bin under a new
 * name, then replaces checkpoint.json; each file is written to a temporary file, fsynced
 * and renamed, and the directory fsynced. checkpoint.json is the commit point: a process
 * killed at any moment leaves either the old checkpoint.json with its old .bin (deleted only
 * after the new checkpoint.json is in place) or the new pair.
 *
 * checkpoint.json holds the SHA-256 of the .bin and of its own other fields (`sha256`), so a
 * changed byte in either file is a SerializationError at load, before any field is trusted.
 * Version 1 checkpoints (earlier sinew) have no checksums: they load with a warning.
 */

const INDEX = 'checkpoint.json';
const FORMAT = 'sinew-checkpoint';
const VERSION = 2;
/** Written by earlier sinew, without checksums nor data fingerprint: loaded with a warning. */
const UNCHECKED_VERSION = 1;

interface IndexFile {
  format: typeof FORMAT;
  version: number;
  littleEndian: boolean;
  dataFile: string;
  dataBytes: number;
  /** SHA-256 of dataFile (version 2). */
  dataSha256?: string;
  tensors: unknown;
  state: TrainingState;
  /** SHA-256 of stringifyExact of every other field, in this order (version 2). */
  sha256?: string;
}

let saves = 0;

/** The tensors a checkpoint holds: every model weight, then the optimizer's slots. */
function stateTensors(model: Model): NamedTensor[] {
  const out: NamedTensor[] = model.weights.map((w) => ({
    name: w.name,
    group: 'model',
    tensor: w,
  }));
  for (const { name, tensor } of model.compiled?.optimizer.getSlots() ?? []) {
    out.push({ name, group: 'optimizer', tensor });
  }
  return out;
}

async function save(dir: string, model: Model, state: TrainingState): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const root = makeDirectorySync({ fs: await import('node:fs'), path }, dir, 'fit: checkpoint');
  saves += 1;
  const { specs, data } = encodeTensors(stateTensors(model));
  const dataFile = `state-${Date.now().toString(36)}-${process.pid}-${saves}.bin`;
  await writeFileAtomic(path.join(root, dataFile), data);
  const index: IndexFile = {
    format: FORMAT,
    version: VERSION,
    littleEndian: LITTLE_ENDIAN,
    dataFile,
    dataBytes: data.byteLength,
    dataSha256: await sha256([data]),
    tensors: specs,
    state,
  };
  index.sha256 = await sha256([stringifyExact(index)]);
  await writeFileAtomic(path.join(root, INDEX), stringifyExact(index), {
    beforeRename: crashHere() ? () => process.kill(process.pid, 'SIGKILL') : undefined,
  });
  // The new checkpoint is committed: the old .bin and leftovers of killed writes can go.
  for (const name of await fs.readdir(root)) {
    const ours = /^state-.*\.bin$/.test(name) || /^\.(state-|checkpoint\.json).*\.tmp$/.test(name);
    if (ours && name !== dataFile) await fs.rm(path.join(root, name), { force: true });
  }
}

/**
 * For tests of atomicity: SINEW_TEST_CRASH_IN_CHECKPOINT_WRITE=n kills this process with
 * SIGKILL during its n-th save, after the new checkpoint.json is written to its temporary
 * file but before the rename that commits it.
 */
function crashHere(): boolean {
  const n = Number(process.env.SINEW_TEST_CRASH_IN_CHECKPOINT_WRITE ?? Number.NaN);
  return Number.isInteger(n) && n === saves;
}

async function load(dir: string, model: Model): Promise<LoadedCheckpoint | undefined> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const root = path.resolve(dir);
  const where = path.join(root, INDEX);
  let text: string;
  try {
    text = await fs.readFile(where, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // No checkpoint yet: the run starts afresh and will write here, so try that now.
      await probeDirectory(root, 'fit: checkpoint');
      return undefined;
    }
    throw new SerializationError(
      `${where}: cannot read the checkpoint (${(e as Error).message}). Fix: check the directory's permissions.`,
    );
  }
  const index = await readIndex(text, where);
  checkState(index.state, where);
  const dataPath = path.join(root, path.basename(String(index.dataFile)));
  const data = await fs.readFile(dataPath).catch((e: Error) => {
    throw damaged(where, `cannot read ${dataPath}: ${e.message}`);
  });
  if (data.byteLength !== index.dataBytes) {
    throw damaged(where, `${dataPath} has ${data.byteLength} bytes, expected ${index.dataBytes}`);
  }
  if (index.dataSha256 !== undefined && (await sha256([data])) !== index.dataSha256) {
    throw damaged(
      where,
      `${dataPath} does not match the checksum recorded for it: its bytes changed after it was written`,
    );
  }
  const tensors = decodeTensors(index.tensors, new Uint8Array(data), where);
  checkFinite(tensors, where);
  const state = index.state;
  return {
    state,
    where,
    restore: () => {
      const { weights, slots } = matchModel(model, tensors, where);
      const layerRngs = matchLayerRngs(model, state.layerRngs, where);
      model.weights.forEach((v, i) => v.assign(weights[i]!));
      for (const { layer, state: rng } of layerRngs) layer.setRandomState(rng);
      const optimizer = model.compiled?.optimizer;
      if (optimizer === undefined) return;
      optimizer.setSlots(slots);
      if (state.learningRate !== null && typeof optimizer.learningRate === 'number') {
        optimizer.learningRate = state.learningRate;
      }
    },
  };
}

/**
 * checkpoint.json parsed and verified: a sinew checkpoint, its checksum matching the rest of
 * its fields (a version 1 file, which has none, loads with a warning), its byte order this
 * machine's.
 */
async function readIndex(text: string, where: string): Promise<IndexFile> {
  let index: IndexFile;
  try {
    index = parseExact(text) as IndexFile;
  } catch (e) {
    throw damaged(where, (e as Error).message);
  }
  if (typeof index !== 'object' || index === null || index.format !== FORMAT) {
    throw new SerializationError(
      `${where}: not a sinew checkpoint (format ${describe(index?.format)}; expected ` +
        `'${FORMAT}'). Fix: point checkpoint.dir at a directory of its own.`,
    );
  }
  const { sha256: recorded, ...rest } = index;
  if (recorded !== undefined || index.version !== UNCHECKED_VERSION) {
    if (typeof recorded !== 'string' || (await sha256([stringifyExact(rest)])) !== recorded) {
      throw damaged(
        where,
        recorded === undefined
          ? 'its checksum field is missing'
          : 'it does not match the checksum recorded in it: its bytes changed after it was written',
      );
    }
    if (index.version !== VERSION) {
      throw new SerializationError(
        `${where}: a sinew checkpoint of version ${describe(index.version)}, which this sinew ` +
          `does not read (it reads versions ${UNCHECKED_VERSION} and ${VERSION}). Fix: resume ` +
          'with the sinew that wrote it, or delete the directory to start afresh.',
      );
    }
  } else {
    console.warn(
      `sinew: ${where} was written by an earlier sinew (checkpoint version ${UNCHECKED_VERSION}), ` +
        'which kept no checksums: its files cannot be verified. The next save writes them.',
    );
  }
  if (typeof index.littleEndian !== 'boolean') {
    throw damaged(where, `littleEndian is ${describe(index.littleEndian)}, expected a boolean`);
  }
  if (index.littleEndian !== LITTLE_ENDIAN) {
    throw new SerializationError(
      `${where}: the checkpoint was written on a machine of the other byte order; it can be ` +
        'resumed only on the kind of machine that wrote it.',
    );
  }
  return index;
}

/**
 * The saved value of each model weight, by position (a model rebuilt in the same process has
 * other automatic names: 'dense_3/kernel' for 'dense/kernel'), shapes and dtypes agreeing;
 * and the optimizer slots, renamed after the model's variables ('dense_3/kernel/m').
 */
function matchModel(
  model: Model,
  tensors: readonly NamedTensor[],
  where: string,
): { weights: Tensor[]; slots: { name: string; tensor: Tensor }[] } {
  const saved = tensors.filter((t) => t.group === 'model');
  const variables = model.weights;
  const mismatch = (problem: string) =>
    new SerializationError(
      `${where}: the checkpoint belongs to a different model: ${problem}. Fix: resume with the ` +
        'model that wrote it (same layers in the same order), or use another checkpoint dir to ' +
        'start afresh.',
    );
  const list = (names: readonly string[]) => names.join(', ') || '(none)';
  if (saved.length !== variables.length) {
    throw mismatch(
      `it has ${saved.length} weights (${list(saved.map((t) => t.name))}), the model ` +
        `${variables.length} (${list(variables.map((v) => v.name))})`,
    );
  }
  const renamed = new Map<string, string>();
  const weights = variables.map((v, i) => {
    const t = saved[i]!;
    if (!shapesEqual(t.tensor.shape, v.shape) || t.tensor.dtype !== v.dtype) {
      throw mismatch(
        `weight ${i} ('${t.name}') is ${formatShape(t.tensor.shape)} ${t.tensor.dtype} there, ` +
          `'${v.name}' is ${formatShape(v.shape)} ${v.dtype} here`,
      );
    }
    renamed.set(t.name, v.name);
    return t.tensor;
  });
  const slots = tensors
    .filter((t) => t.group === 'optimizer')
    .map(({ name, tensor }) => {
      const cut = name.lastIndexOf('/');
      const variable = cut > 0 ? renamed.get(name.slice(0, cut)) : undefined;
      return { name: variable === undefined ? name : `${variable}${name.slice(cut)}`, tensor };
    });
  return { weights, slots };
}

/**
 * The saved generator of each seeded layer (dropout, gaussianNoise with a seed), matched by
 * position as the weights are (names may differ in a model rebuilt in the same process), the
 * classes agreeing. A checkpoint of an earlier sinew has no layer generators: those layers
 * then start again from their seed, with a warning, as such a checkpoint always did.
 */
function matchLayerRngs(
  model: Model,
  saved: readonly LayerRngState[] | undefined,
  where: string,
): { layer: RandomStateLayer; state: number[] }[] {
  const layers = seededLayers(model);
  if (saved === undefined) {
    if (layers.length > 0) {
      console.warn(
        `sinew: ${where} does not hold the generators of seeded layers (it was written by an ` +
          `earlier sinew); ${layers.map((l) => `'${l.name}'`).join(', ')} start again from ` +
          'their seed, so the resumed run draws other masks or noise than an uninterrupted one.',
      );
    }
    return [];
  }
  const list = (items: readonly { name: string; className: string }[]) =>
    items.map((l) => `${l.className} '${l.name}'`).join(', ') || '(none)';
  const savedList = list(saved.map((s) => ({ name: s.layer, className: s.className })));
  const same =
    saved.length === layers.length && layers.every((l, i) => l.className === saved[i]!.className);
  if (!same) {
    throw new SerializationError(
      `${where}: the checkpoint belongs to a different model: its seeded layers (those with a ` +
        `generator of their own) are [${savedList}], the model's [${list(layers)}]. Fix: ` +
        'resume with the model that wrote it (same layers, same seeds given or not, in the ' +
        'same order), or use another checkpoint dir to start afresh.',
    );
  }
  return layers.map((layer, i) => ({ layer, state: saved[i]!.state }));
}

/** The file-backed Checkpointer fit uses for its `checkpoint` option. */
export const fileCheckpointer: Checkpointer = { save, load, hash: tensorsSha256 };
