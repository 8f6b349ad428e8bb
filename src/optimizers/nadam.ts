import { add, div, mul, sqrt, square, sub } from '../ops/index.js';
import { ConfigError } from '../errors.js';
import type { ConfigDict } from '../serialization.js';
import { scalar } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBetas } from './adam.js';
import {
  OPTIMIZER_OPTION_KEY_SET,
  Optimizer,
  type OptimizerOptions,
  type Slots,
} from './optimizer.js';
import { optionKeys } from '../validation.js';

export interface NadamOptions extends OptimizerOptions {
  /** In [0, 1). Default 0.9. */
  beta1?: number;
  /** In [0, 1). Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}
const NADAM_OPTION_KEYS = optionKeys<NadamOptions>()({
  ...OPTIMIZER_OPTION_KEY_SET,
  beta1: true,
  beta2: true,
  epsilon: true,
});

/**
 * Nadam (Adam with Nesterov momentum, Dozat 2015), as Keras 3 (step t from 1), with the
 * momentum schedule `u_t = β1·(1 − ½·0.96^t)` and the optimizer-wide product
 * `uProduct ← uProduct·u_t` (updated once per step, before the variables):
 * ```
 * m ← m + (g − m)(1 − β1)        v ← v + (g² − v)(1 − β2)
 * m̂ = u_{t+1}·m / (1 − uProduct·u_{t+1}) + (1 − u_t)·g / (1 − uProduct)
 * v̂ = v / (1 − β2^t)
 * w ← w − lr·m̂ / (√v̂ + ε)
 * ```
 * TensorFlow.js has no nadam. Slots: 'm', 'v' per variable and the optimizer-wide 'uProduct'.
 */
export class Nadam extends Optimizer {
  static readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  #uProduct = 1;

  constructor(options: NadamOptions = {}) {
    super('nadam', options, NADAM_OPTION_KEYS, 0.001);
    [this.beta1, this.beta2, this.epsilon] = checkBetas(this.owner, options);
  }

  protected slotNames(): readonly string[] {
    return ['m', 'v'];
  }

  #u(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  protected override prepareStep(t: number): void {
    this.#uProduct *= this.#u(t);
  }

  protected updateStep(w: Tensor, g: Tensor, slots: Slots, lr: number, t: number): Tensor {
    const ut = this.#u(t);
    const ut1 = this.#u(t + 1);
    const uProduct1 = this.#uProduct * ut1;
    const m0 = slots.get('m');
    const v0 = slots.get('v');
    const m = add(m0, mul(sub(g, m0), 1 - this.beta1));
    const v = add(v0, mul(sub(square(g), v0), 1 - this.beta2));
    slots.set('m', m);
    slots.set('v', v);
    const mHat = add(div(mul(m, ut1), 1 - uProduct1), div(mul(g, 1 - ut), 1 - this.#uProduct));
    const vHat = div(v, 1 - this.beta2 ** t);
    return sub(w, div(mul(mHat, lr), add(sqrt(vHat), this.epsilon)));
  }

  protected override globalSlots(): { name: string; tensor: Tensor }[] {
    return [{ name: 'uProduct', tensor: scalar(this.#uProduct, 'float64') }];
  }

  protected override setGlobalSlot(name: string, tensor: Tensor): boolean {
    if (name !== 'uProduct') return false;
    const value = tensor.size === 1 ? Number(tensor.dataSync()[0]) : NaN;
    if (!Number.isFinite(value)) {
      throw new ConfigError(
        `nadam.setSlots: uProduct must be a finite scalar, received ${tensor.toString()}.`,
      );
    }
    this.#uProduct = value;
    return true;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
