import { noGrad } from '../autograd/tape.js';
import { ConfigError, ShapeError, describe } from '../errors.js';
import type { Constraint } from '../constraints/constraint.js';
import {
  constraintRegistry,
  getConstraint,
  type ConstraintIdentifier,
} from '../constraints/index.js';
import {
  getInitializer,
  initializerRegistry,
  type InitializerIdentifier,
} from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import { add, cast, mean, mul, reshape, rsqrt, square, sub } from '../ops/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { regularizerRegistry, type RegularizerIdentifier } from '../regularizers/index.js';
import { type ConfigDict } from '../serialization.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  LAYER_OPTION_KEY_SET,
  Layer,
  type CallOptions,
  type LayerInput,
  type LayerOptions,
  type LayerVariable,
} from './layer.js';
import { optionKeys } from '../validation.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';

export interface BatchNormalizationOptions extends LayerOptions {
  /** The feature axis, normalised per entry (default -1, the last: channels last). */
  axis?: number;
  /** Momentum of the moving averages (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  /** Add the learned offset beta (default true). */
  center?: boolean;
  /** Multiply by the learned scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
  betaRegularizer?: RegularizerIdentifier;
  gammaRegularizer?: RegularizerIdentifier;
  betaConstraint?: ConstraintIdentifier;
  gammaConstraint?: ConstraintIdentifier;
}
export const BATCH_NORMALIZATION_OPTION_KEYS = optionKeys<BatchNormalizationOptions>()({
  ...LAYER_OPTION_KEY_SET,
  axis: true,
  momentum: true,
  epsilon: true,
  center: true,
  scale: true,
  betaInitializer: true,
  gammaInitializer: true,
  movingMeanInitializer: true,
  movingVarianceInitializer: true,
  betaRegularizer: true,
  gammaRegularizer: true,
  betaConstraint: true,
  gammaConstraint: true,
});

/**
 * Batch normalization (Ioffe and Szegedy, 2015), with Keras's semantics:
 *
 *   output = gamma · (x − μ) / sqrt(σ² + epsilon) + beta
 *
 * In training (`training: true` and the layer trainable), μ and σ² are the mean and biased
 * variance of the batch over every axis but `axis`, and the moving statistics are updated once
 * per call: moving = moving·momentum + batch·(1 − momentum). At inference μ and σ² are the
 * moving statistics.
 *
 * Input any shape with a known size C along `axis` → output the same shape. Weights, each
 * [C]: gamma (trainable, if scale), beta (trainable, if center), moving_mean and
 * moving_variance (not trainable, updated by assignment and never differentiated).
 *
 *   sn.layers.batchNormalization({ momentum: 0.9 })
 */
export class BatchNormalization extends Layer {
  static override readonly className: string = 'BatchNormalization';
  static override readonly optionKeys: readonly string[] = BATCH_NORMALIZATION_OPTION_KEYS;

  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  betaConstraint: Constraint | undefined;
  gammaConstraint: Constraint | undefined;
  gamma: LayerVariable | undefined;
  beta: LayerVariable | undefined;
  movingMean: LayerVariable | undefined;
  movingVariance: LayerVariable | undefined;
  /** Rank of the input at build, and `axis` counted from the front. */
  #rank = 0;
  #featureAxis = 0;

  constructor(options: BatchNormalizationOptions = {}) {
    super(options);
    const { axis = -1, momentum = 0.99, epsilon = 1e-3, center = true, scale = true } = options;
    const where = `BatchNormalization '${this.name}'`;
    if (!Number.isInteger(axis)) {
      throw new ConfigError(`${where}: axis must be an integer, received ${describe(axis)}.`);
    }
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
      throw new ConfigError(
        `${where}: momentum must be a number in [0, 1], received ${describe(momentum)}; e.g. 0.99.`,
      );
    }
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) {
      throw new ConfigError(
        `${where}: epsilon must be a finite number > 0, received ${describe(epsilon)}; e.g. 1e-3.`,
      );
    }
    for (const [arg, v] of [
      ['center', center],
      ['scale', scale],
    ] as const) {
      if (typeof v !== 'boolean')
        throw new ConfigError(`${where}: ${arg} must be true or false, received ${describe(v)}.`);
    }
    this.axis = axis;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.betaInitializer = getInitializer(options.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(options.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = getInitializer(options.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = getInitializer(options.movingVarianceInitializer ?? 'ones');
    this.betaRegularizer = options.betaRegularizer;
    this.gammaRegularizer = options.gammaRegularizer;
    this.betaConstraint = getConstraint(options.betaConstraint);
    this.gammaConstraint = getConstraint(options.gammaConstraint);
  }

  /** Settable at any time, also after build (docs/semantics.md rule 10). */
  get gammaRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('gamma');
  }
  set gammaRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('gamma', id);
  }

