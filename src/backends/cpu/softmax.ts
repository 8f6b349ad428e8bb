import { allocArray, type DataArray } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { TensorInfo } from '../backend.js';
import { valuesOf } from './storage.js';

/**
 * Reference softmax / logSoftmax along `axis`, one line at a time. Each line (x₀ … xₙ₋₁) is
 * shifted by its maximum m first, so no exp overflows:
 *   softmax:    yᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m)
 *   logSoftmax: yᵢ = (xᵢ − m) − log Σⱼ exp(xⱼ − m)
 * computed in float64 and rounded once to x's dtype. Special values follow the formula:
 * −Infinity entries (masked logits) give 0 (−Infinity for log) as long as the line has a
 * finite maximum; a line holding NaN or +Infinity, or only −Infinity, is all NaN (as in
 * TensorFlow and the composition of max, sub, exp, sum and div).
 */
export function softmax(x: TensorInfo, axis: number, log: boolean): DataArray {
  const xv = valuesOf(x);
  const outer = sizeOf(x.shape.slice(0, axis));
  const n = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = allocArray(x.dtype, xv.length);
  const shifted = new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let m = -Infinity;
      for (let r = 0; r < n; r++) m = Math.max(m, xv[base + r * inner]!);
      let sum = 0;
      for (let r = 0; r < n; r++) {
        shifted[r] = xv[base + r * inner]! - m;
        sum += Math.exp(shifted[r]!);
      }
      const logSum = Math.log(sum);
      for (let r = 0; r < n; r++) {
        const s = shifted[r]!;
        out[base + r * inner] = log ? s - logSum : Math.exp(s) / sum;
      }
    }
  }
  return out;
}
