import { Registry, type KerasSerializedObject, type SerializedObject } from '../serialization.js';
import { FunctionRegularizer } from './function.js';
import { KLSparsity } from './kl-sparsity.js';
import { L1, L1L2, L2 } from './l1l2.js';
import { OrthogonalRegularizer } from './orthogonal.js';
import { Regularizer, type RegularizerFunction } from './regularizer.js';

/** Every regularizer class by className (Keras's names; 'KLSparsity' is sinew's own). */
export const regularizerRegistry = new Registry<Regularizer>('regularizer', Regularizer);
regularizerRegistry.register(L1);
regularizerRegistry.register(L2);
regularizerRegistry.register(L1L2);
regularizerRegistry.register(OrthogonalRegularizer);
regularizerRegistry.register(KLSparsity, 'sinew>KLSparsity');
regularizerRegistry.register(FunctionRegularizer);

/**
 * The strings accepted where a regularizer is (docs/semantics.md rule 4), each with the defaults
 * of its factory called without arguments (`l1l2()` is 0.01 and 0.01).
 */
const BY_NAME = {
  l1: () => new L1(),
  l2: () => new L2(),
  l1l2: () => new L1L2({ l1: 0.01, l2: 0.01 }),
  l1_l2: () => new L1L2({ l1: 0.01, l2: 0.01 }),
  orthogonal: () => new OrthogonalRegularizer(),
  orthogonal_regularizer: () => new OrthogonalRegularizer(),
  kl_sparsity: () => new KLSparsity(),
} as const;

export type RegularizerName = keyof typeof BY_NAME;

/** Anything `getRegularizer` accepts. */
export type RegularizerIdentifier =
  Regularizer | RegularizerFunction | RegularizerName | SerializedObject | KerasSerializedObject;

/** The names accepted as strings, for messages. */
export const regularizerNames: readonly string[] = Object.keys(BY_NAME);

/**
 * Resolves what a layer option receives: undefined/null → undefined; a Regularizer → itself;
 * a plain function → a FunctionRegularizer; a name ('l1', 'l2', 'l1l2', 'l1_l2', 'orthogonal',
 * 'orthogonal_regularizer', 'kl_sparsity'); a config `{ className, config }` (or Keras's
 * `{ class_name, config }`, whose coefficients may be float32-rounded) → a new instance.
 */
export function getRegularizer(id: undefined | null): undefined;
export function getRegularizer(id: RegularizerIdentifier): Regularizer;
export function getRegularizer(
  id: RegularizerIdentifier | undefined | null,
): Regularizer | undefined;
export function getRegularizer(
  id: RegularizerIdentifier | undefined | null,
): Regularizer | undefined {
  return regularizerRegistry.resolve(id, {
    owner: 'getRegularizer',
    byName: BY_NAME,
    fromFunction: (fn) => new FunctionRegularizer(fn as RegularizerFunction),
    functionForm: '(x) => scalar',
    fix: 'For other coefficients use a factory, e.g. sn.regularizers.l2(1e-4).',
  });
}
