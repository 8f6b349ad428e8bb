import { add, clip, log, mean, mul, sub, sum } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { asFloat } from './float.js';
import { Regularizer, type RegularizerReduction } from './regularizer.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../validation.js';

export interface KLSparsityOptions {
  /** The target mean activation ρ of each unit, in (0, 1) (default 0.05). */
  rho?: number;
  /** The weight β of the penalty (default 1). */
  beta?: number;
}
export const KL_SPARSITY_OPTION_KEYS = optionKeys<KLSparsityOptions>()({ rho: true, beta: true });

const EXAMPLE = 'sn.regularizers.klSparsity({ rho: 0.05, beta: 3 })';
const CLIP = 1e-7;

/**
 * KL sparsity for activations in (0, 1), such as sigmoid codes (docs/semantics.md rule 2):
 * `ρ̂_j` = mean of unit j over the batch (axis 0; for rank > 2, over every axis but the last),
 * clipped to [1e-7, 1 − 1e-7]; penalty = `β · Σ_j [ρ log(ρ/ρ̂_j) + (1−ρ) log((1−ρ)/(1−ρ̂_j))]`.
 * Its value is already a batch statistic, so it declares `reduction: 'batchMean'` and a layer
 * does not divide it by the batch size again (rule 7).
 */
export class KLSparsity extends Regularizer {
  static readonly className = 'KLSparsity';
  static readonly optionKeys = KL_SPARSITY_OPTION_KEYS;
  readonly rho: number;
  readonly beta: number;

  constructor(args: KLSparsityOptions = {}) {
    super();
    checkOptionKeys(args, 'klSparsity', KL_SPARSITY_OPTION_KEYS);
    const unit = { min: 0, minExclusive: true, max: 1, maxExclusive: true, example: EXAMPLE };
    this.rho = checkNumber(
      args.rho ?? 0.05,
      'klSparsity',
      'rho (the target mean activation)',
      unit,
    );
    this.beta = checkNumber(args.beta ?? 1, 'klSparsity', 'beta', { min: 0, example: EXAMPLE });
  }

  override get reduction(): RegularizerReduction {
    return 'batchMean';
  }

  apply(x: Tensor): Tensor {
    const t = asFloat(x);
    // An empty batch has no mean activation: its penalty is 0, as l1's and l2's (a sum of
    // nothing), kept on the tape so its gradient is the empty zeros.
    if (t.size === 0) return mul(sum(t), 0);
    // Units are the last axis; everything before it is the batch (rank 1: one unit).
    const batchAxes = t.rank <= 1 ? (t.rank === 1 ? [0] : []) : [...Array(t.rank - 1).keys()];
    const rhoHat = clip(batchAxes.length > 0 ? mean(t, batchAxes) : t, {
      min: CLIP,
      max: 1 - CLIP,
    });
    const { rho } = this;
    // KL_j = ρ log ρ + (1−ρ) log(1−ρ) − [ρ log ρ̂_j + (1−ρ) log(1−ρ̂_j)]
    const constant = rho * Math.log(rho) + (1 - rho) * Math.log(1 - rho);
    const kl = sub(constant, add(mul(log(rhoHat), rho), mul(log(sub(1, rhoHat)), 1 - rho)));
    return mul(sum(kl), this.beta);
  }

  getConfig(): ConfigDict {
    return { rho: this.rho, beta: this.beta };
  }
}
