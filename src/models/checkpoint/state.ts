import { ConfigError, SerializationError, SinewError, describe } from '../../errors.js';
import type { Metric } from '../../metrics/metric.js';
import type { Layer } from '../../layers/layer.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { JsonValue } from '../../serialization.js';
import { checkOptionKeys, optionKeys, checkString } from '../../validation.js';
import type { Callback } from '../callback.js';
import type { Model } from '../model.js';

/**
 * fit's `checkpoint` option: the whole training state saved as it goes, and a fit started
 * again with the same arguments resumes from it, bit for bit. This file holds the options,
 * the state and its checks; ./files.ts writes and reads them (Node), ./encoding.ts is the
 * byte and JSON form, ./verify.ts the hashes and range checks applied at load.
 */

export interface CheckpointOptions {
  /** The directory holding the checkpoint (created if needed). */
  dir: string;
  /**
   * 'epoch' (default): save at the end of each epoch. A number k: also save after every k
   * optimizer steps (counted from the first epoch), so a run killed mid-epoch loses at most
   * k steps.
   */
  every?: number | 'epoch';
}
const CHECKPOINT_OPTION_KEYS = optionKeys<CheckpointOptions>()({ dir: true, every: true });

/** Everything fit needs, besides weights and optimizer slots, to go on exactly. */
export interface TrainingState {
  /** The epoch in progress (or next to start) and how many of its steps are done. */
  epoch: number;
  step: number;
  /** Set when a callback stopped training (the resumed fit then only runs onTrainEnd). */
  stopped: boolean;
  /** The data this state belongs to; a fit on other data refuses to resume from it. */
  samples: number;
  batchSize: number;
  /** Hashes of the run's data and settings (runFingerprint); absent in version 1 files. */
  data?: RunFingerprint;
  /** The shuffling generator at the start of `epoch`, so that its order is drawn again. */
  shuffleRng: number[];
  /** The global generator (dropout, noise) when the state was saved. */
  globalRng: number[];
  /**
   * The own generators of the model's seeded layers (dropout and gaussianNoise with a seed),
   * in the order of `seededLayers(model)`. Restored by position, as the weights: a model
   * rebuilt in the same process has other automatic names. Checkpoints written before this
   * field existed lack it (see ./files.ts).
   */
  layerRngs: LayerRngState[];
  /** The epoch's running loss means so far: sums weighted by batch size, and the count. */
  tracker: { sums: Record<string, number>; count: number };
  /** Each metric's running state (null for a metric without getState). */
  metrics: (JsonValue | null)[];
  /** The state of each callback that keeps one (getState() !== undefined), by class name. */
  callbacks: { name: string; state: JsonValue }[];
  /** The optimizer's learning rate when it is a number (reduceLROnPlateau changes it). */
  learningRate: number | null;
  /**
   * fitDataset's place in the stream (absent for fit, whose shuffleRng is then []): the
   * dataset's state when the iterator in use was made, and how many batches it has given.
   */
  dataset?: { state: JsonValue; consumed: number };
}

/** One seeded layer's generator in a checkpoint. */
export interface LayerRngState {
  /** The layer's name and class when the checkpoint was written (for messages and checks). */
  layer: string;
  className: string;
  state: number[];
}

/**
 * A layer with a random generator of its own (Dropout and GaussianNoise given a seed), which
 * fit's checkpoints save and restore. Any layer may join by defining both methods;
 * getRandomState() returns undefined when the layer has no generator of its own.
 */
export interface RandomStateLayer extends Layer {
  getRandomState(): number[] | undefined;
  setRandomState(state: readonly number[]): void;
}

/**
 * The model's layers that keep a generator of their own, each once, depth first through
 * nested models (the order the weights follow).
 */
export function seededLayers(model: Model): RandomStateLayer[] {
  const out: RandomStateLayer[] = [];
  const seen = new Set<Layer>();
  const stack: Layer[] = [...model.sublayers].reverse();
  while (stack.length > 0) {
    const layer = stack.pop()!;
    if (seen.has(layer)) continue;
    seen.add(layer);
    const l = layer as Partial<RandomStateLayer>;
    if (
      typeof l.getRandomState === 'function' &&
      typeof l.setRandomState === 'function' &&
      l.getRandomState() !== undefined
    ) {
      out.push(layer as RandomStateLayer);
    }
    stack.push(...[...layer.sublayers].reverse());
  }
  return out;
}

