import { allocArray, type DataArray, type DType } from '../../tensor/dtype.js';
import type { DataId } from '../../tensor/store.js';
import type { TensorInfo } from '../backend.js';

/**
 * The cpu backend's storage: a handle is a small object holding a typed array, so the
 * garbage collector frees the values with the last tensor that refers to them.
 */
interface CpuData {
  readonly values: DataArray;
}

export function wrap(values: DataArray): DataId {
  const data: CpuData = { values };
  return data;
}

/** The values behind a tensor of the cpu backend (never copied: kernels must not mutate). */
export function valuesOf(x: TensorInfo | DataId): DataArray {
  const id = 'dataId' in x ? (x as TensorInfo).dataId : x;
  return (id as CpuData).values;
}

export function alloc(dtype: DType, size: number): DataArray {
  return allocArray(dtype, size);
}
