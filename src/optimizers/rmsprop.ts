import { add, div, mul, sqrt, square, sub } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  OPTIMIZER_OPTION_KEY_SET,
  Optimizer,
  type OptimizerOptions,
  type Slots,
} from './optimizer.js';
import { checkBoolean, checkNumber, optionKeys } from '../validation.js';

export interface RMSpropOptions extends OptimizerOptions {
  /** Decay of the mean square, in [0, 1). Default 0.9 (tfjs calls it `decay`). */
  rho?: number;
  /** Momentum in [0, 1]. Default 0. */
  momentum?: number;
  /** Added under the square root. Default 1e-7. */
  epsilon?: number;
  /** Divide by the estimated variance (ms − mg²) instead of the mean square. Default false. */
  centered?: boolean;
}
const RMSPROP_OPTION_KEYS = optionKeys<RMSpropOptions>()({
  ...OPTIMIZER_OPTION_KEY_SET,
  rho: true,
  momentum: true,
  epsilon: true,
  centered: true,
});

/**
 * RMSprop, as Keras 3:
 * ```
 * rms ← ρ·rms + (1 − ρ)·g²
 * centered: mg ← ρ·mg + (1 − ρ)·g, denominator = rms − mg² + ε; else rms + ε
 * increment = lr·g / √denominator
 * momentum μ > 0: momentum ← μ·momentum + increment, w ← w − momentum; else w ← w − increment
 * ```
 * TensorFlow.js's centered rmsprop computes √(rms − (mg² + ε)) (ε subtracted); the two agree
 * when ε = 0, and the uncentered forms are identical. Slots: 'rms', 'momentum' (momentum > 0),
 * 'mg' (centered), tfjs's names.
 */
export class RMSprop extends Optimizer {
  static readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    super('rmsprop', options, RMSPROP_OPTION_KEYS, 0.001);
    const o = this.owner;
    this.rho = checkNumber(options.rho, o, 'rho', {
      min: 0,
      max: 1,
      maxExclusive: true,
      fallback: 0.9,
    });
    this.momentum = checkNumber(options.momentum, o, 'momentum', { min: 0, max: 1, fallback: 0 });
    this.epsilon = checkNumber(options.epsilon, o, 'epsilon', { min: 0, fallback: 1e-7 });
    this.centered = checkBoolean(options.centered, o, 'centered', false);
  }

  protected slotNames(): readonly string[] {
    return ['rms', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['mg'] : [])];
  }

  protected updateStep(w: Tensor, g: Tensor, slots: Slots, lr: number): Tensor {
    const rho = this.rho;
    const rms = add(mul(slots.get('rms'), rho), mul(square(g), 1 - rho));
    slots.set('rms', rms);
    let denominator: Tensor;
    if (this.centered) {
      const mg = add(mul(slots.get('mg'), rho), mul(g, 1 - rho));
      slots.set('mg', mg);
      denominator = add(sub(rms, square(mg)), this.epsilon);
    } else {
      denominator = add(rms, this.epsilon);
    }
    const increment = div(mul(g, lr), sqrt(denominator));
    if (this.momentum === 0) return sub(w, increment);
    const momentum = add(mul(slots.get('momentum'), this.momentum), increment);
    slots.set('momentum', momentum);
    return sub(w, momentum);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}
