import { NotImplementedError } from '../errors.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** exp(x) / Σ exp(x) along `axis` (default -1), computed stably (max subtracted first). */
export function softmax(x: TensorLike, axis = -1): Tensor {
  throw new NotImplementedError('softmax');
}

/** x − logSumExp(x) along `axis` (default -1), stable for any magnitude. */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  throw new NotImplementedError('logSoftmax');
}
