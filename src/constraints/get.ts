import { Registry, type KerasSerializedObject, type SerializedObject } from '../serialization.js';
import { Constraint } from './constraint.js';
import { NonNeg } from './non-neg.js';
import { MaxNorm, MinMaxNorm, UnitNorm } from './norms.js';

/** Every constraint class by className (Keras's and TensorFlow.js's names). */
export const constraintRegistry = new Registry<Constraint>('constraint', Constraint);
constraintRegistry.register(MaxNorm);
constraintRegistry.register(NonNeg);
constraintRegistry.register(UnitNorm);
constraintRegistry.register(MinMaxNorm);

/** Names in TensorFlow.js's and Keras's spellings, each with the default options. */
const BY_NAME = {
  maxNorm: () => new MaxNorm(),
  max_norm: () => new MaxNorm(),
  nonNeg: () => new NonNeg(),
  non_neg: () => new NonNeg(),
  unitNorm: () => new UnitNorm(),
  unit_norm: () => new UnitNorm(),
  minMaxNorm: () => new MinMaxNorm(),
  min_max_norm: () => new MinMaxNorm(),
} as const;

export type ConstraintName = keyof typeof BY_NAME;

/** Anything `getConstraint` accepts. */
export type ConstraintIdentifier =
  Constraint | ConstraintName | SerializedObject | KerasSerializedObject;

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
  return constraintRegistry.resolve(id, {
    owner: 'getConstraint',
    byName: BY_NAME,
    classNames: true,
    fix: 'For other options use a factory, e.g. sn.constraints.maxNorm({ maxValue: 3 }).',
  });
}
