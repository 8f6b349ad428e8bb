import { ConfigError, ShapeError, describe } from '../errors.js';
import { noGrad } from '../autograd/tape.js';
import { range, type TensorLike } from '../tensor/creation.js';
import { floatTypeOf, isFloat } from '../tensor/dtype.js';
import { formatShape, normalizeAxes, normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, equal, greater, mul, sub, where } from './binary.js';
import { cast } from './cast.js';
import { backend, checkOptions, convert, defineGradients, makeTensor } from './op.js';
import { optionKeys, type OptionKeySet } from '../validation.js';
import { broadcastTo, expandDims, reshape } from './shape.js';
import { abs, exp, log, sqrt, square } from './unary.js';

/**
 * Reductions over any set of axes (`axis`: undefined for all, a number, or a list; negative
 * counts from the end) with `keepDims`: sum, mean, max, min, prod, variance, std, logSumExp,
 * norm; and argMax, argMin, topK.
 */

export interface ReduceOptions {
  /** Keep reduced axes as length 1 (default false). */
  keepDims?: boolean;
}
const REDUCE_OPTION_KEY_SET: OptionKeySet<ReduceOptions> = { keepDims: true };
const REDUCE_OPTION_KEYS = optionKeys<ReduceOptions>()(REDUCE_OPTION_KEY_SET);

/** The shape of x with `axes` set to 1: what keepDims gives and what gradients reshape to. */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function outShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

/** dy reshaped to x's rank (reduced axes of length 1), ready to broadcast against x. */
function kept(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return reshape(dy, keptShape(x.shape, axes));
}

/** What a reduction saves: its input x, the reduced axes and, for most, its output y. */
interface Reduced {
  x: Tensor;
  axes: readonly number[];
}
interface ReducedTo extends Reduced {
  y: Tensor;
}
interface ReductionSaved {
  sum: Reduced;
  max: ReducedTo;
  min: ReducedTo;
  prod: Reduced;
  std: ReducedTo & { deviation: Tensor; count: number };
  /** yKept: the result with the reduced axes kept as length 1. */
  logSumExp: Reduced & { yKept: Tensor };
  norm: ReducedTo;
  topK: { indices: Tensor; n: number };
}

/** max and min: ties share the gradient equally (as TensorFlow's reduce_max), so it sums to dy. */
function extremeGradient(dy: Tensor, { x, y, axes }: ReducedTo): Tensor[] {
  const mask = cast(equal(x, kept(y, x, axes)), dy.dtype);
  const share = div(mask, sum(mask, axes, { keepDims: true }));
  return [mul(share, kept(dy, x, axes))];
}

const recordReduction = defineGradients<ReductionSaved>({
  sum: ([dy], { x, axes }) => [broadcastTo(kept(dy, x, axes), x.shape)],
  max: ([dy], saved) => extremeGradient(dy, saved),
  min: ([dy], saved) => extremeGradient(dy, saved),
  prod: ([dy], { x, axes }) => {
    const isZero = equal(x, 0);
    const zeros = sum(isZero, axes, { keepDims: true });
    const nonZeroProd = prod(where(isZero, 1, x), axes, { keepDims: true });
    // Product of the others: p/x when no zero; for the single zero, p; otherwise 0.
    const others = where(
      isZero,
      where(equal(zeros, 1), nonZeroProd, 0),
      where(equal(zeros, 0), div(nonZeroProd, where(isZero, 1, x)), 0),
    );
    return [mul(others, kept(dy, x, axes))];
  },
  // d std / dx = (x − mean) / (n · std); 0 where std is 0.
  std: ([dy], { x, y, axes, deviation, count }) => {
    const s = kept(y, x, axes);
    const scale = where(greater(s, 0), div(kept(dy, x, axes), mul(s, count)), 0);
    return [mul(deviation, scale)];
  },
  // softmax(x)·dy, written exp(x − logSumExp(x))·dy.
  logSumExp: ([dy], { x, yKept, axes }) => [mul(exp(sub(x, yKept)), kept(dy, x, axes))],
  norm: ([dy], { x, y, axes }) => {
    const n = kept(y, x, axes);
    return [mul(x, where(greater(n, 0), div(kept(dy, x, axes), n), 0))];
  },
  topK: ([dy], { indices, n }) => {
    // chosen[..., j, i] is 1 where the j-th pick is position i; summing over j scatters dy.
    const chosen = cast(equal(expandDims(indices, -1), range(0, n, { dtype: 'int32' })), dy.dtype);
    return [sum(mul(chosen, expandDims(dy, -1)), -2)];
  },
});

