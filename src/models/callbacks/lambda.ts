import { ConfigError, describe } from '../../errors.js';
import { checkOptionKeys, optionKeys } from '../../validation.js';
import { Callback, type Logs } from '../callback.js';

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

/** Plain functions for any of the hooks (as TensorFlow.js's CustomCallbackArgs). */
export interface LambdaCallbackOptions {
  onTrainBegin?: Hook<[logs?: Logs]>;
  onTrainEnd?: Hook<[logs?: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs?: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs?: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs?: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs?: Logs]>;
}

const HOOKS = optionKeys<LambdaCallbackOptions>()({
  onTrainBegin: true,
  onTrainEnd: true,
  onEpochBegin: true,
  onEpochEnd: true,
  onBatchBegin: true,
  onBatchEnd: true,
});

/**
 * A callback made of plain (possibly async) functions, as Keras's LambdaCallback:
 *
 *   sn.callbacks.lambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) })
 */
export class LambdaCallback extends Callback {
  readonly #hooks: LambdaCallbackOptions;

  constructor(hooks: LambdaCallbackOptions) {
    super();
    const owner = 'lambdaCallback';
    const o = checkOptionKeys(
      hooks,
      owner,
      HOOKS,
      `${owner}({ onEpochEnd: (epoch, logs) => {...} })`,
    );
    for (const name of HOOKS) {
      if (o[name] !== undefined && typeof o[name] !== 'function') {
        throw new ConfigError(
          `${owner}: ${name} must be a function, received ${describe(o[name])}.`,
        );
      }
    }
    this.#hooks = { ...hooks };
  }

  override async onTrainBegin(logs?: Logs): Promise<void> {
    await this.#hooks.onTrainBegin?.(logs);
  }
  override async onTrainEnd(logs?: Logs): Promise<void> {
    await this.#hooks.onTrainEnd?.(logs);
  }
  override async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    await this.#hooks.onEpochBegin?.(epoch, logs);
  }
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    await this.#hooks.onEpochEnd?.(epoch, logs);
  }
  override async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    await this.#hooks.onBatchBegin?.(batch, logs);
  }
  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    await this.#hooks.onBatchEnd?.(batch, logs);
  }
}

export function lambdaCallback(hooks: LambdaCallbackOptions): LambdaCallback {
  return new LambdaCallback(hooks);
}
