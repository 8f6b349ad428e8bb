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
import { add, mean, mul, reshape, rsqrt, square, sub } from '../ops/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { regularizerRegistry, type RegularizerIdentifier } from '../regularizers/index.js';
import { fromConfigDefault, type ConfigDict } from '../serialization.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  LAYER_OPTION_KEY_SET,
  Layer,
  type LayerInput,
  type LayerOptions,
  type LayerVariable,
} from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';
import { checkBoolean, checkNumber, optionKeys } from '../validation.js';

export interface LayerNormalizationOptions extends LayerOptions {
  /** The axis or axes normalised over, per sample (default -1, the last). */
  axis?: number | readonly number[];
  /** Added to the variance before the square root (default 1e-3, as Keras). */
  epsilon?: number;
  /** Add the learned offset beta (default true). */
  center?: boolean;
  /** Multiply by the learned scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  /** A penalty on beta, reported as '<layer>/beta'. */
  betaRegularizer?: RegularizerIdentifier;
  /** A penalty on gamma, reported as '<layer>/gamma'. */
  gammaRegularizer?: RegularizerIdentifier;
  betaConstraint?: ConstraintIdentifier;
  gammaConstraint?: ConstraintIdentifier;
}
export const LAYER_NORMALIZATION_OPTION_KEYS = optionKeys<LayerNormalizationOptions>()({
  ...LAYER_OPTION_KEY_SET,
  axis: true,
  epsilon: true,
  center: true,
  scale: true,
  betaInitializer: true,
  gammaInitializer: true,
  betaRegularizer: true,
  gammaRegularizer: true,
  betaConstraint: true,
  gammaConstraint: true,
});

/**
 * Layer normalization (Ba et al., 2016), as Keras's LayerNormalization: each sample is
 * normalised over `axis` with its own statistics (no batch statistics, the same in training
 * and at inference):
 *
 *   output = gamma · (x − μ) / sqrt(σ² + epsilon) + beta
 *
 * where μ and σ² are the mean and biased variance of x over `axis`, per sample.
 *
 * Input any shape with known sizes along `axis` → output the same shape. Weights gamma (if
 * scale) and beta (if center), each of the input's sizes along `axis` (in the order given),
 * broadcast along the other axes. Composed from mean, square, rsqrt, mul and add, so its
 * gradients are theirs.
 *
 *   sn.layers.layerNormalization({ epsilon: 1e-6 })
 */
export class LayerNormalization extends Layer {
  static override readonly className: string = 'LayerNormalization';
  static override readonly optionKeys: readonly string[] = LAYER_NORMALIZATION_OPTION_KEYS;

  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  betaConstraint: Constraint | undefined;
  gammaConstraint: Constraint | undefined;
  gamma: LayerVariable | undefined;
  beta: LayerVariable | undefined;
  /** Rank of the input at build, and the axes counted from the front. */
  #rank = 0;
  #axes: number[] = [];

  constructor(options: LayerNormalizationOptions = {}) {
    super(options);
    const where = this.describeSelf();
    const axis: unknown = options.axis ?? -1;
    const valid = Array.isArray(axis)
      ? axis.length > 0 && axis.every((a) => Number.isInteger(a))
      : Number.isInteger(axis);
    if (!valid) {
      throw new ConfigError(
        `${where}: axis must be an integer or a non-empty array of integers, received ${describe(axis)}; ` +
          'e.g. axis: -1 (the last) or axis: [1, 2, 3] (everything but the batch of an image).',
      );
    }
    this.axis = Array.isArray(axis) ? Object.freeze(axis.slice() as number[]) : (axis as number);
    this.epsilon = checkNumber(options.epsilon, where, 'epsilon', {
      min: 0,
      minExclusive: true,
      fallback: 1e-3,
    });
    this.center = checkBoolean(options.center, where, 'center', true);
    this.scale = checkBoolean(options.scale, where, 'scale', true);
    this.betaInitializer = getInitializer(options.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(options.gammaInitializer ?? 'ones');
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
    const given = typeof this.axis === 'number' ? [this.axis] : this.axis;
    const axes = given.map((a) => (a < 0 ? rank + a : a));
    const bad = given.find((_, i) => axes[i]! < 0 || axes[i]! >= rank);
    if (bad !== undefined || new Set(axes).size !== axes.length) {
      throw new ConfigError(
        `${this.describeSelf()}: axis ${describe(this.axis)} ` +
          `${bad !== undefined ? `names ${bad}, which is not an axis of` : 'repeats an axis of'} input shape ` +
          `${formatSymbolicShape(inputShape)}; use distinct axes from ${-rank} to ${rank - 1}.`,
      );
    }
    const sizes = axes.map((a) => inputShape[a]);
    if (sizes.some((d) => d === null || d === undefined)) {
      throw new ConfigError(
        `${this.describeSelf()} needs known sizes along axis ${describe(this.axis)}, received shape ` +
          `${formatSymbolicShape(inputShape)}.`,
      );
    }
    this.#rank = rank;
    this.#axes = axes;
    const axesSpec: Record<number, number> = {};
    axes.forEach((a, i) => (axesSpec[a] = sizes[i]!));
    this.inputSpec = { minRank: rank, axes: axesSpec };
    const shape = sizes as number[];
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
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    if (x.rank !== this.#rank) {
      throw new ShapeError(
        `${this.describeSelf()} was built for inputs of rank ${this.#rank}, received shape ${formatShape(x.shape)}; ` +
          'use a separate layer for inputs of another rank.',
      );
    }
    // gamma and beta as [1, ..., d_axis, ..., 1], broadcast along every other axis.
    const broadcast = x.shape.map((d, i) => (this.#axes.includes(i) ? d : 1));
    const mu = mean(x, this.#axes, { keepDims: true });
    const centred = sub(x, mu);
    const sigma2 = mean(square(centred), this.#axes, { keepDims: true });
    let y = mul(centred, rsqrt(add(sigma2, this.epsilon)));
    if (this.gamma) y = mul(y, reshape(this.gamma, broadcast));
    if (this.beta) y = add(y, reshape(this.beta, broadcast));
    return y;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axis: typeof this.axis === 'number' ? this.axis : this.axis.slice(),
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializerRegistry.toJson(this.betaInitializer),
      gammaInitializer: initializerRegistry.toJson(this.gammaInitializer),
      betaRegularizer: regularizerRegistry.toJson(this.betaRegularizer),
      gammaRegularizer: regularizerRegistry.toJson(this.gammaRegularizer),
      betaConstraint: constraintRegistry.toJson(this.betaConstraint),
      gammaConstraint: constraintRegistry.toJson(this.gammaConstraint),
    };
  }

  static override fromConfig(config: ConfigDict): LayerNormalization {
    // Keras 3 writes rms_scaling (false by default); the RMS form is not implemented here.
    const { rmsScaling, ...rest } = config;
    if (rmsScaling !== undefined && rmsScaling !== null && rmsScaling !== false) {
      throw new ConfigError(
        `LayerNormalization '${String(config.name)}': rms_scaling ${describe(rmsScaling)} (Keras 3) ` +
          'is not supported; sinew normalises with the mean and variance (rms_scaling false).',
      );
    }
    return fromConfigDefault(this, rest);
  }
}
