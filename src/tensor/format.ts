import type { DataArray, DType } from './dtype.js';
import { formatShape, sizeOf, type Shape } from './shape.js';

/** Above this many elements, each axis shows only its first and last EDGE entries. */
const SUMMARIZE_ABOVE = 1000;
const EDGE = 3;

function formatValue(v: number, dtype: DType): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if (dtype === 'int32' || Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e6)) return v.toExponential(4);
  return String(Number(v.toPrecision(6)));
}

/**
 * Renders values the way NumPy and TensorFlow.js do:
 *   Tensor float32 [2, 3]
 *   [[1, 2, 3],
 *    [4, 5, 6]]
 */
export function formatTensor(values: DataArray, shape: Shape, dtype: DType): string {
  const summarize = sizeOf(shape) > SUMMARIZE_ABOVE;
  const indexes = (n: number): (number | undefined)[] =>
    summarize && n > 2 * EDGE
      ? [
          ...Array.from({ length: EDGE }, (_, i) => i),
          undefined,
          ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i),
        ]
      : Array.from({ length: n }, (_, i) => i);

  const render = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return formatValue(values[offset]!, dtype);
    const inner = sizeOf(shape.slice(dim + 1));
    const parts = indexes(shape[dim]!).map((i) =>
      i === undefined ? '...' : render(dim + 1, offset + i * inner, indent + ' '),
    );
    const last = dim === shape.length - 1;
    const sep = last ? ', ' : ',' + '\n'.repeat(shape.length - dim - 1) + indent + ' ';
    return '[' + parts.join(sep) + ']';
  };
  return `Tensor ${dtype} ${formatShape(shape)}\n${render(0, 0, '')}`;
}