/** The generators of the model's seeded layers, for a checkpoint. */
export function layerRngStates(model: Model): LayerRngState[] {
  return seededLayers(model).map((layer) => ({
    layer: layer.name,
    className: layer.className,
    state: layer.getRandomState()!,
  }));
}

/**
 * What a run is besides its model, each part hashed: x, y, the sample weights (sampleWeight
 * times classWeight), the validation data, and whether batches are shuffled. Epochs are not
 * part of it: a finished run may be continued with more.
 */
export type RunFingerprint = Record<string, string>;

/** The parts of a run that a checkpoint must share with the fit resuming from it. */
export interface RunParts {
  x: readonly Tensor[];
  y: readonly Tensor[];
  sampleWeight: Tensor | undefined;
  validation: readonly (Tensor | undefined)[] | undefined;
  shuffle: boolean;
}

export async function runFingerprint(
  parts: RunParts,
  hash: Checkpointer['hash'],
): Promise<RunFingerprint> {
  const present = (ts: readonly (Tensor | undefined)[]) => ts.filter((t) => t !== undefined);
  return {
    x: await hash(parts.x),
    y: await hash(parts.y),
    sampleWeight: parts.sampleWeight ? await hash([parts.sampleWeight]) : 'none',
    validation: parts.validation ? await hash(present(parts.validation)) : 'none',
    shuffle: String(parts.shuffle),
  };
}

/** Reads and writes checkpoints: ./files.ts is the one fit uses (files on disk, Node). */
export interface Checkpointer {
  /** A hash of the tensors' dtypes, shapes and values (for runFingerprint). */
  hash(tensors: readonly Tensor[]): Promise<string>;
  /** Writes the model's weights, its optimizer's slots and `state`, atomically. */
  save(dir: string, model: Model, state: TrainingState): Promise<void>;
  /**
   * Reads the checkpoint in `dir` and checks it against `model` (undefined when `dir` holds
   * none yet); `restore()` then sets the model's weights and its optimizer's slots and
   * learning rate.
   */
  load(dir: string, model: Model): Promise<LoadedCheckpoint | undefined>;
}

export interface LoadedCheckpoint {
  state: TrainingState;
  /** The checkpoint's file, named in every error about it. */
  where: string;
  restore(): void;
}

/**
 * The checkpoint option of `owner` (fit or fitDataset), checked: { dir, every } with every
 * 'epoch' or an integer >= 1.
 */
export function checkCheckpointOptions(
  options: unknown,
  owner: 'fit' | 'fitDataset',
): Required<CheckpointOptions> {
  const where = `${owner}: checkpoint`;
  const o = checkOptionKeys(
    options,
    where,
    CHECKPOINT_OPTION_KEYS,
    "{ dir: 'checkpoints', every: 100 }",
  );
  const dir = checkString(o.dir, where, 'dir', { example: "dir: 'checkpoints'" });
  const every = o.every ?? 'epoch';
  if (every !== 'epoch' && !(typeof every === 'number' && Number.isInteger(every) && every >= 1)) {
    throw new ConfigError(
      `${where}: every must be 'epoch' or a number of steps (an integer >= 1), received ` +
        `${describe(every)}; e.g. every: 100.`,
    );
  }
  return { dir, every };
}

/** The states of the callbacks that keep one. */
export function callbackStates(callbacks: readonly Callback[]): TrainingState['callbacks'] {
  const out: TrainingState['callbacks'] = [];
  for (const c of callbacks) {
    const state = c.getState();
    if (state !== undefined) out.push({ name: c.constructor.name, state });
  }
  return out;
}

/**
 * Gives each callback that keeps state its saved state. The callbacks must be the same kinds
 * in the same order as when the checkpoint was written; an error names the checkpoint's file.
 */
