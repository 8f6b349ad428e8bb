import { ConfigError, describe } from '../../errors.js';
import { Callback, type Logs, type TrainingParams } from '../callback.js';
import type { Model } from '../model.js';
import { LambdaCallback, type LambdaCallbackOptions } from './lambda.js';

/** What fit's `callbacks` option accepts: callbacks, or plain objects of hook functions. */
export type CallbackLike = Callback | LambdaCallbackOptions;

/**
 * The callbacks of one fit: sets their model and params and calls each hook on every
 * callback in order, awaiting each. All of them get the same logs object (so a callback that
 * adds `learning_rate` shows it to the ones after it). Plain objects of hook functions are
 * wrapped in a LambdaCallback, as TensorFlow.js accepts `callbacks: { onEpochEnd }`.
 */
export class CallbackList {
  readonly callbacks: Callback[] = [];

  constructor(callbacks: CallbackLike | readonly CallbackLike[] = []) {
    const list = Array.isArray(callbacks) ? callbacks : [callbacks];
    for (const c of list) this.append(c);
  }

  append(callback: CallbackLike): void {
    if (callback instanceof Callback) {
      this.callbacks.push(callback);
    } else if (typeof callback === 'object' && callback !== null && !Array.isArray(callback)) {
      this.callbacks.push(new LambdaCallback(callback));
    } else {
      throw new ConfigError(
        `callbacks: expected Callback objects (e.g. sn.callbacks.earlyStopping()) or objects of ` +
          `hook functions ({ onEpochEnd: (epoch, logs) => ... }), received ${describe(callback)}.`,
      );
    }
  }

  setModel(model: Model): void {
    for (const c of this.callbacks) c.setModel(model);
  }
  setParams(params: TrainingParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }

  async onTrainBegin(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin(logs);
  }
  async onTrainEnd(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd(logs);
  }
  async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd(epoch, logs);
  }
  async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin(batch, logs);
  }
  async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd(batch, logs);
  }
}