/**
 * Sum over `axis` (all axes by default; [] sums over nothing and returns x). Bool sums count
 * as int32.
 */
export function sum(
  x: TensorLike,
  axis?: number | readonly number[],
  options?: ReduceOptions,
): Tensor {
  const { keepDims = false } = checkOptions(
    options,
    'sum',
    'sum(x, axis, { keepDims: true })',
    REDUCE_OPTION_KEYS,
  );
  let t = convert(x, 'sum', 'x');
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const axes = normalizeAxes(axis, t.rank, 'sum');
  if (axes.length === 0) return t;
  const shape = outShape(t.shape, axes, keepDims);
  const y = makeTensor(backend().reduce('sum', t, axes), shape, t.dtype);
  recordReduction('sum', [t], [y], { x: t, axes });
  return y;
}

/** Mean over `axis` (all axes by default); integer and bool inputs give float32. */
export function mean(
  x: TensorLike,
  axis?: number | readonly number[],
  options?: ReduceOptions,
): Tensor {
  checkOptions(options, 'mean', 'mean(x, axis, { keepDims: true })', REDUCE_OPTION_KEYS);
  let t = convert(x, 'mean', 'x');
  t = cast(t, floatTypeOf(t.dtype));
  const axes = normalizeAxes(axis, t.rank, 'mean');
  const count = axes.reduce((n, a) => n * t.shape[a]!, 1);
  return div(sum(t, axes, options), count);
}

function extreme(
  op: 'max' | 'min',
  x: TensorLike,
  axis: number | readonly number[] | undefined,
  options?: ReduceOptions,
): Tensor {
  const { keepDims = false } = checkOptions(
    options,
    op,
    `${op}(x, axis, { keepDims: true })`,
    REDUCE_OPTION_KEYS,
  );
  const t = convert(x, op, 'x');
  const axes = normalizeAxes(axis, t.rank, op);
  if (axes.length === 0) return t;
  const y = makeTensor(backend().reduce(op, t, axes), outShape(t.shape, axes, keepDims), t.dtype);
  if (isFloat(t.dtype)) {
    recordReduction(op, [t], [y], { x: t, y, axes });
  }
  return y;
}

/**
 * Largest value over `axis` (bool: logical any). NaN propagates. The gradient goes to the
 * positions equal to the max, split equally among ties (as TensorFlow and Keras).
 */
export function max(
  x: TensorLike,
  axis?: number | readonly number[],
  options?: ReduceOptions,
): Tensor {
  return extreme('max', x, axis, options);
}

/**
 * Smallest value over `axis` (bool: logical all). NaN propagates. The gradient goes to the
 * positions equal to the min, split equally among ties.
 */
export function min(
  x: TensorLike,
  axis?: number | readonly number[],
  options?: ReduceOptions,
): Tensor {
  return extreme('min', x, axis, options);
}

/**
 * Product over `axis`; bool inputs give int32. The gradient of each element is the product of
 * the others, exact with zeros: computed from the product of the non-zero elements and the
 * count of zeros, with no division by zero.
 */
