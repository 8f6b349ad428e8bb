import type { DataArray } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import { NotImplementedError } from '../../errors.js';
import type { TensorInfo } from '../backend.js';

// Reference kernels for layout ops: transpose, slice, pad, concat, tile.

export function transpose(_x: TensorInfo, _perm: readonly number[]): DataArray {
  throw new NotImplementedError('cpu transpose');
}
export function slice(_x: TensorInfo, _begin: readonly number[], _size: readonly number[]): DataArray {
  throw new NotImplementedError('cpu slice');
}
export function pad(_x: TensorInfo, _paddings: readonly (readonly [number, number])[], _value: number): DataArray {
  throw new NotImplementedError('cpu pad');
}
export function concat(_xs: readonly TensorInfo[], _axis: number, _outShape: Shape): DataArray {
  throw new NotImplementedError('cpu concat');
}
export function tile(_x: TensorInfo, _reps: readonly number[]): DataArray {
  throw new NotImplementedError('cpu tile');
}
