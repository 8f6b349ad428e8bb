import { NotImplementedError } from '../errors.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product a·b. 2-D: [m, k]·[k, n] → [m, n]. Batched: [...batch, m, k]·[...batch, k, n]
 * with batch dimensions broadcast. `transposeA`/`transposeB` use the transpose of the last
 * two axes without copying.
 */
export function matmul(a: TensorLike, b: TensorLike, options?: MatmulOptions): Tensor {
  throw new NotImplementedError('matmul');
}
