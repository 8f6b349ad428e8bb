import { ConfigError, IndexError, DTypeError, ShapeError, describe } from '../errors.js';
import { zeros, type TensorLike } from '../tensor/creation.js';
import { checkDType, upcast, type DType } from '../tensor/dtype.js';
import { checkSize, formatShape, normalizeAxis, shapesEqual, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { backend, checkOptions, convert, defineGradients, makeTensor } from './op.js';
import { optionKeys } from '../validation.js';

/**
 * Ops that pick or place values by index: gather, scatterAdd, oneHot. Indices are int32: a
 * tensor of another dtype is an error (cast it), while plain arrays and typed arrays of whole
 * numbers are converted.
 */

/**
 * gather and scatterAdd are each other's gradient; indices get none. Each saves the indices
 * and the (normalized) axis, gather also x's shape. oneHot records nothing (integer input).
 */
interface IndexingSaved {
  gather: { shape: readonly number[]; indices: Tensor; axis: number };
  scatterAdd: { indices: Tensor; axis: number };
}
const recordIndexing = defineGradients<IndexingSaved>({
  gather: ([dy], { shape, indices, axis }) => [
    scatterAdd(zeros(shape, dy.dtype), indices, dy, { axis }),
    undefined,
  ],
  scatterAdd: ([dy], { indices, axis }) => [dy, undefined, gather(dy, indices, { axis })],
});

/** `indices` as an int32 tensor, or a DTypeError saying how to get one. */
function toIndices(indices: TensorLike, op: string): Tensor {
  if (indices instanceof Tensor) {
    if (indices.dtype !== 'int32') {
      throw new DTypeError(
        `${op}: indices must have dtype int32, received a ${indices.dtype} tensor of shape ` +
          `${formatShape(indices.shape)}. Convert it with sn.cast(indices, 'int32').`,
      );
    }
    return convert(indices, op, 'indices');
  }
  // Read plain numbers exactly (float64) so that 1.5 is reported rather than truncated.
  const t = convert(indices, op, 'indices', 'float64');
  const values = t.dataSync();
  const p = values.findIndex((v) => !Number.isInteger(v));
  if (p >= 0) {
    throw new DTypeError(
      `${op}: indices must be whole numbers, received ${values[p]} at ${position(p, t.shape)}.`,
    );
  }
  return cast(t, 'int32');
}

/** "indices[1, 0]" for flat position p of an indices tensor of `shape`. */
function position(p: number, shape: readonly number[]): string {
  if (shape.length === 0) return 'indices (a scalar)';
  const strides = stridesOf(shape);
  return `indices[${strides.map((s, d) => Math.floor(p / s) % shape[d]!).join(', ')}]`;
}

/** Throws a ConfigError naming the first index outside 0..x.shape[axis]-1. */
function checkInRange(indices: Tensor, xShape: readonly number[], axis: number, op: string): void {
  const n = xShape[axis]!;
  const values = indices.dataSync();
  const p = values.findIndex((j) => j < 0 || j >= n);
  if (p < 0) return;
  const j = values[p]!;
  const range = n === 0 ? 'it has length 0, so no index is valid' : `valid indices are 0..${n - 1}`;
  throw new IndexError(
    `${op}: index ${j} at ${position(p, indices.shape)} is out of range for axis ${axis} of x with shape ` +
      `${formatShape(xShape)}; ${range}.${j < 0 ? ' Negative indices are not supported; use x.shape[axis] - k.' : ''}`,
  );
}

/** x.shape[:axis] + indices.shape + x.shape[axis+1:] */
function gatheredShape(
  xShape: readonly number[],
  indicesShape: readonly number[],
  axis: number,
): number[] {
  return [...xShape.slice(0, axis), ...indicesShape, ...xShape.slice(axis + 1)];
}

export interface GatherOptions {
  /** Axis of x that the indices select along (default 0; negative counts from the end). */
  axis?: number;
}
const GATHER_OPTION_KEYS = optionKeys<GatherOptions>()({ axis: true });

/**
 * Slices of x along `axis` at int32 `indices` (any shape; a plain array of numbers is
 * accepted): the result has shape x.shape[:axis] + indices.shape + x.shape[axis+1:]. Every
 * index must be in 0..x.shape[axis]-1 (negative indices are an error). Its gradient is
 * scatterAdd, so repeated indices accumulate.
 *
 *   sn.gather(sn.tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]) // [[5, 6], [1, 2]]
 */
export function gather(x: TensorLike, indices: TensorLike, options?: GatherOptions): Tensor {
  const { axis = 0 } = checkOptions(
    options,
    'gather',
    'gather(x, indices, { axis: 1 })',
    GATHER_OPTION_KEYS,
  );
  const t = convert(x, 'gather', 'x');
  const a = normalizeAxis(axis, t.rank, 'gather');
  const idx = toIndices(indices, 'gather');
  checkInRange(idx, t.shape, a, 'gather');
  const shape = gatheredShape(t.shape, idx.shape, a);
  const y = makeTensor(backend().gather(t, idx, a), shape, t.dtype);
  recordIndexing('gather', [t, idx], [y], { shape: t.shape, indices: idx, axis: a });
  return y;
}

export interface ScatterAddOptions {
  /** Axis of x that the indices address (default 0; negative counts from the end). */
  axis?: number;
}
const SCATTER_ADD_OPTION_KEYS = optionKeys<ScatterAddOptions>()({ axis: true });

/**
 * x with `updates` added at `indices` along `axis`; repeated indices accumulate. `updates`
 * has the shape gather(x, indices, { axis }) has. Dtypes are promoted as in add (bool counts
 * as int32). This is the gradient of gather; its own gradient is dy for x and
 * gather(dy, indices) for updates.
 */
export function scatterAdd(
  x: TensorLike,
  indices: TensorLike,
  updates: TensorLike,
  options?: ScatterAddOptions,
): Tensor {
  const { axis = 0 } = checkOptions(
    options,
    'scatterAdd',
    'scatterAdd(x, indices, updates, { axis: 1 })',
    SCATTER_ADD_OPTION_KEYS,
  );
  const tx = convert(x, 'scatterAdd', 'x');
  const tu = convert(updates, 'scatterAdd', 'updates', tx.dtype);
  let dtype = upcast(tx.dtype, tu.dtype);
  if (dtype === 'bool') dtype = 'int32';
  const t = cast(tx, dtype);
  const u = cast(tu, dtype);
  const a = normalizeAxis(axis, t.rank, 'scatterAdd');
  const idx = toIndices(indices, 'scatterAdd');
  checkInRange(idx, t.shape, a, 'scatterAdd');
  const expected = gatheredShape(t.shape, idx.shape, a);
  if (!shapesEqual(u.shape, expected)) {
    throw new ShapeError(
      `scatterAdd: updates have shape ${formatShape(u.shape)}, but indices of shape ${formatShape(idx.shape)} ` +
        `along axis ${a} of x with shape ${formatShape(t.shape)} need updates of shape ${formatShape(expected)} ` +
        '(x.shape[:axis] + indices.shape + x.shape[axis+1:]).',
    );
  }
  const y = makeTensor(backend().scatterAdd(t, idx, u, a), t.shape, dtype);
  recordIndexing('scatterAdd', [t, idx, u], [y], { indices: idx, axis: a });
  return y;
}

export interface OneHotOptions {
  /** Value at each index (default 1). */
  onValue?: number;
  /** Value everywhere else (default 0). */
  offValue?: number;
  /** Default float32. */
  dtype?: DType;
}
const ONE_HOT_OPTION_KEYS = optionKeys<OneHotOptions>()({
  onValue: true,
  offValue: true,
  dtype: true,
});

/**
 * A new last axis of length `depth`: onValue (1) at each index, offValue (0) elsewhere. As
 * tf.oneHot, an index outside 0..depth-1 (negative ones included) gives a row of offValue
 * only, not an error. No gradient (indices are integers).
 *
 *   sn.oneHot([0, 2, 5], 3) // [[1, 0, 0], [0, 0, 1], [0, 0, 0]]
 */
export function oneHot(indices: TensorLike, depth: number, options?: OneHotOptions): Tensor {
  const {
    onValue = 1,
    offValue = 0,
    dtype = 'float32',
  } = checkOptions(
    options,
    'oneHot',
    "oneHot(labels, 10, { dtype: 'int32' })",
    ONE_HOT_OPTION_KEYS,
  );
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1) {
    throw new ConfigError(
      `oneHot: depth must be a positive integer (the number of classes), received ${describe(depth)}.`,
    );
  }
  if (typeof onValue !== 'number' || typeof offValue !== 'number') {
    throw new ConfigError(
      `oneHot: onValue and offValue must be numbers, received ${describe(onValue)} and ${describe(offValue)}.`,
    );
  }
  checkDType(dtype, 'oneHot');
  const idx = toIndices(indices, 'oneHot');
  const shape = [...idx.shape, depth];
  checkSize(shape, 'oneHot');
  return makeTensor(backend().oneHot(idx, depth, onValue, offValue, dtype), shape, dtype);
}
