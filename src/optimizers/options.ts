import { ConfigError, describe } from '../errors.js';

/**
 * Validation shared by optimizers and learning-rate schedules. Every check throws a
 * ConfigError that names the object, the option and the value received, and shows a fix.
 */

/** Rejects anything but a plain options object, and keys outside `allowed` (typos such as `lr`). */
export function checkKeys(
  owner: string,
  options: unknown,
  allowed: readonly string[],
  example: string,
): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(
      `${owner}: expected an options object, received ${describe(options)}; write it as ${example}.`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(
        `${owner}: unknown option ${describe(key)}; accepted options: ${allowed.join(', ')}.`,
      );
    }
  }
  return options as Record<string, unknown>;
}

export interface NumberRange {
  /** Lower bound (inclusive unless `minExclusive`). */
  min?: number;
  minExclusive?: boolean;
  /** Upper bound (inclusive unless `maxExclusive`). */
  max?: number;
  maxExclusive?: boolean;
  integer?: boolean;
}

function rangeText(r: NumberRange): string {
  const kind = r.integer ? 'an integer' : 'a finite number';
  if (r.min !== undefined && r.max !== undefined) {
    return `${kind} in ${r.minExclusive ? '(' : '['}${r.min}, ${r.max}${r.maxExclusive ? ')' : ']'}`;
  }
  if (r.min !== undefined) return `${kind} ${r.minExclusive ? '>' : '>='} ${r.min}`;
  return kind;
}

/** `value` if it is a number in the range, else a ConfigError (`fallback` when undefined). */
export function checkNumber(
  owner: string,
  name: string,
  value: unknown,
  range: NumberRange,
  fallback: number,
): number;
export function checkNumber(
  owner: string,
  name: string,
  value: unknown,
  range: NumberRange,
  fallback?: number,
): number | undefined;
export function checkNumber(
  owner: string,
  name: string,
  value: unknown,
  range: NumberRange,
  fallback?: number,
): number | undefined {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min)) &&
    (range.max === undefined || (range.maxExclusive ? value < range.max : value <= range.max)) &&
    (!range.integer || Number.isInteger(value));
  if (!ok) {
    const type = typeof value === 'number' ? '' : ` (a ${value === null ? 'null' : typeof value})`;
    const example = fallback === undefined ? '' : `, e.g. ${name}: ${fallback}`;
    throw new ConfigError(
      `${owner}: ${name} must be ${rangeText(range)}, received ${describe(value)}${type}; ` +
        `pass a number${example}.`,
    );
  }
  return value;
}

export function checkBoolean(
  owner: string,
  name: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ConfigError(`${owner}: ${name} must be true or false, received ${describe(value)}.`);
  }
  return value;
}

/** A config dict read from JSON writes "not set" as null; options use undefined. */
export function nullToUndefined(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (value !== null) out[key] = value;
  return out;
}
