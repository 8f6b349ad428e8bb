import { noGrad, record } from '../autograd/tape.js';
import type { TensorLike } from '../tensor/creation.js';
import { floatTypeOf } from '../tensor/dtype.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul, sub } from './binary.js';
import { cast } from './cast.js';
import { convert } from './op.js';
import { max, sum } from './reductions.js';
import { exp, log } from './unary.js';

/**
 * softmax and logSoftmax along one axis. The forward passes subtract the max along the axis
 * first, so any magnitude of input gives finite results; each gradient is one explicit rule
 * (no differentiating through max).
 */

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
  const y = noGrad(() => {
    const e = exp(sub(t, max(t, a, { keepDims: true })));
    return div(e, sum(e, a, { keepDims: true }));
  });
  record('softmax', [t], [y], ([dy]) => [
    mul(y, sub(dy!, sum(mul(dy!, y), a, { keepDims: true }))),
  ]);
  return y;
}

/**
 * x − logSumExp(x) along `axis` (default -1), stable for any magnitude. Integer inputs give
 * float32. Gradient: dy − softmax(x)·Σ dy.
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const [t, a] = prepare(x, axis, 'logSoftmax');
  // (x − max) − log Σ exp(x − max): the shifted values are small and exact, so large inputs
  // lose no precision (x − logSumExp(x) would round both terms at the magnitude of x).
  const y = noGrad(() => {
    const shifted = sub(t, max(t, a, { keepDims: true }));
    return sub(shifted, log(sum(exp(shifted), a, { keepDims: true })));
  });
  record('logSoftmax', [t], [y], ([dy]) => [
    sub(dy!, mul(exp(y), sum(dy!, a, { keepDims: true }))),
  ]);
  return y;
}
