import { abs, add, mul, square, sum } from '../ops/index.js';
import { scalar } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { Regularizer } from './regularizer.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../validation.js';
import { asFloat } from './float.js';

export interface L1Options {
  /** The L1 coefficient a in a·Σ|x| (default 0.01). */
  l1?: number;
}
export const L1_OPTION_KEYS = optionKeys<L1Options>()({ l1: true });

export interface L2Options {
  /** The L2 coefficient a in a·Σx² (default 0.01; no ½). */
  l2?: number;
}
export const L2_OPTION_KEYS = optionKeys<L2Options>()({ l2: true });

export interface L1L2Options {
  /** The L1 coefficient (default 0 in an object: a key left out means no such term). */
  l1?: number;
  /** The L2 coefficient (default 0 in an object). */
  l2?: number;
}
export const L1L2_OPTION_KEYS = optionKeys<L1L2Options>()({ l1: true, l2: true });

/** `l1·Σ|x|`, as Keras's L1 (docs/semantics.md rule 2). */
export class L1 extends Regularizer {
  static readonly className = 'L1';
  static readonly optionKeys = L1_OPTION_KEYS;
  readonly l1: number;

  constructor(args: L1Options = {}) {
    super();
    checkOptionKeys(args, 'l1', L1_OPTION_KEYS);
    const example = 'sn.regularizers.l1(0.01)';
    this.l1 = checkNumber(args.l1 ?? 0.01, 'l1', 'coefficient l1', { min: 0, example });
  }

  apply(x: Tensor): Tensor {
    return mul(sum(abs(asFloat(x))), this.l1);
  }

  getConfig(): ConfigDict {
    return { l1: this.l1 };
  }
}

/** `l2·Σx²`, as Keras's L2: no ½, so the gradient is `2·l2·x` (docs/semantics.md rule 2). */
export class L2 extends Regularizer {
  static readonly className = 'L2';
  static readonly optionKeys = L2_OPTION_KEYS;
  readonly l2: number;

  constructor(args: L2Options = {}) {
    super();
    checkOptionKeys(args, 'l2', L2_OPTION_KEYS);
    const example = 'sn.regularizers.l2(0.01)';
    this.l2 = checkNumber(args.l2 ?? 0.01, 'l2', 'coefficient l2', { min: 0, example });
  }

  apply(x: Tensor): Tensor {
    return mul(sum(square(asFloat(x))), this.l2);
  }

  getConfig(): ConfigDict {
    return { l2: this.l2 };
  }
}

/**
 * `l1·Σ|x| + l2·Σx²`, as Keras's L1L2: a coefficient left out is 0 (the factory `l1l2()`
 * with no argument at all gives 0.01 and 0.01). A zero coefficient drops its term, as Keras.
 */
export class L1L2 extends Regularizer {
  static readonly className = 'L1L2';
  static readonly optionKeys = L1L2_OPTION_KEYS;
  readonly l1: number;
  readonly l2: number;

  constructor(args: L1L2Options = {}) {
    super();
    checkOptionKeys(args, 'l1l2', L1L2_OPTION_KEYS);
    const example = 'sn.regularizers.l1l2({ l1: 0.01, l2: 0.01 })';
    this.l1 = checkNumber(args.l1 ?? 0, 'l1l2', 'coefficient l1', { min: 0, example });
    this.l2 = checkNumber(args.l2 ?? 0, 'l1l2', 'coefficient l2', { min: 0, example });
  }

  apply(x: Tensor): Tensor {
    const t = asFloat(x);
    let penalty: Tensor | undefined;
    if (this.l1 !== 0) penalty = mul(sum(abs(t)), this.l1);
    if (this.l2 !== 0) {
      const term = mul(sum(square(t)), this.l2);
      penalty = penalty ? add(penalty, term) : term;
    }
    return penalty ?? scalar(0, t.dtype);
  }

  getConfig(): ConfigDict {
    return { l1: this.l1, l2: this.l2 };
  }
}
