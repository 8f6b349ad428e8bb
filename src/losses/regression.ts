import { abs, maximum, mul, neg, sqrt, square, sub, sum, where } from '../ops/index.js';
import { div, lessEqual } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, alignTargets, meanLastAxis } from './base.js';
import type { LossOptions } from './base.js';
import { checkName, checkNumber } from '../validation.js';

/** Regression losses: mean squared error, mean absolute error, Huber, cosine similarity. */

/** mean((yTrue − yPred)²) over the last axis. */
export class MeanSquaredError extends Loss {
  static readonly className = 'MeanSquaredError';
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    this.name = checkName(options.name, 'meanSquaredError', 'mean_squared_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    return meanLastAxis(square(sub(t, p)));
  }
}

/** mean(|yTrue − yPred|) over the last axis. */
export class MeanAbsoluteError extends Loss {
  static readonly className = 'MeanAbsoluteError';
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    this.name = checkName(options.name, 'meanAbsoluteError', 'mean_absolute_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    return meanLastAxis(abs(sub(t, p)));
  }
}

export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/**
 * With e = yPred − yTrue: ½e² where |e| <= delta, delta·|e| − ½delta² elsewhere; mean over
 * the last axis (as Keras's huber).
 */
export class Huber extends Loss {
  static readonly className = 'Huber';
  readonly name: string;
  readonly delta: number;
  constructor(options: HuberOptions = {}) {
    super();
    const positive = { min: 0, minExclusive: true, fallback: 1, example: 'huber({ delta: 1 })' };
    this.delta = checkNumber(options.delta, 'huber', 'delta', positive);
    this.name = checkName(options.name, 'huber', 'huber_loss');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    const e = sub(p, t);
    const a = abs(e);
    const quadratic = mul(0.5, square(e));
    const linear = sub(mul(this.delta, a), 0.5 * this.delta * this.delta);
    return meanLastAxis(where(lessEqual(a, this.delta), quadratic, linear));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), delta: this.delta };
  }
}

export interface CosineSimilarityOptions extends LossOptions {
  /** The axis the vectors lie along (default -1). */
  axis?: number;
}

/**
 * −cos(yTrue, yPred) along `axis`: −Σ (yTrue/‖yTrue‖)·(yPred/‖yPred‖), with each norm kept
 * >= 1e-7 (Keras's normalize), so a zero vector gives 0. −1 means the same direction.
 */
export class CosineSimilarity extends Loss {
  static readonly className = 'CosineSimilarity';
  readonly name: string;
  readonly axis: number;
  constructor(options: CosineSimilarityOptions = {}) {
    super();
    this.axis = checkNumber(options.axis, 'cosineSimilarity', 'axis', {
      integer: true,
      fallback: -1,
    });
    this.name = checkName(options.name, 'cosineSimilarity', 'cosine_similarity');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    return neg(sum(mul(this.#normalize(t), this.#normalize(p)), this.axis));
  }
  /** x / max(‖x‖, 1e-7), written as sqrt(max(Σx², 1e-14)) so the gradient stays finite at 0. */
  #normalize(x: Tensor): Tensor {
    const squares = sum(square(x), this.axis, { keepDims: true });
    return div(x, sqrt(maximum(squares, 1e-14)));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }
}