export function restoreCallbacks(
  callbacks: readonly Callback[],
  saved: TrainingState['callbacks'],
  where: string,
): void {
  const current = callbacks.filter((c) => c.getState() !== undefined);
  const names = current.map((c) => c.constructor.name);
  if (names.length !== saved.length || names.some((n, i) => n !== saved[i]!.name)) {
    throw new SerializationError(
      `${where}: the checkpoint was written with the callbacks that keep state ` +
        `[${saved.map((s) => s.name).join(', ')}], but this fit has [${names.join(', ')}]. ` +
        'Fix: pass the same callbacks as the run that wrote it, or use another checkpoint dir ' +
        'to start afresh.',
    );
  }
  current.forEach((c, i) => {
    try {
      c.setState(saved[i]!.state);
    } catch (e) {
      if (!(e instanceof SinewError)) throw e;
      // Same class (a callback's ConfigError stays one), the file named first.
      const Class = e.constructor as new (message: string, options: { cause: unknown }) => Error;
      throw new Class(`${where}: ${e.message}`, { cause: e });
    }
  });
}

/** A metric that can save its running totals (an optional extension of Metric). */
interface StatefulMetric {
  getState(): JsonValue;
  setState(state: JsonValue): void;
}

function stateful(metric: Metric): StatefulMetric | undefined {
  const m = metric as Partial<StatefulMetric>;
  return typeof m.getState === 'function' && typeof m.setState === 'function'
    ? (m as StatefulMetric)
    : undefined;
}

export function metricStates(metrics: readonly { metric: Metric }[]): (JsonValue | null)[] {
  return metrics.map(({ metric }) => stateful(metric)?.getState() ?? null);
}

/**
 * Restores the running totals of the metrics of an epoch resumed mid-way. A metric that
 * cannot (no getState/setState) warns: its value for that epoch covers only the steps run
 * after the resume.
 */
export function restoreMetrics(
  metrics: readonly { metric: Metric; name: string }[],
  saved: readonly (JsonValue | null)[],
  epoch: number,
): void {
  metrics.forEach(({ metric, name }, i) => {
    const state = saved[i];
    const m = stateful(metric);
    if (m && state !== undefined && state !== null) m.setState(state);
    else {
      console.warn(
        `sinew: fit resumed epoch ${epoch + 1} mid-way, but metric '${name}' cannot restore its ` +
          'running totals (it has no getState/setState); its value for this epoch covers only ' +
          'the steps run after the resume.',
      );
    }
  });
}

/**
 * The checkpoint must belong to this fit: same sample count, batch size and fingerprint (data
 * and settings), and an epoch this fit reaches. A version 1 checkpoint has no fingerprint
 * (./files.ts warned when loading it).
 */
export function checkSameRun(
  loaded: LoadedCheckpoint,
  run: { samples: number; batchSize: number; epochs: number; data: RunFingerprint },
): void {
  const { state, where } = loaded;
  if (state.dataset !== undefined) {
    throw new SerializationError(
      `${where}: the checkpoint was written by fitDataset (a stream), not by fit. Fix: resume ` +
        'it with fitDataset, or pass another checkpoint dir.',
    );
  }
  const fix =
    'Fix: call fit with the same data and options as the run that wrote it, or pass another ' +
    'checkpoint dir (or delete this one) to start afresh.';
  if (state.samples !== run.samples || state.batchSize !== run.batchSize) {
    throw new SerializationError(
      `${where}: the checkpoint belongs to a run on ${state.samples} samples in batches of ` +
        `${state.batchSize}, but this fit has ${run.samples} samples in batches of ` +
        `${run.batchSize}; resuming would not continue that run. ${fix}`,
    );
  }
  const saved = state.data;
  const differ =
    saved === undefined
      ? []
      : Object.keys(run.data).filter((k) => !Object.hasOwn(saved, k) || saved[k] !== run.data[k]);
  if (differ.length > 0) {
    const named = differ.map((k) => (k === 'shuffle' ? `shuffle (${saved![k]} there)` : k));
    throw new SerializationError(
      `${where}: the checkpoint belongs to a run on other data: its ${named.join(', ')} ` +
        `differ${differ.length === 1 ? 's' : ''} from this fit's; resuming would not continue ` +
        `that run. ${fix}`,
    );
  }
  if (state.epoch > run.epochs) {
    throw new SerializationError(
      `${where}: the checkpoint is at epoch ${state.epoch}, past this fit's epochs: ` +
        `${run.epochs}. Fix: pass epochs: ${state.epoch} or more to continue that run, or ` +
        'another checkpoint dir to start afresh.',
    );
  }
}
