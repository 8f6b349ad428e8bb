import type { Tensor } from '../../tensor/tensor.js';
import { Callback, type Logs } from '../callback.js';

/** The model's weights and its optimizer's slots at one moment (views: no copy). */
interface Snapshot {
  weights: Tensor[];
  slots: { name: string; tensor: Tensor }[] | undefined;
  /** The batch about to run on this state, as printed (1-based): 'epoch 2, batch 3'. */
  at: string;
}

/**
 * Stops training at the first batch whose `loss` is NaN or ±Infinity, and restores the last
 * weights whose loss was finite, with the optimizer's state (slots, step count) of that
 * moment: the state before the latest batch with a finite loss. Not the state before the bad
 * batch: the step of a finite but huge loss can leave weights that overflow (2e14, NaN) before
 * the loss does. Prints one line naming the epoch and batch. Keras's TerminateOnNaN only stops.
 */
export class TerminateOnNaN extends Callback {
  #epoch = 0;
  /** The state before the batch in progress. */
  #before: Snapshot | undefined;
  /** The state before the latest batch whose loss was finite. */
  #lastFinite: Snapshot | undefined;

  override async onTrainBegin(): Promise<void> {
    this.#before = undefined;
    this.#lastFinite = undefined;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.#epoch = epoch;
  }

  override async onBatchBegin(batch: number): Promise<void> {
    // Free: tensors are immutable and assign swaps handles, so views are a snapshot.
    this.#before = {
      weights: this.model.getWeights(),
      slots: this.model.compiled?.optimizer.getSlots(),
      at: `epoch ${this.#epoch + 1}, batch ${batch + 1}`,
    };
  }

  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    const loss = logs?.loss;
    if (loss === undefined || Number.isFinite(loss)) {
      this.#lastFinite = this.#before;
      return;
    }
    // No finite loss yet in this fit: the state training started from.
    const good = this.#lastFinite ?? this.#before;
    let restored = 'weights left as they are';
    if (good !== undefined) {
      this.model.setWeights(good.weights);
      const optimizer = this.model.compiled?.optimizer;
      if (optimizer !== undefined && good.slots !== undefined) {
        optimizer.resetSlots();
        optimizer.setSlots(good.slots);
      }
      restored =
        good === this.#lastFinite
          ? `weights and optimizer state restored to those that gave the last finite loss (${good.at})`
          : `weights and optimizer state restored to those training started from`;
    }
    this.model.stopTraining = true;
    const steps = this.params?.steps ? ` of ${this.params.steps}` : '';
    console.log(
      `TerminateOnNaN: loss is ${loss} at epoch ${this.#epoch + 1}, batch ${batch + 1}${steps}; ` +
        `training stopped, ${restored}.`,
    );
  }
}

export function terminateOnNaN(): TerminateOnNaN {
  return new TerminateOnNaN();
}
