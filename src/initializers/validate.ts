import { ConfigError, DTypeError, describe } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { checkSeed } from '../tensor/random.js';
import type { JsonValue } from '../serialization.js';

/** Rejects option keys an initializer does not have (a typo would otherwise be ignored). */
export function checkKeys(options: unknown, where: string, allowed: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(
      `${where}: expected an options object { ${allowed.join(', ')} }, received ${describe(options)}.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        `${where}: unknown option ${describe(key)}; the options are ${allowed.join(', ') || '(none)'}.`,
      );
    }
  }
}

/** `value` if it is a finite number (and > 0 or >= 0 when asked); otherwise a ConfigError. */
export function checkNumber(
  value: unknown,
  where: string,
  arg: string,
  sign: 'any' | 'positive' | 'nonNegative' = 'any',
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (sign === 'any' || (sign === 'positive' ? value > 0 : value >= 0));
  if (ok) return value;
  const what = {
    any: 'a finite number',
    positive: 'a finite number > 0',
    nonNegative: 'a finite number >= 0',
  }[sign];
  throw new ConfigError(
    `${where}: ${arg} must be ${what}, received ${describe(value)}` +
      `${typeof value === 'number' ? '' : ` (a ${value === null ? 'null' : typeof value})`}.`,
  );
}

/** An optional seed: undefined/null → undefined (draw from the global generator). */
export function optionalSeed(seed: unknown, where: string): number | undefined {
  return seed === undefined || seed === null ? undefined : checkSeed(seed, where);
}

/** The seed as written in a config (null when unseeded, as Keras). */
export function seedConfig(seed: number | undefined): JsonValue {
  return seed ?? null;
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

/** `{ seed }` for the creation functions, or nothing when unseeded. */
export function seedOption(seed: number | undefined): { seed?: number } {
  return seed === undefined ? {} : { seed };
}
