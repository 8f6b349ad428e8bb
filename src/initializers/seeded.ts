import { DTypeError, describe } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { checkSeed } from '../tensor/random.js';
import type { JsonValue } from '../serialization.js';

/** What the random initializers share: the optional seed and a floating-point dtype. */

/** An optional seed: undefined/null → undefined (draw from the global generator). */
export function optionalSeed(seed: unknown, where: string): number | undefined {
  return seed === undefined || seed === null ? undefined : checkSeed(seed, where);
}

/** The seed as written in a config (null when unseeded, as Keras). */
export function seedConfig(seed: number | undefined): JsonValue {
  return seed ?? null;
}

/** `{ seed }` for the creation functions, or nothing when unseeded. */
export function seedOption(seed: number | undefined): { seed?: number } {
  return seed === undefined ? {} : { seed };
}

/** Random initializers make float32 or float64 values. */
export function floatDType(dtype: DType | undefined, where: string): 'float32' | 'float64' {
  const d = dtype ?? 'float32';
  if (d !== 'float32' && d !== 'float64') {
    throw new DTypeError(
      `${where}: makes floating-point values, received dtype ${describe(d)}; use 'float32' or 'float64'.`,
    );
  }
  return d;
}
