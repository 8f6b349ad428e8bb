import { add, clip, div, mul, sqrt, square, sum } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { Constraint } from './constraint.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../validation.js';
import { checkAxis, resolveAxes, type ConstraintAxis } from './axis.js';

/** Keras's backend epsilon: the norm constraints divide by `ε + norm`. */
const EPSILON = 1e-7;

/** The L2 norms of `w` along `axis`, kept as length-1 dimensions so they broadcast back. */
function norms(w: Tensor, axis: ConstraintAxis, where: string): Tensor {
  return sqrt(sum(square(w), resolveAxes(axis, w, where), { keepDims: true }));
}

function axisConfig(axis: ConstraintAxis): number | number[] {
  return typeof axis === 'number' ? axis : [...axis];
}

export interface MaxNormOptions {
  /** The largest norm allowed (default 2). */
  maxValue?: number;
  /**
   * The axis (or axes) along which norms are computed (default 0: for a Dense kernel
   * [inputs, units], each unit's incoming weight vector).
   */
  axis?: ConstraintAxis;
}
const MAX_NORM_OPTION_KEYS = optionKeys<MaxNormOptions>()({ maxValue: true, axis: true });

/** Rescales weight vectors whose L2 norm exceeds `maxValue`: `w · clip(n, 0, max) / (ε + n)`. */
export class MaxNorm extends Constraint {
  static readonly className = 'MaxNorm';
  static readonly optionKeys = MAX_NORM_OPTION_KEYS;
  readonly maxValue: number;
  readonly axis: ConstraintAxis;

  constructor(args: MaxNormOptions = {}) {
    super();
    checkOptionKeys(args, 'maxNorm', MAX_NORM_OPTION_KEYS);
    this.maxValue = checkNumber(args.maxValue ?? 2, 'maxNorm', 'maxValue', { min: 0 });
    this.axis = checkAxis(args.axis ?? 0, 'maxNorm');
  }

  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis, 'maxNorm');
    return mul(w, div(clip(n, { min: 0, max: this.maxValue }), add(n, EPSILON)));
  }

  getConfig(): ConfigDict {
    return { maxValue: this.maxValue, axis: axisConfig(this.axis) };
  }
}

export interface UnitNormOptions {
  /** The axis (or axes) along which norms are computed (default 0). */
  axis?: ConstraintAxis;
}
const UNIT_NORM_OPTION_KEYS = optionKeys<UnitNormOptions>()({ axis: true });

/** Rescales weight vectors to unit L2 norm: `w / (ε + n)`. */
export class UnitNorm extends Constraint {
  static readonly className = 'UnitNorm';
  static readonly optionKeys = UNIT_NORM_OPTION_KEYS;
  readonly axis: ConstraintAxis;

  constructor(args: UnitNormOptions = {}) {
    super();
    checkOptionKeys(args, 'unitNorm', UNIT_NORM_OPTION_KEYS);
    this.axis = checkAxis(args.axis ?? 0, 'unitNorm');
  }

  apply(w: Tensor): Tensor {
    return div(w, add(norms(w, this.axis, 'unitNorm'), EPSILON));
  }

  getConfig(): ConfigDict {
    return { axis: axisConfig(this.axis) };
  }
}

export interface MinMaxNormOptions {
  /** The smallest norm allowed (default 0). */
  minValue?: number;
  /** The largest norm allowed (default 1). */
  maxValue?: number;
  /**
   * How far to move towards the allowed range at each step, in [0, 1] (default 1: all the
   * way): desired = rate · clip(n, min, max) + (1 − rate) · n.
   */
  rate?: number;
  /** The axis (or axes) along which norms are computed (default 0). */
  axis?: ConstraintAxis;
}
const MIN_MAX_NORM_OPTION_KEYS = optionKeys<MinMaxNormOptions>()({
  minValue: true,
  maxValue: true,
  rate: true,
  axis: true,
});

/** Keeps weight vector norms in [minValue, maxValue]: `w · desired / (ε + n)`. */
export class MinMaxNorm extends Constraint {
  static readonly className = 'MinMaxNorm';
  static readonly optionKeys = MIN_MAX_NORM_OPTION_KEYS;
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: ConstraintAxis;

  constructor(args: MinMaxNormOptions = {}) {
    super();
    checkOptionKeys(args, 'minMaxNorm', MIN_MAX_NORM_OPTION_KEYS);
    this.minValue = checkNumber(args.minValue ?? 0, 'minMaxNorm', 'minValue', { min: 0 });
    this.maxValue = checkNumber(args.maxValue ?? 1, 'minMaxNorm', 'maxValue', {
      min: this.minValue,
    });
    this.rate = checkNumber(args.rate ?? 1, 'minMaxNorm', 'rate', { min: 0, max: 1 });
    this.axis = checkAxis(args.axis ?? 0, 'minMaxNorm');
  }

  apply(w: Tensor): Tensor {
    const n = norms(w, this.axis, 'minMaxNorm');
    const clipped = clip(n, { min: this.minValue, max: this.maxValue });
    const desired = add(mul(clipped, this.rate), mul(n, 1 - this.rate));
    return mul(w, div(desired, add(n, EPSILON)));
  }

  getConfig(): ConfigDict {
    return {
      minValue: this.minValue,
      maxValue: this.maxValue,
      rate: this.rate,
      axis: axisConfig(this.axis),
    };
  }
}
