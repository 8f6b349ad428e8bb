import { ConfigError, describe } from '../errors.js';
import {
  elu,
  exp,
  greater,
  leakyRelu,
  logSumExp,
  maximum,
  minimum,
  mul,
  neg,
  relu,
  softmax,
  sub,
  where,
} from '../ops/index.js';
import { withoutNulls, type ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { checkNumber, optionKeys, pickOptions } from '../validation.js';
import { activeTap } from './taps.js';

// Keras's activation layers (the PReLU layer, which has a weight, is in prelu.ts). Each is
// elementwise (Softmax along an axis): input any shape → output the same shape, no weights.

const single = (inputs: LayerInput): Tensor =>
  (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;

export interface LeakyReLUOptions extends LayerOptions {
  /** Slope for x < 0, a finite number >= 0 (default 0.3, as Keras's layer and TensorFlow.js's). */
  alpha?: number;
}
export const LEAKY_RELU_OPTION_KEYS = optionKeys<LeakyReLUOptions>()({
  ...LAYER_OPTION_KEY_SET,
  alpha: true,
});

/**
 * Leaky rectified linear unit, as Keras's LeakyReLU layer: `x` for x >= 0, `alpha·x` for
 * x < 0. (Keras 3 names the argument negative_slope; its files load here as alpha.)
 *
 *   sn.layers.leakyReLU({ alpha: 0.1 })
 */
export class LeakyReLU extends Layer {
  static override readonly className: string = 'LeakyReLU';
  static override readonly optionKeys: readonly string[] = LEAKY_RELU_OPTION_KEYS;

  readonly alpha: number;

  constructor(options: LeakyReLUOptions = {}) {
    super(options);
    this.alpha = checkNumber(options.alpha, this.describeSelf(), 'alpha', {
      min: 0,
      fallback: 0.3,
    });
  }

  call(inputs: LayerInput): Tensor {
    const x = single(inputs);
    activeTap()?.onPreActivation?.(this, x);
    return leakyRelu(x, { alpha: this.alpha });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  static override fromConfig(config: ConfigDict): LeakyReLU {
    // Keras 3 writes negative_slope (read here as negativeSlope) instead of alpha.
    const { negativeSlope, ...rest } = config;
    const alpha = config.alpha ?? negativeSlope;
    return new LeakyReLU({
      ...(pickOptions(withoutNulls(rest), LEAKY_RELU_OPTION_KEYS) as LeakyReLUOptions),
      ...(alpha === undefined || alpha === null ? {} : { alpha: alpha as number }),
    });
  }
}

export interface ELUOptions extends LayerOptions {
  /** Scale of the negative part, a finite number (default 1). */
  alpha?: number;
}
export const ELU_OPTION_KEYS = optionKeys<ELUOptions>()({ ...LAYER_OPTION_KEY_SET, alpha: true });

/**
 * Exponential linear unit, as Keras's ELU layer: `x` for x > 0, `alpha·(eˣ − 1)` otherwise.
 * (TensorFlow.js's ELU layer refuses any alpha but 1; Keras and sinew take any.)
 *
 *   sn.layers.elu({ alpha: 0.5 })
 */
export class ELU extends Layer {
  static override readonly className: string = 'ELU';
  static override readonly optionKeys: readonly string[] = ELU_OPTION_KEYS;

  readonly alpha: number;

  constructor(options: ELUOptions = {}) {
    super(options);
    this.alpha = checkNumber(options.alpha, this.describeSelf(), 'alpha', { fallback: 1 });
  }

  call(inputs: LayerInput): Tensor {
    const x = single(inputs);
    activeTap()?.onPreActivation?.(this, x);
    return elu(x, { alpha: this.alpha });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

export interface ReLUOptions extends LayerOptions {
  /** Upper bound of the output, a number >= 0 (default none). */
  maxValue?: number;
  /** Slope below the threshold, a number >= 0 (default 0). */
  negativeSlope?: number;
  /** The value below which the output is negativeSlope·(x − threshold) (default 0). */
  threshold?: number;
}
export const RELU_OPTION_KEYS = optionKeys<ReLUOptions>()({
  ...LAYER_OPTION_KEY_SET,
  maxValue: true,
  negativeSlope: true,
  threshold: true,
});

/**
 * Rectified linear unit with Keras's three options, as Keras's ReLU layer:
 *
 *   f(x) = min(x, maxValue)                  for x > threshold
 *   f(x) = negativeSlope · (x − threshold)   for x <= threshold
 *
 * computed exactly as Keras composes it (so where Keras has a quirk, so does this: with a
 * negative threshold, values between the threshold and 0 are clipped to 0 when maxValue is
 * set). TensorFlow.js's ReLU layer has maxValue only; a model using negativeSlope or threshold
 * computes differently there.
 *
 *   sn.layers.reLU({ maxValue: 6 })
 */
export class ReLU extends Layer {
  static override readonly className: string = 'ReLU';
  static override readonly optionKeys: readonly string[] = RELU_OPTION_KEYS;

  readonly maxValue: number | undefined;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(options: ReLUOptions = {}) {
    super(options);
    const where = this.describeSelf();
    this.maxValue =
      options.maxValue === undefined
        ? undefined
        : checkNumber(options.maxValue, where, 'maxValue', { min: 0, example: 'maxValue: 6' });
    this.negativeSlope = checkNumber(options.negativeSlope, where, 'negativeSlope', {
      min: 0,
      fallback: 0,
    });
    this.threshold = checkNumber(options.threshold, where, 'threshold', { fallback: 0 });
  }

  call(inputs: LayerInput): Tensor {
    const x = single(inputs);
    activeTap()?.onPreActivation?.(this, x);
    const t = this.threshold;
    const slope = this.negativeSlope;
    let y = t !== 0 ? where(greater(x, t), x, 0) : relu(x);
    if (this.maxValue !== undefined) y = minimum(maximum(y, 0), this.maxValue);
    if (slope !== 0) y = sub(y, mul(relu(t !== 0 ? sub(t, x) : neg(x)), slope));
    return y;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      maxValue: this.maxValue ?? null,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}

export interface SoftmaxOptions extends LayerOptions {
  /** The axis (or axes) normalised over (default -1, the last, as Keras; TensorFlow.js's default is 1). */
  axis?: number | readonly number[];
}
export const SOFTMAX_OPTION_KEYS = optionKeys<SoftmaxOptions>()({
  ...LAYER_OPTION_KEY_SET,
  axis: true,
});

/**
 * Softmax as a layer, as Keras's Softmax: `exp(x) / Σ exp(x)` along `axis` (over several axes
 * at once when given a list: exp(x − logSumExp(x, axes))).
 *
 *   sn.layers.softmax({ axis: 1 })
 */
export class Softmax extends Layer {
  static override readonly className: string = 'Softmax';
  static override readonly optionKeys: readonly string[] = SOFTMAX_OPTION_KEYS;

  readonly axis: number | readonly number[];

  constructor(options: SoftmaxOptions = {}) {
    super(options);
    const axis: unknown = options.axis ?? -1;
    const valid = Array.isArray(axis)
      ? axis.length > 0 && axis.every((a) => Number.isInteger(a))
      : Number.isInteger(axis);
    if (!valid) {
      throw new ConfigError(
        `${this.describeSelf()}: axis must be an integer or a non-empty array of integers, received ` +
          `${describe(axis)}; e.g. sn.layers.softmax({ axis: -1 }).`,
      );
    }
    this.axis = Array.isArray(axis) ? Object.freeze(axis.slice() as number[]) : (axis as number);
  }

  call(inputs: LayerInput): Tensor {
    const x = single(inputs);
    activeTap()?.onPreActivation?.(this, x);
    if (typeof this.axis === 'number') return softmax(x, this.axis);
    if (this.axis.length === 1) return softmax(x, this.axis[0]!);
    return exp(sub(x, logSumExp(x, this.axis, { keepDims: true })));
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axis: typeof this.axis === 'number' ? this.axis : this.axis.slice(),
    };
  }
}
