import { allocArray, type DataArray } from '../../tensor/dtype.js';
import { sizeOf, stridesOf } from '../../tensor/shape.js';
import { NotImplementedError } from '../../errors.js';
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

export function argReduce(_op: 'argMax' | 'argMin', _x: TensorInfo, _axis: number): DataArray {
  throw new NotImplementedError('cpu argReduce');
}

export function topK(_x: TensorInfo, _k: number): { values: DataArray; indices: DataArray } {
  throw new NotImplementedError('cpu topK');
}
