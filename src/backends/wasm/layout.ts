import { isTrailing, sizeOf, type Shape } from '../../tensor/shape.js';

/**
 * How a broadcast binary op maps onto the wasm kernels: `row` when the smaller operand repeats
 * along the leading axes (same shape, scalar, bias row), `col` when it repeats along the
 * trailing axes (a [..., 1] column), undefined for the rest (they run on cpu).
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
