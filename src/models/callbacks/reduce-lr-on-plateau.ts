import { checkNumber, checkOptionKeys } from '../../validation.js';
import type { JsonValue } from '../../serialization.js';
import { Callback, stateFields, type Logs } from '../callback.js';
import {
  WarnOnce,
  checkMonitor,
  missingMonitor,
  worstValue,
  type MonitorMode,
} from './monitored-quantity.js';
import { count, optimizerOf } from './shared.js';

export interface ReduceLROnPlateauOptions {
  /** The logged quantity to watch. Default 'val_loss'. */
  monitor?: string;
  /** new learning rate = old · factor; in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement after which the learning rate is reduced. Default 10. */
  patience?: number;
  /** 'min', 'max', or 'auto' (max for acc/auc/precision/recall names, else min). Default 'auto'. */
  mode?: MonitorMode;
  /** An improvement must beat the best by more than this. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The learning rate is never reduced below this. Default 0. */
  minLr?: number;
  /** 1: print each reduction. Default 0. */
  verbose?: number;
}

/**
 * Multiplies the optimizer's learning rate by `factor` when `monitor` has not improved (by
 * more than minDelta) for `patience` epochs, never below minLr, then waits `cooldown`
 * epochs, as Keras 3's ReduceLROnPlateau. It writes `model.compiled.optimizer.learningRate`;
 * an optimizer whose learning rate is a schedule is left alone (with one warning). As Keras,
 * it adds `learning_rate` to each epoch's logs: the rate used during that epoch (before any
 * reduction at its end).
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: number;
  wait = 0;
  cooldownCounter = 0;
  best: number;
  readonly #warnings = new WarnOnce();

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    const owner = 'reduceLROnPlateau';
    const o = checkOptionKeys(
      options,
      owner,
      ['monitor', 'factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr', 'verbose'],
      `${owner}({ monitor: 'val_loss', factor: 0.5, patience: 5 })`,
    );
    ({ monitor: this.monitor, mode: this.mode } = checkMonitor(owner, o));
    const unit = { min: 0, minExclusive: true, max: 1, maxExclusive: true, fallback: 0.1 };
    this.factor = checkNumber(o.factor, owner, 'factor', unit);
    this.patience = checkNumber(o.patience, owner, 'patience', count(10));
    this.minDelta = checkNumber(o.minDelta, owner, 'minDelta', { min: 0, fallback: 1e-4 });
    this.cooldown = checkNumber(o.cooldown, owner, 'cooldown', count(0));
    this.minLr = checkNumber(o.minLr, owner, 'minLr', { min: 0, fallback: 0 });
    this.verbose = checkNumber(o.verbose, owner, 'verbose', count(0));
    this.best = worstValue(this.mode);
  }

  #isImprovement(value: number): boolean {
    return this.mode === 'min'
      ? value < this.best - this.minDelta
      : value > this.best + this.minDelta;
  }

  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = worstValue(this.mode);
    this.#warnings.reset();
  }

  /** wait, cooldownCounter and best (the learning rate itself is the optimizer's state). */
  override getState(): JsonValue {
    return { wait: this.wait, cooldownCounter: this.cooldownCounter, best: this.best };
  }

  override setState(state: JsonValue): void {
    const s = stateFields(state, 'reduceLROnPlateau', ['wait', 'cooldownCounter', 'best']);
    this.wait = s.wait as number;
    this.cooldownCounter = s.cooldownCounter as number;
    this.best = s.best as number;
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const owner = 'reduceLROnPlateau';
    const optimizer = optimizerOf(owner, this.model);
    if (logs) logs.learning_rate = optimizer.currentLearningRate();
    const current = logs?.[this.monitor];
    if (current === undefined) {
      this.#warnings.warn('monitor', missingMonitor(owner, this.monitor, logs));
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.#isImprovement(current)) {
      this.best = current;
      this.wait = 0;
      return;
    }
    if (this.cooldownCounter > 0) return;
    this.wait += 1;
    if (this.wait < this.patience) return;
    const lr = optimizer.learningRate;
    if (typeof lr !== 'number') {
      this.#warnings.warn(
        'schedule',
        `${owner}: the optimizer's learningRate is a schedule, which this callback cannot ` +
          `reduce; it leaves it alone. Pass a number as learningRate to use ${owner}.`,
      );
      return;
    }
    if (lr > this.minLr) {
      const newLr = Math.max(lr * this.factor, this.minLr);
      optimizer.learningRate = newLr;
      if (this.verbose > 0) {
        console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${newLr}.`);
      }
      this.cooldownCounter = this.cooldown;
      this.wait = 0;
    }
  }
}

export function reduceLROnPlateau(options?: ReduceLROnPlateauOptions): ReduceLROnPlateau {
  return new ReduceLROnPlateau(options);
}