export function prod(
  x: TensorLike,
  axis?: number | readonly number[],
  options?: ReduceOptions,
): Tensor {
  const { keepDims = false } = checkOptions(
    options,
    'prod',
    'prod(x, axis, { keepDims: true })',
    REDUCE_OPTION_KEYS,
  );
  let t = convert(x, 'prod', 'x');
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const axes = normalizeAxes(axis, t.rank, 'prod');
  if (axes.length === 0) return t;
  const y = makeTensor(
    backend().reduce('prod', t, axes),
    outShape(t.shape, axes, keepDims),
    t.dtype,
  );
  if (isFloat(t.dtype)) {
    recordReduction('prod', [t], [y], { x: t, axes });
  }
  return y;
}

/**
 * Population variance (divides by n, as NumPy's default and Keras) over `axis`: the mean of
 * squared deviations from the mean. Integer inputs give float32.
 */
export function variance(
  x: TensorLike,
  axis?: number | readonly number[],
  options?: ReduceOptions,
): Tensor {
  checkOptions(options, 'variance', 'variance(x, axis, { keepDims: true })', REDUCE_OPTION_KEYS);
  let t = convert(x, 'variance', 'x');
  t = cast(t, floatTypeOf(t.dtype));
  const axes = normalizeAxes(axis, t.rank, 'variance');
  const deviation = sub(t, mean(t, axes, { keepDims: true }));
  return mean(square(deviation), axes, options);
}

/**
 * Population standard deviation over `axis`: sqrt(variance). Where all values are equal
 * (std 0) the gradient is 0 rather than NaN.
 */
export function std(
  x: TensorLike,
  axis?: number | readonly number[],
  options?: ReduceOptions,
): Tensor {
  const { keepDims = false } = checkOptions(
    options,
    'std',
    'std(x, axis, { keepDims: true })',
    REDUCE_OPTION_KEYS,
  );
  let t = convert(x, 'std', 'x');
  t = cast(t, floatTypeOf(t.dtype));
  const axes = normalizeAxes(axis, t.rank, 'std');
  const count = axes.reduce((n, a) => n * t.shape[a]!, 1);
  const [y, deviation] = noGrad(() => {
    const dev = sub(t, mean(t, axes, { keepDims: true }));
    return [sqrt(mean(square(dev), axes, { keepDims })), dev];
  });
  recordReduction('std', [t], [y], { x: t, y, axes, deviation, count });
  return y;
}

/**
 * log Σ exp(x) over `axis`, computed stably: the max is subtracted first, so large inputs do
 * not overflow. Its gradient is softmax(x)·dy, written exp(x − logSumExp(x))·dy from the
 * result (any number of axes, no transposes). Integer inputs give float32.
 */
export function logSumExp(
  x: TensorLike,
  axis?: number | readonly number[],
  options?: ReduceOptions,
): Tensor {
  const { keepDims = false } = checkOptions(
    options,
    'logSumExp',
    'logSumExp(x, axis, { keepDims: true })',
    REDUCE_OPTION_KEYS,
  );
  let t = convert(x, 'logSumExp', 'x');
  t = cast(t, floatTypeOf(t.dtype));
  const axes = normalizeAxes(axis, t.rank, 'logSumExp');
  if (axes.length === 0) return t;
  const yKept = noGrad(() => {
    // An infinite max would give inf − inf = NaN below; shifting by 0 instead is exact there.
    const m = max(t, axes, { keepDims: true });
    const shift = where(equal(abs(m), Infinity), 0, m);
    return add(log(sum(exp(sub(t, shift)), axes, { keepDims: true })), shift);
  });
  const y = keepDims ? yKept : reshape(yKept, outShape(t.shape, axes, false));
  recordReduction('logSumExp', [t], [y], { x: t, yKept, axes });
  return y;
}

export interface NormOptions extends ReduceOptions {
  /** 'euclidean' or 2 (default), 1, Infinity, or 'fro' (same as euclidean over the axes). */
  ord?: number | 'euclidean' | 'fro';
}
const NORM_OPTION_KEYS = optionKeys<NormOptions>()({ ...REDUCE_OPTION_KEY_SET, ord: true });

