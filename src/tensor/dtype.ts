import { ConfigError } from '../errors.js';

/**
 * Element types. `float32` is the default; `float64` exists for gradient checks (the reference
 * backend supports it everywhere); `int32` holds indices and labels; `bool` holds masks (stored
 * as bytes, 0 or 1).
 */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** The typed array that stores each dtype. */
export type DataArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export function arrayConstructor(
  dtype: DType,
):
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor {
  switch (dtype) {
    case 'float32':
      return Float32Array;
    case 'float64':
      return Float64Array;
    case 'int32':
      return Int32Array;
    case 'bool':
      return Uint8Array;
  }
}

/** A new zero-filled typed array for `dtype`. */
export function allocArray(dtype: DType, size: number): DataArray {
  return new (arrayConstructor(dtype))(size);
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** The dtype two operands are promoted to: bool < int32 < float32 < float64. */
export function upcast(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype a float-valued op (exp, log, sigmoid, mean, ...) computes in for input `dtype`. */
export function floatTypeOf(dtype: DType): DType {
  return isFloat(dtype) ? dtype : 'float32';
}

export function checkDType(dtype: unknown, where: string): DType {
  if (typeof dtype === 'string' && (DTYPES as readonly string[]).includes(dtype)) {
    return dtype as DType;
  }
  throw new ConfigError(
    `${where}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}.`,
  );
}
