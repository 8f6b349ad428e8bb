import type { DataArray, DType } from '../../tensor/dtype.js';
import { NotImplementedError } from '../../errors.js';
import type { TensorInfo } from '../backend.js';

// Reference kernels for indexing: gather, scatterAdd, oneHot.

export function gather(_x: TensorInfo, _indices: TensorInfo, _axis: number): DataArray {
  throw new NotImplementedError('cpu gather');
}
export function scatterAdd(_x: TensorInfo, _indices: TensorInfo, _updates: TensorInfo, _axis: number): DataArray {
  throw new NotImplementedError('cpu scatterAdd');
}
export function oneHot(_indices: TensorInfo, _depth: number, _on: number, _off: number, _dtype: DType): DataArray {
  throw new NotImplementedError('cpu oneHot');
}
