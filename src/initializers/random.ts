import { randomNormal, randomUniform, truncatedNormal } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { Initializer } from './initializer.js';
import { ConfigError } from '../errors.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../validation.js';
import { floatDType, optionalSeed, seedConfig, seedOption } from './seeded.js';

/**
 * Random initializers. With a `seed`, every call gives the same values (as Keras's seeded
 * initializers); without one, each call draws from the global generator (sn.setSeed).
 */

export interface RandomNormalOptions {
  /** Default 0. */
  mean?: number;
  /** Default 0.05 (as Keras and TensorFlow.js). */
  stddev?: number;
  seed?: number;
}
const RANDOM_NORMAL_OPTION_KEYS = optionKeys<RandomNormalOptions>()({
  mean: true,
  stddev: true,
  seed: true,
});

/** The options and config of RandomNormal and TruncatedNormal, which differ only in the draw. */
abstract class NormalInitializer extends Initializer {
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | undefined;

  constructor(args: RandomNormalOptions, where: string) {
    super();
    checkOptionKeys(args, where, RANDOM_NORMAL_OPTION_KEYS);
    this.mean = checkNumber(args.mean ?? 0, where, 'mean');
    this.stddev = checkNumber(args.stddev ?? 0.05, where, 'stddev', { min: 0 });
    this.seed = optionalSeed(args.seed, where);
  }

  getConfig(): ConfigDict {
    return { mean: this.mean, stddev: this.stddev, seed: seedConfig(this.seed) };
  }
}

/** Normal draws with `mean` and `stddev`. */
export class RandomNormal extends NormalInitializer {
  static readonly className = 'RandomNormal';
  static readonly optionKeys = RANDOM_NORMAL_OPTION_KEYS;

  constructor(args: RandomNormalOptions = {}) {
    super(args, 'randomNormal');
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    const { mean, stddev, seed } = this;
    const d = floatDType(dtype, 'randomNormal');
    return randomNormal(shape, { mean, stddev, dtype: d, ...seedOption(seed) });
  }
}

/** Normal draws with `mean` and `stddev`, redrawn beyond two standard deviations (as Keras). */
export class TruncatedNormal extends NormalInitializer {
  static readonly className = 'TruncatedNormal';
  static readonly optionKeys = RANDOM_NORMAL_OPTION_KEYS;

  constructor(args: RandomNormalOptions = {}) {
    super(args, 'truncatedNormal');
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    const { mean, stddev, seed } = this;
    const d = floatDType(dtype, 'truncatedNormal');
    return truncatedNormal(shape, { mean, stddev, dtype: d, ...seedOption(seed) });
  }
}

export interface RandomUniformOptions {
  /** Default −0.05 (as Keras and TensorFlow.js). */
  minval?: number;
  /** Default 0.05. */
  maxval?: number;
  seed?: number;
}
const RANDOM_UNIFORM_OPTION_KEYS = optionKeys<RandomUniformOptions>()({
  minval: true,
  maxval: true,
  seed: true,
});

/** Uniform draws in [minval, maxval). */
export class RandomUniform extends Initializer {
  static readonly className = 'RandomUniform';
  static readonly optionKeys = RANDOM_UNIFORM_OPTION_KEYS;
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | undefined;

  constructor(args: RandomUniformOptions = {}) {
    super();
    checkOptionKeys(args, 'randomUniform', RANDOM_UNIFORM_OPTION_KEYS);
    this.minval = checkNumber(args.minval ?? -0.05, 'randomUniform', 'minval');
    this.maxval = checkNumber(args.maxval ?? 0.05, 'randomUniform', 'maxval');
    if (!(this.maxval > this.minval)) {
      throw new ConfigError(
        `randomUniform: maxval must be greater than minval, received minval ${this.minval} and maxval ${this.maxval}.`,
      );
    }
    this.seed = optionalSeed(args.seed, 'randomUniform');
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    const { minval, maxval, seed } = this;
    const d = floatDType(dtype, 'randomUniform');
    return randomUniform(shape, { minval, maxval, dtype: d, ...seedOption(seed) });
  }

  getConfig(): ConfigDict {
    return { minval: this.minval, maxval: this.maxval, seed: seedConfig(this.seed) };
  }
}
