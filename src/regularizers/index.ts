// sn.regularizers: penalties on weights and activations (docs/semantics.md section 2): the factories
// users call, and the family's exports. The registry and getRegularizer live in get.ts.
import {
  L1,
  L1L2,
  L1L2_OPTION_KEYS,
  L1_OPTION_KEYS,
  L2,
  L2_OPTION_KEYS,
  type L1Options,
  type L1L2Options,
  type L2Options,
} from './l1l2.js';
import { KLSparsity, KL_SPARSITY_OPTION_KEYS, type KLSparsityOptions } from './kl-sparsity.js';
import {
  ORTHOGONAL_OPTION_KEYS,
  OrthogonalRegularizer,
  type OrthogonalOptions,
} from './orthogonal.js';
import { ConfigError, describe } from '../errors.js';
import { isPlainObject, unknownOption, unknownOptionError } from '../validation.js';

export { Regularizer, type RegularizerFunction, type RegularizerReduction } from './regularizer.js';
export { L1, L1L2, L2, type L1Options, type L1L2Options, type L2Options } from './l1l2.js';
export {
  OrthogonalRegularizer,
  type OrthogonalOptions,
  type OrthogonalMode,
} from './orthogonal.js';
export { KLSparsity, type KLSparsityOptions } from './kl-sparsity.js';
export { FunctionRegularizer } from './function.js';
export {
  getRegularizer,
  regularizerNames,
  regularizerRegistry,
  type RegularizerIdentifier,
  type RegularizerName,
} from './get.js';
export type { KerasSerializedObject } from '../serialization.js';

/**
 * The factories users call (docs/semantics.md rules 2–3). Each takes a number or an options
 * object: `l2(0.01)` and `l2({ l2: 0.01 })` are the same; a bad coefficient or an unknown
 * option throws a ConfigError naming the regularizer, the argument and the value.
 */

/** `a·Σ|x|` (default a = 0.01): `l1(0.01)` or `l1({ l1: 0.01 })`. */
export function l1(args?: number | L1Options): L1 {
  return new L1(
    numberOrOptions(args, 'l1', 'l1', L1_OPTION_KEYS, 'sn.regularizers.l1({ l1: 0.01 })'),
  );
}

/** `a·Σx²` (default a = 0.01; no ½): `l2(0.01)` or `l2({ l2: 0.01 })`. */
export function l2(args?: number | L2Options): L2 {
  return new L2(
    numberOrOptions(args, 'l2', 'l2', L2_OPTION_KEYS, 'sn.regularizers.l2({ l2: 0.01 })'),
  );
}

/**
 * `l1·Σ|x| + l2·Σx²`: `l1l2({ l1: 0.01, l2: 0.001 })`; a coefficient left out of the object
 * is 0; `l1l2()` with no argument means 0.01 and 0.01 (as the string 'l1l2').
 */
export function l1l2(args?: L1L2Options): L1L2 {
  if (args === undefined) return new L1L2({ l1: 0.01, l2: 0.01 });
  return new L1L2(
    factoryOptions(args, 'l1l2', L1L2_OPTION_KEYS, 'sn.regularizers.l1l2({ l1: 0.01, l2: 0.01 })'),
  );
}

/** Keras's OrthogonalRegularizer: `orthogonal({ factor: 0.01, mode: 'rows' })` or `orthogonal(0.01)`. */
export function orthogonal(args?: number | OrthogonalOptions): OrthogonalRegularizer {
  return new OrthogonalRegularizer(
    numberOrOptions(
      args,
      'orthogonal',
      'factor',
      ORTHOGONAL_OPTION_KEYS,
      "sn.regularizers.orthogonal({ factor: 0.01, mode: 'rows' })",
    ),
  );
}

/**
 * KL sparsity of sigmoid codes: `klSparsity({ rho: 0.05, beta: 3 })`; a number is `rho`
 * (the first option, as Keras-style positional arguments): `klSparsity(0.05)`.
 */
export function klSparsity(args?: number | KLSparsityOptions): KLSparsity {
  return new KLSparsity(
    numberOrOptions(
      args,
      'klSparsity',
      'rho',
      KL_SPARSITY_OPTION_KEYS,
      'sn.regularizers.klSparsity({ rho: 0.05, beta: 3 })',
    ),
  );
}

/**
 * `options` if it is a plain object with only `allowed` keys. The regularizers word these
 * errors with the list of options and an example, as their tests pin.
 */
function factoryOptions(
  options: unknown,
  where: string,
  allowed: readonly string[],
  example: string,
): Record<string, unknown> {
  if (!isPlainObject(options)) {
    throw new ConfigError(
      `${where}: expected an options object { ${allowed.join(', ')} }, received ${describe(options)}; ` +
        `write it as ${example}`,
    );
  }
  const key = unknownOption(options, allowed);
  if (key !== undefined) throw unknownOptionError(where, key, allowed);
  return options;
}

/**
 * Both call styles of a factory: `f(0.01)` means `{ [key]: 0.01 }`, `f({ ... })` is the
 * options object, `f()` is `{}`. Anything else is reported as a bad value for `key`.
 */
function numberOrOptions(
  arg: unknown,
  where: string,
  key: string,
  allowed: readonly string[],
  example: string,
): Record<string, unknown> {
  if (arg === undefined) return {};
  if (isPlainObject(arg)) return factoryOptions(arg, where, allowed, example);
  return { [key]: arg };
}
