// sn.constraints: projections applied to a weight after each optimizer step: the factories
// users call, and the family's exports. The registry and getConstraint live in get.ts.
import {
  MaxNorm,
  MinMaxNorm,
  UnitNorm,
  type MaxNormOptions,
  type MinMaxNormOptions,
  type UnitNormOptions,
} from './norms.js';
import { NonNeg } from './non-neg.js';

export { Constraint } from './constraint.js';
export { MaxNorm, MinMaxNorm, NonNeg, UnitNorm };
export type { MaxNormOptions, MinMaxNormOptions, UnitNormOptions };
export type { ConstraintAxis } from './axis.js';
export {
  constraintRegistry,
  getConstraint,
  type ConstraintIdentifier,
  type ConstraintName,
} from './get.js';

/** Caps the L2 norm of each weight vector along `axis` (default maxValue 2, axis 0). */
export function maxNorm(args: MaxNormOptions = {}): MaxNorm {
  return new MaxNorm(args);
}

/** Zeroes negative weights. */
export function nonNeg(): NonNeg {
  return new NonNeg();
}

/** Rescales each weight vector along `axis` to unit L2 norm (default axis 0). */
export function unitNorm(args: UnitNormOptions = {}): UnitNorm {
  return new UnitNorm(args);
}

/** Keeps each weight vector's L2 norm in [minValue, maxValue] (defaults 0, 1, rate 1, axis 0). */
export function minMaxNorm(args: MinMaxNormOptions = {}): MinMaxNorm {
  return new MinMaxNorm(args);
}
