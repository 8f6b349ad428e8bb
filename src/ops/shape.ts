import { record } from '../autograd/tape.js';
import { NotImplementedError, ShapeError, describe } from '../errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { scalar } from '../tensor/creation.js';
import { broadcastShapes, formatShape, normalizeAxes, normalizeAxis, shapesEqual, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { unbroadcast } from './binary.js';
import { convert } from './op.js';
import { backend, makeTensor } from './op.js';

/**
 * Ops that change how values are laid out: reshape, expandDims, squeeze, broadcastTo,
 * transpose, concat, stack, split, slice, pad, tile.
 */

/**
 * The same values with a new shape; one dimension may be -1 (inferred). Shares the values
 * with `x` (no copy).
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = convert(x, 'reshape', 'x');
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new ShapeError(
      `reshape: shape must be an array of non-negative integers with at most one -1, received ${describe(shape)}.`,
    );
  }
  const unknown = shape.indexOf(-1);
  if (unknown !== shape.lastIndexOf(-1)) {
    throw new ShapeError(`reshape: at most one dimension can be -1, received ${formatShape(shape)}.`);
  }
  const out = shape.slice();
  if (unknown >= 0) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || t.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape a tensor of shape ${formatShape(t.shape)} (${t.size} values) into ${formatShape(shape)}: ` +
          `${t.size} is not a multiple of ${known}.`,
      );
    }
    out[unknown] = t.size / known;
  }
  if (sizeOf(out) !== t.size) {
    throw new ShapeError(
      `reshape: cannot reshape a tensor of shape ${formatShape(t.shape)} (${t.size} values) into ` +
        `${formatShape(shape)} (${sizeOf(out)} values); the sizes must match. Use -1 for one dimension to infer it.`,
    );
  }
  if (shapesEqual(out, t.shape)) return t;
  const y = new Tensor(t.dataId, out, t.dtype, t.store);
  record('reshape', [t], [y], ([dy]) => [reshape(dy!, t.shape)]);
  return y;
}

/** Inserts an axis of length 1 at `axis` (default 0; negative counts from the end). */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = convert(x, 'expandDims', 'x');
  const a = normalizeAxis(axis, t.rank + 1, 'expandDims');
  const shape = t.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(t, shape);
}

/** Removes axes of length 1: the listed ones (an error if one is not 1), or all of them. */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = convert(x, 'squeeze', 'x');
  const axes = axis === undefined ? t.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(axis, t.rank, 'squeeze');
  for (const a of axes) {
    if (t.shape[a] !== 1) {
      throw new ShapeError(
        `squeeze: axis ${a} of shape ${formatShape(t.shape)} has length ${t.shape[a]}, not 1; only axes of length 1 can be squeezed.`,
      );
    }
  }
  return reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

/** Repeats `x` along broadcast axes to `shape` (NumPy broadcasting rules). */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = convert(x, 'broadcastTo', 'x');
  const target = broadcastShapes(t.shape, shape, 'broadcastTo');
  if (!shapesEqual(target, shape)) {
    throw new ShapeError(
      `broadcastTo: a tensor of shape ${formatShape(t.shape)} cannot be broadcast to ${formatShape(shape)}; ` +
        `it would need shape ${formatShape(target)}.`,
    );
  }
  if (shapesEqual(t.shape, shape)) return t;
  const zero = scalar(0, t.dtype === 'bool' ? 'int32' : t.dtype);
  const src = t.dtype === 'bool' ? makeTensor(backend().cast(t, 'int32'), t.shape, 'int32') : t;
  let y = makeTensor(backend().binary('add', src, zero, shape, src.dtype), shape, src.dtype);
  if (t.dtype === 'bool') y = makeTensor(backend().cast(y, 'bool'), shape, 'bool');
  record('broadcastTo', [t], [y], ([dy]) => [unbroadcast(dy!, t.shape)]);
  return y;
}

/** Permutes axes: output axis i is input axis perm[i] (default: reversed axes). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  throw new NotImplementedError('transpose');
}

/** Joins tensors along an existing `axis` (default 0); other dimensions must match. */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  throw new NotImplementedError('concat');
}

/** Joins tensors of one shape along a new `axis` (default 0). */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  throw new NotImplementedError('stack');
}

export interface SplitOptions {
  /** Axis to split along (default 0). */
  axis?: number;
}

/**
 * Splits along `axis` into `numOrSizes` equal parts (a number that divides the length) or
 * into parts of the given sizes (one may be -1, inferred).
 */
export function split(x: TensorLike, numOrSizes: number | readonly number[], options?: SplitOptions): Tensor[] {
  throw new NotImplementedError('split');
}

export interface SliceOptions {
  /** Extent on each axis; -1 or a missing entry means "to the end" (default: all to the end). */
  size?: readonly number[];
}

/** The block of x starting at `begin` (a number is the start on axis 0). */
export function slice(x: TensorLike, begin: number | readonly number[], options?: SliceOptions): Tensor {
  throw new NotImplementedError('slice');
}

export interface PadOptions {
  /** Value written into the padding (default 0). */
  constantValue?: number;
}

/** Pads axis i with paddings[i] = [before, after] entries. */
export function pad(x: TensorLike, paddings: readonly (readonly [number, number])[], options?: PadOptions): Tensor {
  throw new NotImplementedError('pad');
}

/** Repeats x reps[i] times along axis i. */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  throw new NotImplementedError('tile');
}
