import { allocArray, type DataArray, type DType } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { TensorInfo } from '../backend.js';
import { valuesOf } from './storage.js';

// Reference kernels for indexing: gather, scatterAdd, oneHot. Gather and scatterAdd view x as
// [outer, n, inner] (the axes before `axis`, the axis, the axes after it) and the gathered
// array as [outer, m, inner], where m is the number of indices; index p then moves one
// contiguous run of `inner` values between row indices[p] of x and row p of the gathered
// array. Indices are in range (ops/ checks).

function split3(shape: readonly number[], axis: number): [outer: number, n: number, inner: number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

export function gather(x: TensorInfo, indices: TensorInfo, axis: number): DataArray {
  const xv = valuesOf(x);
  const iv = valuesOf(indices);
  const [outer, n, inner] = split3(x.shape, axis);
  const m = iv.length;
  const out = allocArray(x.dtype, outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < m; p++) {
      const from = (o * n + iv[p]!) * inner;
      out.set(xv.subarray(from, from + inner), (o * m + p) * inner);
    }
  }
  return out;
}

export function scatterAdd(
  x: TensorInfo,
  indices: TensorInfo,
  updates: TensorInfo,
  axis: number,
): DataArray {
  const iv = valuesOf(indices);
  const uv = valuesOf(updates);
  const [outer, n, inner] = split3(x.shape, axis);
  const m = iv.length;
  const out = valuesOf(x).slice();
  for (let o = 0; o < outer; o++) {
    for (let p = 0; p < m; p++) {
      const to = (o * n + iv[p]!) * inner;
      const from = (o * m + p) * inner;
      for (let k = 0; k < inner; k++) out[to + k] = out[to + k]! + uv[from + k]!;
    }
  }
  return out;
}

/** Indices outside 0..depth-1 (negative ones included) give a row of offValue only. */
export function oneHot(
  indices: TensorInfo,
  depth: number,
  on: number,
  off: number,
  dtype: DType,
): DataArray {
  const iv = valuesOf(indices);
  const out = allocArray(dtype, iv.length * depth);
  out.fill(off);
  for (let p = 0; p < iv.length; p++) {
    const j = iv[p]!;
    if (j >= 0 && j < depth) out[p * depth + j] = on;
  }
  return out;
}
