import { ConfigError, describe } from '../errors.js';
import { abs, maximum, mul, neg, sqrt, square, sub, sum, where } from '../ops/index.js';
import { div, lessEqual } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, alignTargets, checkName, checkReduction, meanLastAxis } from './base.js';
import type { LossOptions } from './base.js';

/** Regression losses: mean squared error, mean absolute error, Huber, cosine similarity. */

/** mean((yTrue − yPred)²) over the last axis. */
export class MeanSquaredError extends Loss {
  static readonly className = 'MeanSquaredError';
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    this.name = checkName(options.name, 'mean_squared_error', 'meanSquaredError');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    return meanLastAxis(square(sub(t, p)));
  }
  static fromConfig(config: ConfigDict): MeanSquaredError {
    checkReduction(config, 'MeanSquaredError');
    return new MeanSquaredError(config as LossOptions);
  }
}

/** mean(|yTrue − yPred|) over the last axis. */
export class MeanAbsoluteError extends Loss {
  static readonly className = 'MeanAbsoluteError';
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    this.name = checkName(options.name, 'mean_absolute_error', 'meanAbsoluteError');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    return meanLastAxis(abs(sub(t, p)));
  }
  static fromConfig(config: ConfigDict): MeanAbsoluteError {
    checkReduction(config, 'MeanAbsoluteError');
    return new MeanAbsoluteError(config as LossOptions);
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
    const { delta = 1 } = options;
    if (typeof delta !== 'number' || !Number.isFinite(delta) || delta <= 0) {
      throw new ConfigError(
        `huber: delta must be a finite number > 0, received ${describe(delta)}; e.g. huber({ delta: 1 }).`,
      );
    }
    this.delta = delta;
    this.name = checkName(options.name, 'huber_loss', 'huber');
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
  static fromConfig(config: ConfigDict): Huber {
    checkReduction(config, 'Huber');
    return new Huber(config as HuberOptions);
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
    const { axis = -1 } = options;
    if (!Number.isInteger(axis)) {
      throw new ConfigError(
        `cosineSimilarity: axis must be an integer, received ${describe(axis)}.`,
      );
    }
    this.axis = axis;
    this.name = checkName(options.name, 'cosine_similarity', 'cosineSimilarity');
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
  static fromConfig(config: ConfigDict): CosineSimilarity {
    checkReduction(config, 'CosineSimilarity');
    return new CosineSimilarity(config as CosineSimilarityOptions);
  }
}
