import { ConfigError, describe } from '../errors.js';

/**
 * Argument checks shared by the regularizers (SEMANTICS.md rule 3): a coefficient is a finite
 * number >= 0, an options object has only known keys, and a factory takes either a number or
 * an options object.
 */

/** `value` if it is a finite number >= 0; otherwise a ConfigError naming `where` and `arg`. */
export function checkCoefficient(
  value: unknown,
  where: string,
  arg: string,
  example: string,
): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  const type = typeof value === 'number' ? '' : ` (a ${value === null ? 'null' : typeof value})`;
  throw new ConfigError(
    `${where}: ${arg} must be a finite number >= 0, received ${describe(value)}${type}; ` +
      `pass a number, e.g. ${example}`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Checks that `options` is a plain object whose keys are all in `allowed`. */
export function checkOptionKeys(
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
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        `${where}: unknown option ${describe(key)}; the options are ${allowed.join(', ')}. ` +
          `Write it as ${example}`,
      );
    }
  }
  return options;
}

/**
 * Both call styles of a factory: `f(0.01)` means `{ [key]: 0.01 }`, `f({ ... })` is the
 * options object, `f()` is `{}`. Anything else is reported as a bad value for `key`.
 */
export function numberOrOptions(
  arg: unknown,
  where: string,
  key: string,
  allowed: readonly string[],
  example: string,
): Record<string, unknown> {
  if (arg === undefined) return {};
  if (isPlainObject(arg)) return checkOptionKeys(arg, where, allowed, example);
  return { [key]: arg };
}