/**
 * Vector norm over `axis` (all axes by default: the Frobenius norm of a matrix), of the
 * values over all the given axes taken together: ord 2 ('euclidean', 'fro') is sqrt(Σ x²),
 * ord 1 is Σ |x|, ord Infinity is max |x|. Integer inputs give float32. The gradient at an
 * all-zero input is 0 (a subgradient), never NaN.
 */
export function norm(
  x: TensorLike,
  axis?: number | readonly number[],
  options?: NormOptions,
): Tensor {
  const { ord = 'euclidean', keepDims = false } = checkOptions(
    options,
    'norm',
    'norm(x, axis, { ord: 2 })',
    NORM_OPTION_KEYS,
  );
  let t = convert(x, 'norm', 'x');
  t = cast(t, floatTypeOf(t.dtype));
  const axes = normalizeAxes(axis, t.rank, 'norm');
  if (ord === 1) return sum(abs(t), axes, { keepDims });
  if (ord === Infinity) return axes.length === 0 ? abs(t) : max(abs(t), axes, { keepDims });
  if (ord !== 2 && ord !== 'euclidean' && ord !== 'fro') {
    throw new ConfigError(
      `norm: ord must be 1, 2, Infinity, 'euclidean' or 'fro', received ${describe(ord)}.`,
    );
  }
  if (axes.length === 0) return abs(t);
  const y = noGrad(() => sqrt(sum(square(t), axes, { keepDims })));
  recordReduction('norm', [t], [y], { x: t, y, axes });
  return y;
}

function argReduce(op: 'argMax' | 'argMin', x: TensorLike, axis: number): Tensor {
  const t = convert(x, op, 'x');
  if (t.rank === 0) {
    throw new ShapeError(`${op}: needs a tensor of rank >= 1, received a scalar (shape []).`);
  }
  const a = normalizeAxis(axis, t.rank, op);
  if (t.shape[a] === 0) {
    throw new ShapeError(
      `${op}: axis ${a} of shape ${formatShape(t.shape)} is empty; there is no index to return.`,
    );
  }
  const shape = t.shape.filter((_, i) => i !== a);
  return makeTensor(backend().argReduce(op, t, a), shape, 'int32');
}

/**
 * Index of the largest value along `axis` (default -1, the last axis), as int32. Ties give
 * the first index; NaN counts as the largest (as NumPy).
 */
export function argMax(x: TensorLike, axis = -1): Tensor {
  return argReduce('argMax', x, axis);
}

/**
 * Index of the smallest value along `axis` (default -1, the last axis), as int32. Ties give
 * the first index; NaN counts as the smallest (as NumPy).
 */
export function argMin(x: TensorLike, axis = -1): Tensor {
  return argReduce('argMin', x, axis);
}

export interface TopKResult {
  values: Tensor;
  indices: Tensor;
}

/**
 * The k largest entries along the last axis, largest first, with their int32 indices. Equal
 * values keep index order (lower index first); NaN counts as the largest. `values` has x's
 * dtype and is differentiable: its gradient goes back to the chosen positions.
 */
export function topK(x: TensorLike, k = 1): TopKResult {
  const t = convert(x, 'topK', 'x');
  if (t.rank === 0) {
    throw new ShapeError('topK: needs a tensor of rank >= 1, received a scalar (shape []).');
  }
  const n = t.shape[t.rank - 1]!;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > n) {
    throw new ConfigError(
      `topK: k must be an integer from 1 to n = ${n} (the last dimension of shape ${formatShape(t.shape)}), ` +
        `received k = ${describe(k)}.`,
    );
  }
  const shape = [...t.shape.slice(0, -1), k];
  const out = backend().topK(t, k);
  const values = makeTensor(out.values, shape, t.dtype);
  const indices = makeTensor(out.indices, shape, 'int32');
  if (isFloat(t.dtype)) {
    recordReduction('topK', [t], [values], { indices, n });
  }
  return { values, indices };
}
