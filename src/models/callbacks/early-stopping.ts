import {
  checkBoolean,
  checkNumber,
  checkOptionKeys,
  optionKeys,
  checkOptionalNumber,
} from '../../validation.js';
import type { JsonValue } from '../../serialization.js';
import { tensor } from '../../tensor/creation.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Callback, badState, stateFields, type Logs } from '../callback.js';
import {
  WarnOnce,
  checkMonitor,
  missingMonitor,
  worstValue,
  type MonitorMode,
} from './monitored-quantity.js';
import { count } from './shared.js';

export interface EarlyStoppingOptions {
  /** The logged quantity to watch. Default 'val_loss'. */
  monitor?: string;
  /** A change smaller than this (in absolute value) is no improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement after which training stops. Default 0. */
  patience?: number;
  /** 'min', 'max', or 'auto' (max for acc/auc/precision/recall names, else min). Default 'auto'. */
  mode?: MonitorMode;
  /** Stop unless the quantity improves on this value within `patience` epochs. */
  baseline?: number;
  /** At the end of training, set the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to let pass (a warm-up) before watching. Default 0. */
  startFromEpoch?: number;
  /** 1: print when it stops and when it restores weights. Default 0. */
  verbose?: number;
}
const EARLY_STOPPING_OPTION_KEYS = optionKeys<EarlyStoppingOptions>()({
  monitor: true,
  minDelta: true,
  patience: true,
  mode: true,
  baseline: true,
  restoreBestWeights: true,
  startFromEpoch: true,
  verbose: true,
});

/**
 * Stops training when `monitor` has not improved for `patience` epochs, as Keras 3's
 * EarlyStopping. An epoch improves when `current − minDelta < best` ('min'; `current − minDelta
 * > best` for 'max'). A counter `wait` counts epochs since the last improvement (an
 * improvement that does not also beat `baseline` does not reset it); training stops at the
 * first non-improving epoch (after the first) where `wait >= patience`. With
 * restoreBestWeights the weights of the best epoch are restored when training ends, whether
 * it stopped early or ran all its epochs. A monitored quantity missing from the logs prints
 * one warning listing the logged ones, and the epoch is ignored.
 *
 *   model.fit(x, y, { callbacks: [sn.callbacks.earlyStopping({ patience: 3, restoreBestWeights: true })] })
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  /** Always >= 0 (Keras takes the absolute value). */
  readonly minDelta: number;
  readonly patience: number;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch (0-based) at which it stopped training; 0 if it did not stop it. */
  stoppedEpoch = 0;
  /** The epoch (0-based) with the best monitored value. */
  bestEpoch = 0;
  /** The best monitored value so far (±Infinity before the first). */
  best: number;
  #bestWeights: Tensor[] | undefined;
  readonly #warnings = new WarnOnce();

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const owner = 'earlyStopping';
    const o = checkOptionKeys(
      options,
      owner,
      EARLY_STOPPING_OPTION_KEYS,
      `${owner}({ monitor: 'val_loss', patience: 3 })`,
    );
    ({ monitor: this.monitor, mode: this.mode } = checkMonitor(owner, o));
    this.minDelta = Math.abs(checkNumber(o.minDelta, owner, 'minDelta', { fallback: 0 }));
    this.patience = checkNumber(o.patience, owner, 'patience', count(0));
    this.baseline = checkOptionalNumber(o.baseline, owner, 'baseline');
    this.restoreBestWeights = checkBoolean(
      o.restoreBestWeights,
      owner,
      'restoreBestWeights',
      false,
    );
    this.startFromEpoch = checkNumber(o.startFromEpoch, owner, 'startFromEpoch', count(0));
    this.verbose = checkNumber(o.verbose, owner, 'verbose', count(0));
    this.best = worstValue(this.mode);
  }

  #isImprovement(value: number, reference: number): boolean {
    return this.mode === 'min'
      ? value + this.minDelta < reference
      : value - this.minDelta > reference;
  }

  // Keras 3 keeps `best` between fit calls; sinew resets it too, so a reused instance starts afresh.
  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.best = worstValue(this.mode);
    this.#bestWeights = undefined;
    this.#warnings.reset();
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const current = logs?.[this.monitor];
    if (current === undefined) {
      this.#warnings.warn('monitor', missingMonitor('earlyStopping', this.monitor, logs));
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.#bestWeights === undefined) {
      // Until an epoch improves, the first watched epoch counts as the best.
      this.#bestWeights = this.model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.#isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.#bestWeights = this.model.getWeights();
      if (this.baseline === undefined || this.#isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  /** wait, best, bestEpoch, stoppedEpoch and (with restoreBestWeights) the best weights. */
  override getState(): JsonValue {
    const weights = this.#bestWeights?.map((w) => ({
      shape: [...w.shape],
      dtype: w.dtype,
      values: Array.from(w.dataSync(), Number),
    }));
    return {
      wait: this.wait,
      stoppedEpoch: this.stoppedEpoch,
      bestEpoch: this.bestEpoch,
      best: this.best,
      bestWeights: weights ?? null,
    };
  }

  override setState(state: JsonValue): void {
    const s = stateFields(state, 'earlyStopping', ['wait', 'stoppedEpoch', 'bestEpoch', 'best']);
    const saved = s.bestWeights;
    let weights: Tensor[] | undefined;
    if (saved !== null && saved !== undefined) {
      if (!Array.isArray(saved)) throw badState('earlyStopping', 'bestWeights: a list', saved);
      weights = saved.map((w) => {
        const { shape, dtype, values } = (w ?? {}) as { [k: string]: JsonValue };
        if (!Array.isArray(shape) || typeof dtype !== 'string' || !Array.isArray(values)) {
          throw badState('earlyStopping', '{ shape, dtype, values } per weight', w);
        }
        return tensor(values as number[], shape as number[], dtype as DType);
      });
    }
    this.wait = s.wait as number;
    this.stoppedEpoch = s.stoppedEpoch as number;
    this.bestEpoch = s.bestEpoch as number;
    this.best = s.best as number;
    this.#bestWeights = weights;
  }

  override async onTrainEnd(): Promise<void> {
    if (this.stoppedEpoch > 0 && this.verbose > 0) {
      console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    }
    if (this.restoreBestWeights && this.#bestWeights !== undefined) {
      if (this.verbose > 0) {
        console.log(
          `Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`,
        );
      }
      this.model.setWeights(this.#bestWeights);
    }
  }
}

export function earlyStopping(options?: EarlyStoppingOptions): EarlyStopping {
  return new EarlyStopping(options);
}
