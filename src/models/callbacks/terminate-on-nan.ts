import type { Tensor } from '../../tensor/tensor.js';
import { Callback, type Logs } from '../callback.js';

/**
 * Stops training at the first batch whose `loss` is NaN or ±Infinity, and restores the
 * weights from before that batch (so its non-finite gradients never reach the model; the
 * optimizer's own state, such as Adam's moments, is not rolled back). Prints one line naming
 * the epoch and batch. Keras's TerminateOnNaN only stops.
 */
export class TerminateOnNaN extends Callback {
  #epoch = 0;
  #before: Tensor[] | undefined;

  override async onEpochBegin(epoch: number): Promise<void> {
    this.#epoch = epoch;
  }

  override async onBatchBegin(): Promise<void> {
    // Free: tensors are immutable and assign swaps handles, so this is a snapshot.
    this.#before = this.model.getWeights();
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    const loss = logs?.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.#before !== undefined) this.model.setWeights(this.#before);
    this.model.stopTraining = true;
    const steps = this.params?.steps ? ` of ${this.params.steps}` : '';
    console.log(
      `TerminateOnNaN: loss is ${loss} at epoch ${this.#epoch + 1}, batch ${batch + 1}${steps}; ` +
        `training stopped, weights restored to those before that batch.`,
    );
  }
}

export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}
