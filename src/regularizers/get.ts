import { ConfigError, describe } from '../errors.js';
import { Registry, type ConfigDict, type SerializedObject } from '../serialization.js';
import { klSparsity, l1, l1l2, l2, orthogonal } from './factories.js';
import { FunctionRegularizer } from './function.js';
import { KLSparsity } from './kl-sparsity.js';
import { L1, L1L2, L2 } from './l1l2.js';
import { OrthogonalRegularizer } from './orthogonal.js';
import { Regularizer, type RegularizerFunction } from './regularizer.js';

/** Every regularizer class by className (Keras's names; 'KLSparsity' is sinew's own). */
export const regularizerRegistry = new Registry<Regularizer>('regularizer');
regularizerRegistry.register(L1);
regularizerRegistry.register(L2);
regularizerRegistry.register(L1L2);
regularizerRegistry.register(OrthogonalRegularizer);
regularizerRegistry.register(KLSparsity, 'sinew>KLSparsity');
regularizerRegistry.register(FunctionRegularizer);

/** The strings accepted where a regularizer is (docs/semantics.md rule 4), with their defaults. */
const BY_NAME = {
  l1: () => l1(),
  l2: () => l2(),
  l1l2: () => l1l2(),
  l1_l2: () => l1l2(),
  orthogonal: () => orthogonal(),
  orthogonal_regularizer: () => orthogonal(),
  kl_sparsity: () => klSparsity(),
} as const;

export type RegularizerName = keyof typeof BY_NAME;

/** A config in the in-memory form or Keras's/TensorFlow.js's written form. */
export interface KerasSerializedObject {
  class_name: string;
  config?: ConfigDict;
  [key: string]: unknown;
}

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
  if (id === undefined || id === null) return undefined;
  if (id instanceof Regularizer) return id;
  if (typeof id === 'function') {
    if ((id as { prototype?: unknown }).prototype instanceof Regularizer) {
      throw new ConfigError(
        `getRegularizer: received the class ${id.name}, not an instance; pass new ${id.name}(...) ` +
          'or a factory such as sn.regularizers.l2(0.01).',
      );
    }
    return new FunctionRegularizer(id);
  }
  if (typeof id === 'string') {
    const make = (BY_NAME as Record<string, (() => Regularizer) | undefined>)[id];
    if (make === undefined || !Object.hasOwn(BY_NAME, id)) {
      throw new ConfigError(
        `Unknown regularizer ${describe(id)}; the accepted names are ${regularizerNames.map((n) => `'${n}'`).join(', ')}. ` +
          'For other coefficients use a factory, e.g. sn.regularizers.l2(1e-4).',
      );
    }
    return make();
  }
  if (typeof id === 'object') {
    const obj = id as Partial<SerializedObject> & Partial<KerasSerializedObject>;
    const className = obj.className ?? obj.class_name;
    const config = obj.config ?? {};
    if (typeof className === 'string' && typeof config === 'object' && config !== null) {
      return regularizerRegistry.deserialize({ className, config });
    }
  }
  throw new ConfigError(
    `getRegularizer: expected a regularizer, a function (x) => scalar, a name ` +
      `(${regularizerNames.join(', ')}) or a config { className, config }, received ${describe(id)}.`,
  );
}
