import { allocArray, type DataArray } from '../../tensor/dtype.js';
import { sizeOf, stridesOf } from '../../tensor/shape.js';
import type { ReduceOp, TensorInfo } from '../backend.js';
import { valuesOf } from './storage.js';

// Reference kernels for reductions: reduce (sum, prod, max, min), argReduce, topK.

const IDENTITY: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

const COMBINE: Record<ReduceOp, (acc: number, v: number) => number> = {
  sum: (acc, v) => acc + v,
  prod: (acc, v) => acc * v,
  // NaN propagates, as in NumPy and TensorFlow.
  max: (acc, v) => (v > acc || Number.isNaN(v) ? v : acc),
  min: (acc, v) => (v < acc || Number.isNaN(v) ? v : acc),
};

/**
 * Reduces over `axes`. Each input element is mapped to its output slot through the output
 * strides of the kept axes (0 for the reduced ones); accumulation is in float64 for floats.
 */
export function reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataArray {
  const xv = valuesOf(x);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = sizeOf(kept);
  const acc = new Float64Array(outSize).fill(IDENTITY[op]);
  const outStrides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
  const rank = x.shape.length;
  const index = new Array<number>(rank).fill(0);
  const f = COMBINE[op];
  let o = 0;
  for (let i = 0; i < xv.length; i++) {
    acc[o] = f(acc[o]!, xv[i]!);
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      o += outStrides[d]!;
      if (index[d]! < x.shape[d]!) break;
      o -= outStrides[d]! * x.shape[d]!;
      index[d] = 0;
    }
  }
  const out = allocArray(x.dtype, outSize);
  out.set(acc);
  return out;
}

/** Splits x's shape around `axis` into [outer, length, inner] for strided loops. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/**
 * Index of the largest (argMax) or smallest (argMin) value along `axis`, as int32. Ties give
 * the first index; a NaN counts as the extreme (its first occurrence wins), as in NumPy. The
 * axis must be non-empty (ops/ checks).
 */
export function argReduce(op: 'argMax' | 'argMin', x: TensorInfo, axis: number): DataArray {
  const xv = valuesOf(x);
  const [outer, n, inner] = around(x.shape, axis);
  const better =
    op === 'argMax' ? (v: number, best: number) => v > best : (v: number, best: number) => v < best;
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let bestIndex = 0;
      let best = xv[base]!;
      for (let j = 1; j < n && !Number.isNaN(best); j++) {
        const v = xv[base + j * inner]!;
        if (better(v, best) || Number.isNaN(v)) {
          best = v;
          bestIndex = j;
        }
      }
      out[o * inner + i] = bestIndex;
    }
  }
  return out;
}

/**
 * The k largest values along the last axis in descending order, and their int32 indices.
 * Equal values keep their original order (lower index first); NaN counts as the largest, as
 * in PyTorch. Each row is sorted once: O(n log n) per row.
 */
export function topK(x: TensorInfo, k: number): { values: DataArray; indices: DataArray } {
  const xv = valuesOf(x);
  const n = x.shape[x.shape.length - 1]!;
  const rows = n === 0 ? 0 : xv.length / n;
  const values = allocArray(x.dtype, rows * k);
  const indices = new Int32Array(rows * k);
  const order = Array.from({ length: n }, (_, j) => j);
  for (let r = 0; r < rows; r++) {
    const row = xv.subarray(r * n, (r + 1) * n);
    // Descending, NaN first. Array.prototype.sort is stable, so ties keep index order.
    const descending = (a: number, b: number): number => {
      const va = row[a]!;
      const vb = row[b]!;
      if (Number.isNaN(va) || Number.isNaN(vb))
        return Number(Number.isNaN(vb)) - Number(Number.isNaN(va));
      return va > vb ? -1 : va < vb ? 1 : 0;
    };
    for (let j = 0; j < n; j++) order[j] = j;
    order.sort(descending);
    for (let j = 0; j < k; j++) {
      values[r * k + j] = row[order[j]!]!;
      indices[r * k + j] = order[j]!;
    }
  }
  return { values, indices };
}
