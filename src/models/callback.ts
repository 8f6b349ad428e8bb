import { ConfigError, describe } from '../errors.js';
import type { JsonValue } from '../serialization.js';
import type { Model } from './model.js';

/** Per-batch or per-epoch numbers: loss, regularization_loss, metrics, val_* ... */
export type Logs = Record<string, number>;

/** What fit tells its callbacks before training starts. */
export interface TrainingParams {
  epochs: number;
  initialEpoch: number;
  /** Batches per epoch. */
  steps: number;
  samples: number;
  batchSize: number;
  verbose: 0 | 1 | 2;
  doValidation: boolean;
  /** Names of everything logged per epoch, in order (loss, regularization_loss, metrics, val_*). */
  metrics: string[];
}

/**
 * The base of fit's callbacks, with Keras's hooks. Each hook may be async; fit awaits it.
 * `this.model` is the model being trained (set `this.model.stopTraining = true` to stop after
 * the current batch).
 */
export class Callback {
  model!: Model;
  params!: TrainingParams;

  setModel(model: Model): void {
    this.model = model;
  }
  setParams(params: TrainingParams): void {
    this.params = params;
  }
  async onTrainBegin(_logs?: Logs): Promise<void> {}
  async onTrainEnd(_logs?: Logs): Promise<void> {}
  async onEpochBegin(_epoch: number, _logs?: Logs): Promise<void> {}
  async onEpochEnd(_epoch: number, _logs?: Logs): Promise<void> {}
  async onBatchBegin(_batch: number, _logs?: Logs): Promise<void> {}
  async onBatchEnd(_batch: number, _logs?: Logs): Promise<void> {}

  /**
   * The callback's state for fit's checkpoints (`fit(x, y, { checkpoint: { dir } })`), as
   * plain JSON (NaN and ±Infinity are allowed); undefined (the default) means it keeps none.
   * A resumed fit calls setState with it after onTrainBegin, so that the run goes on as if it
   * had never stopped.
   */
  getState(): JsonValue | undefined {
    return undefined;
  }
  setState(_state: JsonValue): void {}
}

/** The error for a checkpointed state that does not fit the callback restoring it. */
export function badState(owner: string, expected: string, received: unknown): ConfigError {
  return new ConfigError(
    `${owner}.setState: expected ${expected} as getState() wrote it, received ` +
      `${describe(received)}; the checkpoint was written by a different callback. Fix: pass the ` +
      'same callbacks, in the same order, as the run that wrote the checkpoint.',
  );
}

/**
 * The fields of a state written by getState, checked: a record holding a number at each of
 * `numbers` (NaN and ±Infinity allowed), else a ConfigError naming the callback.
 */
export function stateFields(
  state: JsonValue,
  owner: string,
  numbers: readonly string[],
): Record<string, JsonValue> {
  const ok =
    typeof state === 'object' &&
    state !== null &&
    !Array.isArray(state) &&
    numbers.every((k) => typeof (state as Record<string, JsonValue>)[k] === 'number');
  if (!ok) throw badState(owner, `{ ${numbers.join(', ')}, ... }`, state);
  return state as Record<string, JsonValue>;
}
