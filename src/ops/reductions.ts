import { NotImplementedError } from '../errors.js';
import { record } from '../autograd/tape.js';
import type { TensorLike } from '../tensor/creation.js';
import { floatTypeOf } from '../tensor/dtype.js';
import { normalizeAxes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div } from './binary.js';
import { cast } from './cast.js';
import { backend, checkOptions, convert, makeTensor } from './op.js';
import { broadcastTo, reshape } from './shape.js';

/**
 * Reductions over any set of axes (`axis`: undefined for all, a number, or a list; negative
 * counts from the end) with `keepDims`: sum, mean, max, min, prod, variance, std, logSumExp,
 * norm; and argMax, argMin, topK.
 */

export interface ReduceOptions {
  /** Keep reduced axes as length 1 (default false). */
  keepDims?: boolean;
}

/** The shape of x with `axes` set to 1: what keepDims gives and what gradients reshape to. */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function outShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

/** Sum over `axis` (all axes by default). Bool sums count as int32. */
export function sum(x: TensorLike, axis?: number | readonly number[], options?: ReduceOptions): Tensor {
  const { keepDims = false } = checkOptions(options, 'sum', 'sum(x, axis, { keepDims: true })');
  let t = convert(x, 'sum', 'x');
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const axes = normalizeAxes(axis, t.rank, 'sum');
  if (axes.length === 0) return t;
  const shape = outShape(t.shape, axes, keepDims);
  const y = makeTensor(backend().reduce('sum', t, axes), shape, t.dtype);
  record('sum', [t], [y], ([dy]) => [broadcastTo(reshape(dy!, keptShape(t.shape, axes)), t.shape)]);
  return y;
}

/** Mean over `axis` (all axes by default); integer inputs give float32. */
export function mean(x: TensorLike, axis?: number | readonly number[], options?: ReduceOptions): Tensor {
  checkOptions(options, 'mean', 'mean(x, axis, { keepDims: true })');
  let t = convert(x, 'mean', 'x');
  t = cast(t, floatTypeOf(t.dtype));
  const axes = normalizeAxes(axis, t.rank, 'mean');
  const count = axes.reduce((n, a) => n * t.shape[a]!, 1);
  return div(sum(t, axes, options), count);
}

/** Largest value over `axis`; the gradient goes to every position equal to the max. */
export function max(x: TensorLike, axis?: number | readonly number[], options?: ReduceOptions): Tensor {
  throw new NotImplementedError('max');
}

/** Smallest value over `axis`; the gradient goes to every position equal to the min. */
export function min(x: TensorLike, axis?: number | readonly number[], options?: ReduceOptions): Tensor {
  throw new NotImplementedError('min');
}

/** Product over `axis`. */
export function prod(x: TensorLike, axis?: number | readonly number[], options?: ReduceOptions): Tensor {
  throw new NotImplementedError('prod');
}

/** Population variance (divides by n, as NumPy's default and Keras) over `axis`. */
export function variance(x: TensorLike, axis?: number | readonly number[], options?: ReduceOptions): Tensor {
  throw new NotImplementedError('variance');
}

/** Population standard deviation over `axis`. */
export function std(x: TensorLike, axis?: number | readonly number[], options?: ReduceOptions): Tensor {
  throw new NotImplementedError('std');
}

/** log Σ exp(x) over `axis`, computed stably (the max is subtracted first). */
export function logSumExp(x: TensorLike, axis?: number | readonly number[], options?: ReduceOptions): Tensor {
  throw new NotImplementedError('logSumExp');
}

export interface NormOptions extends ReduceOptions {
  /** 'euclidean' or 2 (default), 1, Infinity, or 'fro' (same as euclidean over the axes). */
  ord?: number | 'euclidean' | 'fro';
}

/** Vector norm over `axis` (all axes by default: the Frobenius norm of a matrix). */
export function norm(x: TensorLike, axis?: number | readonly number[], options?: NormOptions): Tensor {
  throw new NotImplementedError('norm');
}

/** Index of the largest value along `axis` (default -1, the last axis), as int32. */
export function argMax(x: TensorLike, axis = -1): Tensor {
  throw new NotImplementedError('argMax');
}

/** Index of the smallest value along `axis` (default -1, the last axis), as int32. */
export function argMin(x: TensorLike, axis = -1): Tensor {
  throw new NotImplementedError('argMin');
}

export interface TopKResult {
  values: Tensor;
  indices: Tensor;
}

/** The k largest entries along the last axis, largest first, with their int32 indices. */
export function topK(x: TensorLike, k = 1): TopKResult {
  throw new NotImplementedError('topK');
}
