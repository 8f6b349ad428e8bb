import { abs, maximum, mul, neg, sqrt, square, sub, sum, where } from '../ops/index.js';
import { add, div, lessEqual, log1p, softplus } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { EPSILON, Loss, alignTargets, meanLastAxis } from './loss.js';
import { LOSS_OPTION_KEYS, LOSS_OPTION_KEY_SET, type LossOptions } from './loss.js';
import { checkName, checkNumber, checkOptionKeys, optionKeys } from '../validation.js';

/**
 * Regression losses: mean squared error, mean absolute error, mean absolute percentage error,
 * mean squared logarithmic error, Huber, log-cosh, cosine similarity. Formulas and epsilons are
 * Keras 3's (keras/src/losses/losses.py); TensorFlow.js computes the same.
 */

/** mean((yTrue − yPred)²) over the last axis. */
export class MeanSquaredError extends Loss {
  static readonly className = 'MeanSquaredError';
  static readonly optionKeys: readonly string[] = LOSS_OPTION_KEYS;
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'meanSquaredError', LOSS_OPTION_KEYS);
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
  static readonly optionKeys: readonly string[] = LOSS_OPTION_KEYS;
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'meanAbsoluteError', LOSS_OPTION_KEYS);
    this.name = checkName(options.name, 'meanAbsoluteError', 'mean_absolute_error');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    return meanLastAxis(abs(sub(t, p)));
  }
}

/**
 * 100 · mean(|yTrue − yPred| / max(|yTrue|, 1e-7)) over the last axis (Keras's mape): a target
 * of 0 divides by 1e-7 rather than by 0, so the loss stays finite but becomes huge.
 */
export class MeanAbsolutePercentageError extends Loss {
  static readonly className = 'MeanAbsolutePercentageError';
  static readonly optionKeys: readonly string[] = LOSS_OPTION_KEYS;
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'meanAbsolutePercentageError', LOSS_OPTION_KEYS);
    this.name = checkName(
      options.name,
      'meanAbsolutePercentageError',
      'mean_absolute_percentage_error',
    );
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    const relative = abs(div(sub(t, p), maximum(abs(t), EPSILON)));
    return mul(100, meanLastAxis(relative));
  }
}

/**
 * mean((log(1 + max(yPred, 1e-7)) − log(1 + max(yTrue, 1e-7)))²) over the last axis (Keras's
 * msle). Values below 1e-7 (zero and negatives) count as 1e-7, so a negative prediction gets
 * no gradient.
 */
export class MeanSquaredLogarithmicError extends Loss {
  static readonly className = 'MeanSquaredLogarithmicError';
  static readonly optionKeys: readonly string[] = LOSS_OPTION_KEYS;
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'meanSquaredLogarithmicError', LOSS_OPTION_KEYS);
    this.name = checkName(
      options.name,
      'meanSquaredLogarithmicError',
      'mean_squared_logarithmic_error',
    );
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    // log1p(x) is Keras's log(x + 1) without the rounding of 1 + x for small x.
    const logP = log1p(maximum(p, EPSILON));
    const logT = log1p(maximum(t, EPSILON));
    return meanLastAxis(square(sub(logP, logT)));
  }
}

export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}
const HUBER_OPTION_KEYS = optionKeys<HuberOptions>()({ ...LOSS_OPTION_KEY_SET, delta: true });

/**
 * With e = yPred − yTrue: ½e² where |e| <= delta, delta·|e| − ½delta² elsewhere; mean over
 * the last axis (as Keras's huber).
 */
export class Huber extends Loss {
  static readonly className = 'Huber';
  static readonly optionKeys: readonly string[] = HUBER_OPTION_KEYS;
  readonly name: string;
  readonly delta: number;
  constructor(options: HuberOptions = {}) {
    super();
    checkOptionKeys(options, 'huber', HUBER_OPTION_KEYS);
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

/**
 * mean(log(cosh(yPred − yTrue))) over the last axis: about e²/2 for small errors e and
 * |e| − log 2 for large ones (Huber-like without a delta). Computed as Keras does, as
 * e + softplus(−2e) − log 2, which stays finite for any error.
 */
export class LogCosh extends Loss {
  static readonly className = 'LogCosh';
  static readonly optionKeys: readonly string[] = LOSS_OPTION_KEYS;
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'logcosh', LOSS_OPTION_KEYS);
    this.name = checkName(options.name, 'logcosh', 'log_cosh');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    const e = sub(p, t);
    return meanLastAxis(sub(add(e, softplus(mul(e, -2))), Math.LN2));
  }
}

export interface CosineSimilarityOptions extends LossOptions {
  /** The axis the vectors lie along (default -1). */
  axis?: number;
}
const COSINE_SIMILARITY_OPTION_KEYS = optionKeys<CosineSimilarityOptions>()({
  ...LOSS_OPTION_KEY_SET,
  axis: true,
});

/**
 * −cos(yTrue, yPred) along `axis`: −Σ (yTrue/‖yTrue‖)·(yPred/‖yPred‖), with each norm kept
 * >= 1e-7 (Keras's normalize), so a zero vector gives 0. −1 means the same direction.
 */
export class CosineSimilarity extends Loss {
  static readonly className = 'CosineSimilarity';
  static readonly optionKeys: readonly string[] = COSINE_SIMILARITY_OPTION_KEYS;
  readonly name: string;
  readonly axis: number;
  constructor(options: CosineSimilarityOptions = {}) {
    super();
    checkOptionKeys(options, 'cosineSimilarity', COSINE_SIMILARITY_OPTION_KEYS);
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
