import { abs, add, div, maximum, mul, sub } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBetas } from './adam.js';
import {
  OPTIMIZER_OPTION_KEY_SET,
  Optimizer,
  type OptimizerOptions,
  type Slots,
} from './optimizer.js';
import { optionKeys } from '../validation.js';

export interface AdamaxOptions extends OptimizerOptions {
  /** In [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}
const ADAMAX_OPTION_KEYS = optionKeys<AdamaxOptions>()({
  ...OPTIMIZER_OPTION_KEY_SET,
  beta1: true,
  beta2: true,
  epsilon: true,
});

/**
 * Adamax (Adam with the infinity norm), as Keras 3 (step t from 1):
 * `m ← m + (g − m)(1 − β1)`, `u ← max(β2·u, |g|)`, `w ← w − lr·m / ((1 − β1^t)(u + ε))`.
 * TensorFlow.js's adamax is the same rule. Slots: 'm' and 'v' (the infinity norm u; 'v' is
 * tfjs's name for it).
 */
export class Adamax extends Optimizer {
  static readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    super('adamax', options, ADAMAX_OPTION_KEYS, 0.001);
    [this.beta1, this.beta2, this.epsilon] = checkBetas(this.owner, options);
  }

  protected slotNames(): readonly string[] {
    return ['m', 'v'];
  }

  protected updateStep(w: Tensor, g: Tensor, slots: Slots, lr: number, t: number): Tensor {
    const m0 = slots.get('m');
    const m = add(m0, mul(sub(g, m0), 1 - this.beta1));
    const u = maximum(mul(slots.get('v'), this.beta2), abs(g));
    slots.set('m', m);
    slots.set('v', u);
    return sub(w, div(mul(m, lr), mul(add(u, this.epsilon), 1 - this.beta1 ** t)));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
