import type { DataArray } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import { NotImplementedError } from '../../errors.js';
import type { TensorInfo } from '../backend.js';

export function matmul(_a: TensorInfo, _b: TensorInfo, _ta: boolean, _tb: boolean, _outShape: Shape): DataArray {
  throw new NotImplementedError('cpu matmul');
}
