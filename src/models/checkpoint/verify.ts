import { describe } from '../../errors.js';
import type { LayerRngState, TrainingState } from './state.js';
import type { Tensor } from '../../tensor/tensor.js';
import { damaged, type NamedTensor } from './encoding.js';

/**
 * What a checkpoint is checked against before fit resumes from it: the SHA-256 of each file,
 * and the range of every field of the training state, so that a damaged or edited file fails
 * at load, naming the file, and not mid-fit or silently.
 */

/** The hex SHA-256 of `parts`, one after another (Node's crypto). */
export async function sha256(parts: readonly (Uint8Array | string)[]): Promise<string> {
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('hex');
}

/** The hex SHA-256 of tensors: for each, its dtype, shape and value bytes. */
export async function tensorsSha256(tensors: readonly Tensor[]): Promise<string> {
  const parts: (Uint8Array | string)[] = [];
  for (const t of tensors) {
    const values = t.dataSync();
    parts.push(`${t.dtype}[${t.shape.join(',')}]`);
    parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  return sha256(parts);
}

/** Non-finite values in the model's weights or the optimizer's slots: a damaged file. */
export function checkFinite(tensors: readonly NamedTensor[], where: string): void {
  for (const { name, group, tensor } of tensors) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'float64') continue;
    const values = tensor.dataSync();
    const at = values.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) {
      throw damaged(
        where,
        `${group === 'model' ? 'weight' : 'optimizer slot'} '${name}' holds ${values[at]} at ` +
          `index ${at}; a run whose weights went non-finite cannot go on, so lower the learning ` +
          'rate (or pass callbacks: [sn.callbacks.terminateOnNaN()]) when you start afresh',
      );
    }
  }
}

const isInt = (v: unknown, max = Number.MAX_SAFE_INTEGER): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/** A generator's state as Random.getState() writes it: 4 uint32 words, not all 0, a spare. */
function isRngState(v: unknown): boolean {
  if (!Array.isArray(v) || v.length !== 5) return false;
  const words = v.slice(0, 4);
  const spare = v[4] as unknown;
  return (
    words.every((w) => isInt(w, 0xffffffff)) &&
    words.some((w) => w !== 0) &&
    typeof spare === 'number' &&
    (Number.isNaN(spare) || Number.isFinite(spare))
  );
}

function isLayerRng(l: unknown): boolean {
  const s = l as Partial<LayerRngState> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.layer === 'string' &&
    typeof s.className === 'string' &&
    isRngState(s.state)
  );
}

/**
 * The fields fit relies on, each checked for type and range; the first one out of range is
 * named in the SerializationError.
 */
export function checkState(state: unknown, where: string): void {
  const s = state as Partial<TrainingState> | undefined;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) {
    throw damaged(where, 'the training state is missing');
  }
  // fitDataset's state (a stream) has no sample count: samples 0, batchSize its
  // batchesPerEpoch (0 without), an empty shuffleRng and its place in the stream.
  const stream = s.dataset !== undefined;
  // Steps an epoch has (0: unknown, a stream without batchesPerEpoch), and the bound on `step`.
  const batchSize = isInt(s.batchSize) ? s.batchSize : 0;
  const steps = stream
    ? batchSize
    : isInt(s.samples, 2 ** 32) && batchSize > 0
      ? Math.ceil(s.samples / batchSize)
      : 0;
  const place = s.dataset as Partial<NonNullable<TrainingState['dataset']>> | undefined;
  const tracker = s.tracker as Partial<TrainingState['tracker']> | undefined;
  const lr = s.learningRate;
  const checks: [keyof TrainingState, string, boolean][] = [
    stream
      ? ['samples', '0 for a stream', s.samples === 0]
      : ['samples', 'an integer >= 1', isInt(s.samples, 2 ** 32) && s.samples >= 1],
    stream
      ? ['batchSize', 'batchesPerEpoch, or 0', isInt(s.batchSize)]
      : ['batchSize', 'an integer >= 1', isInt(s.batchSize) && s.batchSize >= 1],
    // The epoch counter must leave room for its steps: epoch * steps stays an exact integer.
    [
      'epoch',
      'an integer >= 0 (below 2^40 steps)',
      isInt(s.epoch, Math.floor(2 ** 40 / Math.max(steps, 1))),
    ],
    stream
      ? [
          'step',
          'an integer >= 0, at most batchesPerEpoch',
          isInt(s.step) && (steps === 0 || s.step <= steps),
        ]
      : [
          'step',
          `an integer below the ${steps} steps of an epoch`,
          isInt(s.step) && s.step < steps,
        ],
    ['stopped', 'a boolean', typeof s.stopped === 'boolean'],
    stream
      ? [
          'shuffleRng',
          'empty for a stream',
          Array.isArray(s.shuffleRng) && s.shuffleRng.length === 0,
        ]
      : ['shuffleRng', 'a generator state', isRngState(s.shuffleRng)],
    [
      'dataset',
      'the place in the stream: { state, consumed }',
      !stream || (typeof place === 'object' && place !== null && isInt(place.consumed)),
    ],
    ['globalRng', 'a generator state', isRngState(s.globalRng)],
    [
      'layerRngs',
      'generator states',
      s.layerRngs === undefined || (Array.isArray(s.layerRngs) && s.layerRngs.every(isLayerRng)),
    ],
    [
      'tracker',
      'running sums and a sample count',
      typeof tracker === 'object' &&
        tracker !== null &&
        isInt(tracker.count, stream ? Number.MAX_SAFE_INTEGER : s.samples) &&
        typeof tracker.sums === 'object' &&
        tracker.sums !== null &&
        Object.values(tracker.sums).every((v) => typeof v === 'number'),
    ],
    [
      'data',
      'the hashes of the run, or absent',
      s.data === undefined ||
        (typeof s.data === 'object' &&
          s.data !== null &&
          Object.values(s.data).every((v) => typeof v === 'string')),
    ],
    ['metrics', 'a list', Array.isArray(s.metrics)],
    [
      'callbacks',
      'a list of { name, state }',
      Array.isArray(s.callbacks) &&
        s.callbacks.every(
          (c: unknown) =>
            typeof c === 'object' &&
            c !== null &&
            typeof (c as { name?: unknown }).name === 'string',
        ),
    ],
    [
      'learningRate',
      'a finite number >= 0, or null',
      lr === null || (typeof lr === 'number' && Number.isFinite(lr) && lr >= 0),
    ],
  ];
  const bad = checks.find(([, , ok]) => !ok);
  if (bad !== undefined) {
    const [name, expected] = bad;
    throw damaged(where, `state.${name} is ${describe(s[name])}, expected ${expected}`);
  }
}
