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
}
