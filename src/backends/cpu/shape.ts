import { allocArray, type DataArray } from '../../tensor/dtype.js';
import { sizeOf, stridesOf, type Shape } from '../../tensor/shape.js';
import type { TensorInfo } from '../backend.js';
import { valuesOf } from './storage.js';

// Reference kernels for layout ops: transpose, slice, pad, concat, tile. Each one is a walk
// over a block of positions in row-major order, copying values; none does arithmetic, so all
// of them work for every dtype.

/**
 * Visits every position of `shape` in row-major order and calls `body(i, offset)` with the
 * position's flat index and `start + Σ index[d] · strides[d]` (the matching offset in some
 * other array, kept up to date with one addition per step, as an odometer).
 */
function walk(
  shape: Shape,
  strides: readonly number[],
  start: number,
  body: (i: number, offset: number) => void,
): void {
  const rank = shape.length;
  const size = sizeOf(shape);
  if (size === 0) return;
  const index = new Array<number>(rank).fill(0);
  let offset = start;
  for (let i = 0; i < size; i++) {
    body(i, offset);
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      offset += strides[d]!;
      if (index[d]! < shape[d]!) break;
      offset -= strides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
}

/** Output axis i is input axis perm[i]: walk the output, stepping through x by permuted strides. */
export function transpose(x: TensorInfo, perm: readonly number[]): DataArray {
  const xv = valuesOf(x);
  const xStrides = stridesOf(x.shape);
  const outShape = perm.map((p) => x.shape[p]!);
  const out = allocArray(x.dtype, xv.length);
  walk(
    outShape,
    perm.map((p) => xStrides[p]!),
    0,
    (i, offset) => {
      out[i] = xv[offset]!;
    },
  );
  return out;
}

/** Walk the block's shape, stepping through x by its own strides from the block's corner. */
export function slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataArray {
  const xv = valuesOf(x);
  const xStrides = stridesOf(x.shape);
  const start = begin.reduce((s, b, d) => s + b * xStrides[d]!, 0);
  const out = allocArray(x.dtype, sizeOf(size));
  walk(size, xStrides, start, (i, offset) => {
    out[i] = xv[offset]!;
  });
  return out;
}

/** Fill the output with `value`, then walk x, writing each value at its shifted place. */
export function pad(
  x: TensorInfo,
  paddings: readonly (readonly [number, number])[],
  value: number,
): DataArray {
  const xv = valuesOf(x);
  const outShape = x.shape.map((d, i) => paddings[i]![0] + d + paddings[i]![1]);
  const outStrides = stridesOf(outShape);
  const start = paddings.reduce((s, [before], d) => s + before * outStrides[d]!, 0);
  const out = allocArray(x.dtype, sizeOf(outShape));
  out.fill(value);
  walk(x.shape, outStrides, start, (i, offset) => {
    out[offset] = xv[i]!;
  });
  return out;
}

/**
 * Seen as [outer, length along axis, inner], each input is `outer` contiguous chunks; the
 * output row o is the o-th chunk of every input, one after another.
 */
export function concat(xs: readonly TensorInfo[], axis: number, outShape: Shape): DataArray {
  const outer = sizeOf(outShape.slice(0, axis));
  const inner = sizeOf(outShape.slice(axis + 1));
  const outRow = outShape[axis]! * inner;
  const out = allocArray(xs[0]!.dtype, sizeOf(outShape));
  let column = 0;
  for (const x of xs) {
    const xv = valuesOf(x);
    const chunk = x.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) {
      out.set(xv.subarray(o * chunk, (o + 1) * chunk), o * outRow + column);
    }
    column += chunk;
  }
  return out;
}

/**
 * The output of shape [r0·d0, r1·d1, ...] is, in row-major order, an array of shape
 * [r0, d0, r1, d1, ...]: walk that, stepping 0 along each repeat axis and x's stride along
 * each of its own axes.
 */
export function tile(x: TensorInfo, reps: readonly number[]): DataArray {
  const xv = valuesOf(x);
  const xStrides = stridesOf(x.shape);
  const interleaved = x.shape.flatMap((d, i) => [reps[i]!, d]);
  const strides = xStrides.flatMap((s) => [0, s]);
  const out = allocArray(x.dtype, sizeOf(interleaved));
  walk(interleaved, strides, 0, (i, offset) => {
    out[i] = xv[offset]!;
  });
  return out;
}
