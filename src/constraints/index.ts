// sn.constraints: projections applied to a weight after each optimizer step.
import { ConfigError, describe } from '../errors.js';
import { Registry, type ConfigDict, type SerializedObject } from '../serialization.js';
import { Constraint } from './constraint.js';
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

/** Every constraint class by className (Keras's and TensorFlow.js's names). */
export const constraintRegistry = new Registry<Constraint>('constraint');
constraintRegistry.register(MaxNorm);
constraintRegistry.register(NonNeg);
constraintRegistry.register(UnitNorm);
constraintRegistry.register(MinMaxNorm);

const BY_NAME = {
  maxNorm: () => maxNorm(),
  max_norm: () => maxNorm(),
  nonNeg: () => nonNeg(),
  non_neg: () => nonNeg(),
  unitNorm: () => unitNorm(),
  unit_norm: () => unitNorm(),
  minMaxNorm: () => minMaxNorm(),
  min_max_norm: () => minMaxNorm(),
} as const;

export type ConstraintName = keyof typeof BY_NAME;

/** Anything `getConstraint` accepts. */
export type ConstraintIdentifier =
  | Constraint
  | ConstraintName
  | SerializedObject
  | { class_name: string; config?: ConfigDict; [key: string]: unknown };

/**
 * Resolves a layer's kernelConstraint / biasConstraint option: undefined/null → undefined; a
 * Constraint → itself; a name in TensorFlow.js's or Keras's spelling ('maxNorm' / 'max_norm',
 * 'nonNeg' / 'non_neg', 'unitNorm' / 'unit_norm', 'minMaxNorm' / 'min_max_norm') or a class
 * name ('MaxNorm') → a default instance; a config `{ className | class_name, config }`.
 */
export function getConstraint(id: undefined | null): undefined;
export function getConstraint(id: ConstraintIdentifier): Constraint;
export function getConstraint(id: ConstraintIdentifier | undefined | null): Constraint | undefined;
export function getConstraint(id: ConstraintIdentifier | undefined | null): Constraint | undefined {
  if (id === undefined || id === null) return undefined;
  if (id instanceof Constraint) return id;
  if (typeof id === 'string') {
    if (Object.hasOwn(BY_NAME, id)) return BY_NAME[id]();
    if (constraintRegistry.has(id))
      return constraintRegistry.deserialize({ className: id, config: {} });
    throw new ConfigError(
      `Unknown constraint ${describe(id)}; the accepted names are ${Object.keys(BY_NAME).join(', ')} ` +
        `(or a class name: ${constraintRegistry.names().join(', ')}).`,
    );
  }
  if (typeof id === 'object') {
    const obj = id as { className?: unknown; class_name?: unknown; config?: unknown };
    const className = obj.className ?? obj.class_name;
    const config = obj.config ?? {};
    if (typeof className === 'string' && typeof config === 'object' && config !== null) {
      return constraintRegistry.deserialize({ className, config: config as ConfigDict });
    }
  }
  throw new ConfigError(
    `getConstraint: expected a constraint, a name (${Object.keys(BY_NAME).join(', ')}) or a config ` +
      `{ className, config }, received ${describe(id)}.`,
  );
}
