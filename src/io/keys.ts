import type { JsonValue } from '../serialization.js';

/**
 * Key case conversion between sinew's in-memory configs (camelCase, as TensorFlow.js's
 * API) and the written Keras form (snake_case). Only keys change, never string values: the
 * values sinew keeps are already Keras's ('fan_avg', 'hard_sigmoid').
 */

/** 'kernelRegularizer' → 'kernel_regularizer', 'className' → 'class_name' ('beta1' stays). */
export function toSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** 'kernel_regularizer' → 'kernelRegularizer', 'beta_1' → 'beta1'. */
export function toCamel(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Converts every key of a JSON value, recursively. */
export function mapKeys(value: JsonValue, convert: (key: string) => string): JsonValue {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, convert));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) out[convert(k)] = mapKeys(v, convert);
  return out;
}
