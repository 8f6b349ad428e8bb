import type { TensorLike } from '../tensor/creation.js';
import { floatTypeOf } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul, sub } from './binary.js';
import { cast } from './cast.js';
import { backend, convert, defineGradients, makeTensor } from './op.js';
import { sum } from './reductions.js';
import { exp } from './unary.js';

/**
 * softmax and logSoftmax along one axis. The forward is one backend kernel (Backend.softmax:
 * one pass for the max, one for exp and the sum, one to scale, with no intermediate tensors),
 * which subtracts the max along the axis first, so any magnitude of input gives finite
 * results; −Infinity entries (masked logits) give 0. Each gradient is one explicit rule
 * written from the output (no differentiating through max).
 */

/** What both save: the output y and the (normalized) axis. */
interface SoftmaxSaved {
  y: Tensor;
  axis: number;
}
const recordSoftmax = defineGradients<Record<'softmax' | 'logSoftmax', SoftmaxSaved>>({
  // y·(dy − Σ dy·y)
  softmax: ([dy], { y, axis }) => [mul(y, sub(dy, sum(mul(dy, y), axis, { keepDims: true })))],
  // dy − softmax(x)·Σ dy, with softmax(x) = exp(y)
  logSoftmax: ([dy], { y, axis }) => [sub(dy, mul(exp(y), sum(dy, axis, { keepDims: true })))],
});

function prepare(x: TensorLike, axis: number, op: string): [Tensor, number] {
  let t = convert(x, op, 'x');
  t = cast(t, floatTypeOf(t.dtype));
  return [t, normalizeAxis(axis, t.rank, op)];
}

/**
 * exp(x) / Σ exp(x) along `axis` (default -1), computed stably (max subtracted first).
 * Integer inputs give float32. Gradient: y·(dy − Σ dy·y).
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const [t, a] = prepare(x, axis, 'softmax');
  const y = makeTensor(backend().softmax(t, a, false), t.shape, t.dtype);
  recordSoftmax('softmax', [t], [y], { y, axis: a });
  return y;
}

/**
 * x − logSumExp(x) along `axis` (default -1), stable for any magnitude. Integer inputs give
 * float32. Gradient: dy − softmax(x)·Σ dy.
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const [t, a] = prepare(x, axis, 'logSoftmax');
  // The kernel computes (x − max) − log Σ exp(x − max): the shifted values are small and
  // exact, so large inputs lose no precision (x − logSumExp(x) would round both terms at the
  // magnitude of x).
  const y = makeTensor(backend().softmax(t, a, true), t.shape, t.dtype);
  recordSoftmax('logSoftmax', [t], [y], { y, axis: a });
  return y;
}
