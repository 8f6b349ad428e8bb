import { add, mul, sub } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  OPTIMIZER_OPTION_KEY_SET,
  Optimizer,
  type OptimizerOptions,
  type Slots,
} from './optimizer.js';
import { checkBoolean, checkNumber, optionKeys } from '../validation.js';

export interface SGDOptions extends OptimizerOptions {
  /** Velocity decay in [0, 1]; 0 is plain gradient descent. Default 0. */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}
const SGD_OPTION_KEYS = optionKeys<SGDOptions>()({
  ...OPTIMIZER_OPTION_KEY_SET,
  momentum: true,
  nesterov: true,
});

/**
 * Gradient descent, with optional (Nesterov) momentum, as Keras 3's SGD:
 * - momentum 0: `w ← w − lr·g`
 * - momentum μ: `velocity ← μ·velocity − lr·g`, then `w ← w + velocity`, or with nesterov
 *   `w ← w + μ·velocity − lr·g`.
 * For a constant learning rate this equals tf.train.sgd / tf.train.momentum (which keeps
 * `a ← μ·a + g` and steps by `−lr·a`). Slot: 'momentum' (only when momentum > 0).
 */
export class SGD extends Optimizer {
  static readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    super('sgd', options, SGD_OPTION_KEYS, 0.01);
    this.momentum = checkNumber(options.momentum, 'sgd', 'momentum', {
      min: 0,
      max: 1,
      fallback: 0,
    });
    this.nesterov = checkBoolean(options.nesterov, 'sgd', 'nesterov', false);
  }

  protected slotNames(): readonly string[] {
    return this.momentum !== 0 ? ['momentum'] : [];
  }

  protected updateStep(w: Tensor, g: Tensor, slots: Slots, lr: number): Tensor {
    if (this.momentum === 0) return sub(w, mul(g, lr));
    const velocity = sub(mul(slots.get('momentum'), this.momentum), mul(g, lr));
    slots.set('momentum', velocity);
    return this.nesterov ? add(w, sub(mul(velocity, this.momentum), mul(g, lr))) : add(w, velocity);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
