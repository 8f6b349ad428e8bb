import { add, div, mul, sqrt, square, sub } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import { fill } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import {
  OPTIMIZER_OPTION_KEY_SET,
  Optimizer,
  type OptimizerOptions,
  type Slots,
} from './optimizer.js';
import { checkNumber, optionKeys } from '../validation.js';

export interface AdagradOptions extends OptimizerOptions {
  /** Starting value of the accumulator (>= 0). Default 0.1. */
  initialAccumulatorValue?: number;
  /** Added under the square root. Default 1e-7. */
  epsilon?: number;
}
const ADAGRAD_OPTION_KEYS = optionKeys<AdagradOptions>()({
  ...OPTIMIZER_OPTION_KEY_SET,
  initialAccumulatorValue: true,
  epsilon: true,
});

/**
 * Adagrad, as Keras 3: `accumulator ← accumulator + g²`, `w ← w − lr·g / √(accumulator + ε)`,
 * the accumulator starting at initialAccumulatorValue. TensorFlow.js's adagrad is the same
 * rule (its ε is the backend's, 1e-7 on cpu). Slot: 'accumulator'.
 */
export class Adagrad extends Optimizer {
  static readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    super('adagrad', options, ADAGRAD_OPTION_KEYS, 0.001);
    this.initialAccumulatorValue = checkNumber(
      options.initialAccumulatorValue,
      this.owner,
      'initialAccumulatorValue',
      { min: 0, fallback: 0.1 },
    );
    this.epsilon = checkNumber(options.epsilon, this.owner, 'epsilon', { min: 0, fallback: 1e-7 });
  }

  protected slotNames(): readonly string[] {
    return ['accumulator'];
  }

  protected override initialSlot(_slot: string, v: Variable): Tensor {
    return fill(v.shape, this.initialAccumulatorValue, v.dtype);
  }

  protected updateStep(w: Tensor, g: Tensor, slots: Slots, lr: number): Tensor {
    const accumulator = add(slots.get('accumulator'), square(g));
    slots.set('accumulator', accumulator);
    return sub(w, div(mul(g, lr), sqrt(add(accumulator, this.epsilon))));
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      initialAccumulatorValue: this.initialAccumulatorValue,
      epsilon: this.epsilon,
    };
  }
}