  get betaRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('beta');
  }
  set betaRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('beta', id);
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    const featureAxis = this.axis < 0 ? rank + this.axis : this.axis;
    const size = inputShape[featureAxis];
    if (featureAxis < 0 || featureAxis >= rank || featureAxis === 0) {
      throw new ConfigError(
        `${this.describeSelf()}: axis ${this.axis} is not a feature axis of input shape ${formatSymbolicShape(inputShape)}; ` +
          `use an axis from 1 to ${rank - 1} (or -1 for the last).`,
      );
    }
    if (size === null || size === undefined) {
      throw new ConfigError(
        `${this.describeSelf()} needs a known size along axis ${this.axis}, received shape ${formatSymbolicShape(inputShape)}.`,
      );
    }
    this.#rank = rank;
    this.#featureAxis = featureAxis;
    this.inputSpec = { minRank: rank, axes: { [featureAxis]: size } };
    const shape = [size];
    if (this.scale) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight({
        name: 'beta',
        shape,
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    this.movingMean = this.addWeight({
      name: 'moving_mean',
      shape,
      initializer: this.movingMeanInitializer,
      trainable: false,
    });
    this.movingVariance = this.addWeight({
      name: 'moving_variance',
      shape,
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    if (x.rank !== this.#rank) {
      throw new ShapeError(
        `${this.describeSelf()} was built for inputs of rank ${this.#rank}, received shape ${formatShape(x.shape)}; ` +
          'use a separate layer for inputs of another rank.',
      );
    }
    // [1, ..., C, ..., 1]: the per-feature vectors broadcast along every other axis.
    const broadcast = x.shape.map((d, i) => (i === this.#featureAxis ? d : 1));
    const perFeature = (v: Tensor): Tensor => reshape(v, broadcast);
    let mu: Tensor;
    let sigma2: Tensor;
    if (options.training === true && this.trainable) {
      const axes = x.shape.map((_, i) => i).filter((i) => i !== this.#featureAxis);
      mu = mean(x, axes, { keepDims: true });
      sigma2 = mean(square(sub(x, mu)), axes, { keepDims: true });
      this.#updateMovingStatistics(mu, sigma2);
    } else {
      mu = perFeature(this.movingMean!);
      sigma2 = perFeature(this.movingVariance!);
    }
    let y = mul(sub(x, mu), rsqrt(add(sigma2, this.epsilon)));
    if (this.gamma) y = mul(y, perFeature(this.gamma));
    if (this.beta) y = add(y, perFeature(this.beta));
    return y;
  }

  /** moving ← moving·momentum + batch·(1 − momentum), outside the tape. */
  #updateMovingStatistics(batchMean: Tensor, batchVariance: Tensor): void {
    noGrad(() => {
      for (const [v, stat] of [
        [this.movingMean!, batchMean],
        [this.movingVariance!, batchVariance],
      ] as const) {
        const value = cast(reshape(stat, v.shape), v.dtype);
        v.assign(add(mul(v, this.momentum), mul(value, 1 - this.momentum)));
      }
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializerRegistry.toJson(this.betaInitializer),
      gammaInitializer: initializerRegistry.toJson(this.gammaInitializer),
      movingMeanInitializer: initializerRegistry.toJson(this.movingMeanInitializer),
      movingVarianceInitializer: initializerRegistry.toJson(this.movingVarianceInitializer),
      betaRegularizer: regularizerRegistry.toJson(this.betaRegularizer),
      gammaRegularizer: regularizerRegistry.toJson(this.gammaRegularizer),
      betaConstraint: constraintRegistry.toJson(this.betaConstraint),
      gammaConstraint: constraintRegistry.toJson(this.gammaConstraint),
    };
  }
}
