import { isTrailing, sizeOf, type Shape } from '../../tensor/shape.js';

/**
 * How a broadcast binary op maps onto the wasm kernels: `row` when the smaller operand repeats
 * along the leading axes (same shape, scalar, bias row), `col` when it repeats along the
 * trailing axes (a [..., 1] column), undefined for the rest (they take stridedLayout below).
 */
export type BinaryLayout =
  | { readonly kind: 'row'; readonly partFirst: boolean; readonly period: number }
  | { readonly kind: 'col'; readonly partFirst: boolean; readonly outer: number };

/** `shape`, aligned right against `outShape`, matches it on a prefix of axes and is 1 after. */
function isLeading(shape: Shape, outShape: Shape): boolean {
  const lead = outShape.length - shape.length;
  const aligned = [...new Array<number>(lead).fill(1), ...shape];
  let i = 0;
  while (i < aligned.length && aligned[i] === outShape[i]) i++;
  for (let j = i; j < aligned.length; j++) if (aligned[j] !== 1) return false;
  return true;
}

export function binaryLayout(a: Shape, b: Shape, outShape: Shape): BinaryLayout | undefined {
  const size = sizeOf(outShape);
  const aFull = sizeOf(a) === size;
  const bFull = sizeOf(b) === size;
  if (aFull && isTrailing(b, outShape)) return { kind: 'row', partFirst: false, period: sizeOf(b) };
  if (bFull && isTrailing(a, outShape)) return { kind: 'row', partFirst: true, period: sizeOf(a) };
  if (aFull && isLeading(b, outShape)) return { kind: 'col', partFirst: false, outer: sizeOf(b) };
  if (bFull && isLeading(a, outShape)) return { kind: 'col', partFirst: true, outer: sizeOf(a) };
  return undefined;
}

/** [outer, n, inner] when `axes` (sorted) are one contiguous run, else undefined. */
export function reduceLayout(
  shape: Shape,
  axes: readonly number[],
): [number, number, number] | undefined {
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  if (last - first + 1 !== axes.length) return undefined;
  return [
    sizeOf(shape.slice(0, first)),
    sizeOf(shape.slice(first, last + 1)),
    sizeOf(shape.slice(last + 1)),
  ];
}

/**
 * Any broadcast of a and b to `outShape`, collapsed for the strided kernel
 * (assembly/broadcast.ts): axes of output size 1 are dropped and adjacent axes on which each
 * operand is either full on both or broadcast on both are merged. The result has at least one
 * axis; strides are in elements (0 where the operand is broadcast), and on the last axis each
 * operand's stride is 1 or 0 (never both 0). Sizes of 0 are the caller's to skip.
 */
export interface StridedLayout {
  readonly dims: number[];
  readonly aStrides: number[];
  readonly bStrides: number[];
}

export function stridedLayout(a: Shape, b: Shape, outShape: Shape): StridedLayout {
  const rank = outShape.length;
  const full = (shape: Shape, d: number): boolean => {
    const k = d - (rank - shape.length);
    return k >= 0 && shape[k] !== 1;
  };
  const dims: number[] = [];
  const aFull: boolean[] = [];
  const bFull: boolean[] = [];
  for (let d = 0; d < rank; d++) {
    const n = outShape[d]!;
    if (n === 1) continue;
    const fa = full(a, d);
    const fb = full(b, d);
    const last = dims.length - 1;
    if (last >= 0 && aFull[last] === fa && bFull[last] === fb) {
      dims[last] = dims[last]! * n;
    } else {
      dims.push(n);
      aFull.push(fa);
      bFull.push(fb);
    }
  }
  if (dims.length === 0) return { dims: [1], aStrides: [1], bStrides: [1] };
  const strides = (isFull: boolean[]): number[] => {
    const out = new Array<number>(dims.length);
    let step = 1;
    for (let d = dims.length - 1; d >= 0; d--) {
      out[d] = isFull[d] ? step : 0;
      if (isFull[d]) step *= dims[d]!;
    }
    return out;
  };
  return { dims, aStrides: strides(aFull), bStrides: strides(bFull) };
}
