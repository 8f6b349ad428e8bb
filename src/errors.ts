/**
 * Errors raised by sinew. Every message says what was received, what was expected and how to
 * fix it. User input is validated with these, never with `assert`.
 */
export class SinewError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together (matmul, broadcasting, reshape, concat, ...). */
export class ShapeError extends SinewError {}

/** A dtype that an op does not accept, or two dtypes that cannot be combined. */
export class DTypeError extends SinewError {}

/** An index (gather, scatterAdd) outside the axis it addresses. */
export class IndexError extends SinewError {}

/**
 * A model file (or in-memory artifacts) that cannot be written or read. The message names the
 * file, what is wrong and the fix; loading throws it before anything is returned, so a model
 * is never half-loaded.
 */
export class SerializationError extends SinewError {}

/** A bad argument or option: wrong type, out of range, unknown name. */
export class ConfigError extends SinewError {}

/** A computation that cannot be differentiated as asked (non-scalar loss, no variables, ...). */
export class GradientError extends SinewError {}

/** Something sinew does not implement (yet); the message says what to use instead. */
export class NotImplementedError extends SinewError {}

/** Formats a value for an error message: short, and unambiguous about its type. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) {
    return String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) {
    const shown = value.slice(0, 10).map(describe);
    return `[${shown.join(', ')}${value.length > 10 ? `, ... (${value.length} items)` : ''}]`;
  }
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name}(${(value as Float32Array).length})`;
  }
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  const ctor = (value as object).constructor;
  if (ctor && ctor !== Object) return `a ${ctor.name}`;
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    // Circular or otherwise unprintable: name the keys instead.
    return `an object with keys {${Object.keys(value as object).join(', ')}}`;
  }
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
