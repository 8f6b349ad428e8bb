import { record } from '../autograd/tape.js';
import type { TensorLike } from '../tensor/creation.js';
import { checkDType, isFloat, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { backend, convert, makeTensor } from './op.js';

/**
 * Converts `x` to `dtype`: to int32 truncates toward zero, to bool is "non-zero". Returns `x`
 * itself when it already has that dtype. Differentiable between float dtypes only.
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = convert(x, 'cast', 'x');
  checkDType(dtype, 'cast');
  if (t.dtype === dtype) return t;
  const y = makeTensor(backend().cast(t, dtype), t.shape, dtype);
  if (isFloat(t.dtype) && isFloat(dtype)) record('cast', [t], [y], ([dy]) => [cast(dy!, t.dtype)]);
  return y;
}
