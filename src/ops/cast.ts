import type { TensorLike } from '../tensor/creation.js';
import { checkDType, isFloat, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { backend, convert, defineGradients, makeTensor } from './op.js';

/** cast's gradient (see defineGradients in op.ts): dy cast back to the input's dtype. */
interface CastSaved {
  cast: { from: DType };
}
const recordCast = defineGradients<CastSaved>({ cast: ([dy], { from }) => [cast(dy, from)] });

/**
 * Converts `x` to `dtype`. Returns `x` itself when it already has that dtype.
 * - to int32 truncates toward zero (-1.7 → -1); NaN becomes 0 and values outside int32's
 *   range wrap around (as a store into an Int32Array), so clip first if that matters;
 * - to bool is "non-zero" (NaN is true); from bool gives 0 and 1;
 * - float64 to float32 rounds to the nearest float32.
 * Differentiable between float dtypes only (the gradient is cast back to the input's dtype);
 * a cast to or from int32 or bool stops the gradient.
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = convert(x, 'cast', 'x');
  checkDType(dtype, 'cast');
  if (t.dtype === dtype) return t;
  const y = makeTensor(backend().cast(t, dtype), t.shape, dtype);
  if (isFloat(t.dtype) && isFloat(dtype)) recordCast('cast', [t], [y], { from: t.dtype });
  return y;
}
