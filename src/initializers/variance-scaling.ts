import { ConfigError, describe } from '../errors.js';
import { randomNormal, randomUniform, truncatedNormal } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { Initializer } from './initializer.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../validation.js';
import { floatDType, optionalSeed, seedConfig, seedOption } from './seeded.js';

/**
 * Keras's VarianceScaling and the six named schemes built on it (Glorot, He, LeCun; uniform
 * and normal). Exactly Keras's formulas:
 *   fans: rank 0 → 1, 1; rank 1 → n, n; rank 2 → [in, out]; rank ≥ 3 → the receptive field
 *   (product of all but the last two dimensions) times shape[-2] and shape[-1].
 *   n = max(1, fanIn | fanOut | (fanIn + fanOut) / 2);  variance = scale / n
 *   'uniform': U(−limit, limit) with limit = sqrt(3·variance)
 *   'truncated_normal': truncated at ±2σ with σ = sqrt(variance) / 0.87962566103423978, so the
 *     truncated distribution has variance `variance` (TensorFlow.js omits that correction)
 *   'untruncated_normal': N(0, variance)
 */

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

/** The accepted spellings: Keras's ('fan_in', 'truncated_normal') and TensorFlow.js's ('fanIn'). */
const MODES: Record<string, FanMode> = {
  fan_in: 'fan_in',
  fan_out: 'fan_out',
  fan_avg: 'fan_avg',
  fanIn: 'fan_in',
  fanOut: 'fan_out',
  fanAvg: 'fan_avg',
};
const DISTRIBUTIONS: Record<string, Distribution> = {
  truncated_normal: 'truncated_normal',
  untruncated_normal: 'untruncated_normal',
  uniform: 'uniform',
  truncatedNormal: 'truncated_normal',
  untruncatedNormal: 'untruncated_normal',
  normal: 'truncated_normal', // Keras 2 and TensorFlow.js spelling of the truncated normal
};

/** The canonical spelling of `value` in `table`; otherwise a ConfigError listing the keys. */
function spelling<T>(table: Record<string, T>, value: string, where: string, arg: string): T {
  if (Object.hasOwn(table, value)) return table[value]!;
  throw new ConfigError(
    `${where}: ${arg} must be one of ${Object.keys(table).join(', ')}, received ${describe(value)}.`,
  );
}

/** Keras's compute_fans: `[fanIn, fanOut]` of a weight shape. */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  const receptiveField = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape.at(-2)! * receptiveField, shape.at(-1)! * receptiveField];
}

/** The constant Keras divides by: the std of a standard normal truncated to [−2, 2]. */
export const TRUNCATED_STDDEV_FACTOR = 0.87962566103423978;

export interface VarianceScalingOptions {
  /** Scale of the variance (default 1; > 0). */
  scale?: number;
  /** Which fan divides the scale (default 'fan_in'; 'fanIn' etc. also accepted). */
  mode?: FanMode | 'fanIn' | 'fanOut' | 'fanAvg';
  /** Default 'truncated_normal'; 'normal' means the truncated normal, as Keras 2. */
  distribution?: Distribution | 'truncatedNormal' | 'untruncatedNormal' | 'normal';
  seed?: number;
}
const VARIANCE_SCALING_OPTION_KEYS = optionKeys<VarianceScalingOptions>()({
  scale: true,
  mode: true,
  distribution: true,
  seed: true,
});

export class VarianceScaling extends Initializer {
  static readonly className: string = 'VarianceScaling';
  static readonly optionKeys = VARIANCE_SCALING_OPTION_KEYS;
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed: number | undefined;

  constructor(args: VarianceScalingOptions = {}, where = 'varianceScaling') {
    super();
    checkOptionKeys(args, where, VARIANCE_SCALING_OPTION_KEYS);
    this.scale = checkNumber(args.scale ?? 1, where, 'scale', { min: 0, minExclusive: true });
    this.mode = spelling(MODES, args.mode ?? 'fan_in', where, 'mode');
    this.distribution = spelling(
      DISTRIBUTIONS,
      args.distribution ?? 'truncated_normal',
      where,
      'distribution',
    );
    this.seed = optionalSeed(args.seed, where);
  }

  /** The variance of the values this initializer draws for `shape`. */
  variance(shape: readonly number[]): number {
    const [fanIn, fanOut] = computeFans(shape);
    const n =
      this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    return this.scale / Math.max(1, n);
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    const d = floatDType(dtype, (this.constructor as typeof VarianceScaling).className);
    const variance = this.variance(shape);
    const seed = seedOption(this.seed);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return randomUniform(shape, { minval: -limit, maxval: limit, dtype: d, ...seed });
    }
    if (this.distribution === 'untruncated_normal') {
      return randomNormal(shape, { stddev: Math.sqrt(variance), dtype: d, ...seed });
    }
    const stddev = Math.sqrt(variance) / TRUNCATED_STDDEV_FACTOR;
    return truncatedNormal(shape, { stddev, dtype: d, ...seed });
  }

  getConfig(): ConfigDict {
    return {
      scale: this.scale,
      mode: this.mode,
      distribution: this.distribution,
      seed: seedConfig(this.seed),
    };
  }
}

export interface SeedOptions {
  seed?: number;
}
const SEED_OPTION_KEYS = optionKeys<SeedOptions>()({ seed: true });

/** A named scheme: VarianceScaling with fixed scale, mode and distribution; config `{ seed }`. */
function scheme(
  className: string,
  where: string,
  scale: number,
  mode: FanMode,
  distribution: Distribution,
) {
  return class extends VarianceScaling {
    static override readonly className: string = className;

    constructor(args: SeedOptions = {}) {
      checkOptionKeys(args, where, SEED_OPTION_KEYS);
      super({ scale, mode, distribution, ...seedOption(args.seed as number | undefined) }, where);
    }

    override getConfig(): ConfigDict {
      return { seed: seedConfig(this.seed) };
    }

    static override fromConfig(config: ConfigDict): VarianceScaling {
      return new this(config.seed == null ? {} : { seed: config.seed as number });
    }
  };
}

/** U(±sqrt(6 / (fanIn + fanOut))): Glorot and Bengio (2010). */
export class GlorotUniform extends scheme(
  'GlorotUniform',
  'glorotUniform',
  1,
  'fan_avg',
  'uniform',
) {}
/** Truncated normal with variance 2 / (fanIn + fanOut). */
export class GlorotNormal extends scheme(
  'GlorotNormal',
  'glorotNormal',
  1,
  'fan_avg',
  'truncated_normal',
) {}
/** U(±sqrt(6 / fanIn)): He et al. (2015), for relu. */
export class HeUniform extends scheme('HeUniform', 'heUniform', 2, 'fan_in', 'uniform') {}
/** Truncated normal with variance 2 / fanIn. */
export class HeNormal extends scheme('HeNormal', 'heNormal', 2, 'fan_in', 'truncated_normal') {}
/** U(±sqrt(3 / fanIn)): LeCun et al. (1998), for selu. */
export class LecunUniform extends scheme('LecunUniform', 'lecunUniform', 1, 'fan_in', 'uniform') {}
/** Truncated normal with variance 1 / fanIn. */
export class LecunNormal extends scheme(
  'LecunNormal',
  'lecunNormal',
  1,
  'fan_in',
  'truncated_normal',
) {}
