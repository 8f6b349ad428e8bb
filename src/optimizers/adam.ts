import { add, div, maximum, mul, sqrt, square, sub } from '../ops/index.js';
import { adamUpdate, fusable } from '../ops/optimizer.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  OPTIMIZER_OPTION_KEY_SET,
  Optimizer,
  type OptimizerOptions,
  type Slots,
} from './optimizer.js';
import { checkBoolean, checkNumber, optionKeys } from '../validation.js';

export interface AdamOptions extends OptimizerOptions {
  /** Decay of the first-moment estimate, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to √v ("epsilon hat", Keras's placement). Default 1e-7. */
  epsilon?: number;
  /** Use the running maximum of v (AMSGrad). Default false. */
  amsgrad?: boolean;
}
const ADAM_OPTION_KEYS = optionKeys<AdamOptions>()({
  ...OPTIMIZER_OPTION_KEY_SET,
  beta1: true,
  beta2: true,
  epsilon: true,
  amsgrad: true,
});

/**
 * Adam, exactly as Keras 3 (step t counts from 1):
 * ```
 * m ← m + (g − m)(1 − β1)        v ← v + (g² − v)(1 − β2)
 * amsgrad: vhat ← max(vhat, v), and vhat replaces v below
 * α = lr·√(1 − β2^t) / (1 − β1^t)
 * w ← w − α·m / (√v + ε)
 * ```
 * Equivalently `lr·m̂ / (√v̂ + ε/√(1 − β2^t))`: ε is added to the uncorrected √v. TensorFlow.js's
 * adam adds ε to √v̂ (the paper's form); the two agree when ε = 0. Slots: 'm', 'v', and
 * 'vhat' with amsgrad.
 */
export class Adam extends Optimizer {
  static readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  /** `owner` names the factory in error messages (AdamW passes 'adamw'). */
  constructor(options: AdamOptions = {}, owner = 'adam') {
    super(owner, options, ADAM_OPTION_KEYS, 0.001);
    [this.beta1, this.beta2, this.epsilon] = checkBetas(this.owner, options);
    this.amsgrad = checkBoolean(options.amsgrad, this.owner, 'amsgrad', false);
  }

  protected slotNames(): readonly string[] {
    return this.amsgrad ? ['m', 'v', 'vhat'] : ['m', 'v'];
  }

  protected updateStep(w: Tensor, g: Tensor, slots: Slots, lr: number, t: number): Tensor {
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    const m0 = slots.get('m');
    const v0 = slots.get('v');
    const vhat0 = this.amsgrad ? slots.get('vhat') : undefined;
    if (fusable(w, g, m0, v0, vhat0)) {
      // One kernel: the same float32 values as the ops below, without their temporaries.
      const hyper = { alpha, c1: 1 - this.beta1, c2: 1 - this.beta2, epsilon: this.epsilon };
      const r = adamUpdate(w, g, m0, v0, vhat0, hyper);
      slots.set('m', r.m);
      slots.set('v', r.v);
      if (r.vhat) slots.set('vhat', r.vhat);
      return r.w;
    }
    const m = add(m0, mul(sub(g, m0), 1 - this.beta1));
    let v = add(v0, mul(sub(square(g), v0), 1 - this.beta2));
    slots.set('m', m);
    slots.set('v', v);
    if (this.amsgrad) {
      v = maximum(slots.get('vhat'), v);
      slots.set('vhat', v);
    }
    return sub(w, div(mul(m, alpha), add(sqrt(v), this.epsilon)));
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}

export interface AdamWOptions extends AdamOptions {
  /** Decoupled weight decay (w ← w − lr·weightDecay·w before the Adam step). Default 0.004. */
  weightDecay?: number;
}

/**
 * Adam with decoupled weight decay (Keras 3's AdamW: Adam whose weightDecay defaults to
 * 0.004). Each step first shrinks the weights, `w ← w − lr·wd·w`, then takes the Adam step
 * with the raw gradient, unlike an l2 regularizer whose gradient 2c·w Adam divides by √v.
 */
export class AdamW extends Adam {
  static override readonly className = 'AdamW';

  constructor(options: AdamWOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.004 }, 'adamw');
  }
}

/** beta1, beta2 in [0, 1) and epsilon >= 0, shared by the Adam family. */
export function checkBetas(
  owner: string,
  options: { beta1?: number; beta2?: number; epsilon?: number },
): [number, number, number] {
  const beta = { min: 0, max: 1, maxExclusive: true };
  return [
    checkNumber(options.beta1, owner, 'beta1', { ...beta, fallback: 0.9 }),
    checkNumber(options.beta2, owner, 'beta2', { ...beta, fallback: 0.999 }),
    checkNumber(options.epsilon, owner, 'epsilon', { min: 0, fallback: 1e-7 }),
  ];
}
