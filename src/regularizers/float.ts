import { cast } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';

/** Penalties are computed in floating point: int and bool tensors become float32. */
export function asFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' || x.dtype === 'float64' ? x : cast(x, 'float32');
}
