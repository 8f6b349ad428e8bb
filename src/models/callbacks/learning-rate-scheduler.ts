import { ConfigError, describe } from '../../errors.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../../validation.js';
import { Callback, type Logs } from '../callback.js';
import { count, optimizerOf } from './shared.js';

export interface LearningRateSchedulerOptions {
  /** 1: print the learning rate set at each epoch. Default 0. */
  verbose?: number;
}
const LEARNING_RATE_SCHEDULER_OPTION_KEYS = optionKeys<LearningRateSchedulerOptions>()({
  verbose: true,
});

/**
 * Sets the optimizer's learning rate at the start of each epoch to `schedule(epoch, lr)`
 * (epoch 0-based, lr the current learning rate), as Keras's LearningRateScheduler. As Keras,
 * it adds `learning_rate` to each epoch's logs. The optimizer's learningRate must be a number
 * (not a schedule, which this would overwrite).
 *
 *   sn.callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 */
export class LearningRateScheduler extends Callback {
  readonly schedule: (epoch: number, lr: number) => number;
  readonly verbose: number;

  constructor(
    schedule: (epoch: number, lr: number) => number,
    options: LearningRateSchedulerOptions = {},
  ) {
    super();
    const owner = 'learningRateScheduler';
    if (typeof schedule !== 'function') {
      throw new ConfigError(
        `${owner}: schedule must be a function (epoch, lr) => number, received ${describe(schedule)}; ` +
          `e.g. ${owner}((epoch, lr) => lr * 0.9).`,
      );
    }
    const o = checkOptionKeys(
      options,
      owner,
      LEARNING_RATE_SCHEDULER_OPTION_KEYS,
      `${owner}(schedule, { verbose: 1 })`,
    );
    this.schedule = schedule;
    this.verbose = checkNumber(o.verbose, owner, 'verbose', count(0));
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const owner = 'learningRateScheduler';
    const optimizer = optimizerOf(owner, this.model);
    const lr = optimizer.learningRate;
    if (typeof lr !== 'number') {
      throw new ConfigError(
        `${owner}: the optimizer's learningRate is a schedule, which this callback would ` +
          `overwrite; use one or the other (pass a number as the optimizer's learningRate).`,
      );
    }
    const next = this.schedule(epoch, lr);
    // The optimizer accepts a learning rate > 0 (see Optimizer.learningRate).
    if (typeof next !== 'number' || !Number.isFinite(next) || next <= 0) {
      throw new ConfigError(
        `${owner}: the schedule returned ${describe(next)} at epoch ${epoch} (lr ${lr}); ` +
          `it must return a finite number > 0.`,
      );
    }
    optimizer.learningRate = next;
    if (this.verbose > 0) {
      console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${next}.`);
    }
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (logs)
      logs.learning_rate = optimizerOf('learningRateScheduler', this.model).currentLearningRate();
  }
}

export function learningRateScheduler(
  schedule: (epoch: number, lr: number) => number,
  options?: LearningRateSchedulerOptions,
): LearningRateScheduler {
  return new LearningRateScheduler(schedule, options);
}
