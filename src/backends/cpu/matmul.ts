import type { DataArray } from '../../tensor/dtype.js';
import { batchOffsets, sizeOf, type Shape } from '../../tensor/shape.js';
import type { TensorInfo } from '../backend.js';
import { alloc, valuesOf } from './storage.js';

const MR = 4; // rows of a register tile
const NR = 4; // columns of a register tile
const KC = 256; // depth of a packed slice
const MC = 64; // rows of a packed block of A
const NC = 256; // columns of a packed block of B

/**
 * One operand seen as op(X): element (i, j) of op(X) for output batch t is at
 * values[offsets[t] + i·rowStride + j·colStride].
 */
interface Operand {
  readonly values: DataArray;
  readonly offsets: number[];
  readonly rowStride: number;
  readonly colStride: number;
}

/**
 * Reference batched matrix product: C = op(A)·op(B) for every batch, where op transposes the
 * last two axes when asked. It is the oracle for faster backends, and fast enough to train
 * with, so it is blocked the way BLAS libraries are (Goto's scheme), in plain TypeScript:
 *
 * - k is cut into slices of KC and n into blocks of NC. For each slice, the KC×NC block of
 *   op(B) is packed into panels of 4 columns (panel-major, then p, then column), and each
 *   MC×KC block of op(A) into panels of 4 rows. Packing reads through strides, so a transpose
 *   costs nothing extra; it pads edge panels with zeros, so the micro-kernel always computes a
 *   full tile; and it turns values into doubles once.
 * - The micro-kernel multiplies one 4-row panel of A by one 4-column panel of B: 16 sums held
 *   in local variables over the whole slice (8 loads feed 16 multiply-adds), then added into
 *   C. The two panels in use (2 × 4 × KC doubles) stay in L1, the packed blocks in L2.
 * - C is accumulated in a Float64Array (the output itself when it is float64) and stored into
 *   the output's dtype once per batch, so every dtype is summed in doubles.
 *
 * Batch dimensions broadcast by NumPy's rules; a k of 0 gives zeros.
 */
export function matmul(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  outShape: Shape,
): DataArray {
  const rank = outShape.length;
  const m = outShape[rank - 2]!;
  const n = outShape[rank - 1]!;
  const k = a.shape[a.shape.length - (transposeA ? 2 : 1)]!;
  const batchShape = outShape.slice(0, rank - 2);
  const A = operand(a, transposeA, batchShape);
  const B = operand(b, transposeB, batchShape);

  const out = alloc(a.dtype, sizeOf(outShape));
  if (m === 0 || n === 0 || k === 0) return out;
  const direct = out instanceof Float64Array;
  const acc = direct ? out : new Float64Array(m * n);
  const aPack = new Float64Array(roundUp(Math.min(m, MC), MR) * Math.min(k, KC));
  const bPack = new Float64Array(roundUp(Math.min(n, NC), NR) * Math.min(k, KC));

  for (let t = 0; t < sizeOf(batchShape); t++) {
    const cOff = direct ? t * m * n : 0;
    if (!direct) acc.fill(0);
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        // op(B)[pc:pc+kc, jc:jc+nc]: p indexes rows of op(B), j columns.
        packPanels(B, t, pc, jc, kc, nc, NR, B.rowStride, B.colStride, bPack);
        for (let ic = 0; ic < m; ic += MC) {
          const mc = Math.min(MC, m - ic);
          // op(A)[ic:ic+mc, pc:pc+kc] transposed into panels: p indexes columns of op(A).
          packPanels(A, t, pc, ic, kc, mc, MR, A.colStride, A.rowStride, aPack);
          for (let jr = 0; jr < nc; jr += NR) {
            for (let ir = 0; ir < mc; ir += MR) {
              const c = cOff + (ic + ir) * n + jc + jr;
              microKernel(
                aPack,
                ir * kc,
                bPack,
                jr * kc,
                kc,
                acc,
                c,
                n,
                Math.min(MR, mc - ir),
                Math.min(NR, nc - jr),
              );
            }
          }
        }
      }
    }
    if (!direct) out.set(acc, t * m * n);
  }
  return out;
}

function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}

/** Strides of op(x)'s matrices and the offset of each of them for every output batch index. */
function operand(x: TensorInfo, transpose: boolean, batchShape: Shape): Operand {
  const cols = x.shape[x.shape.length - 1]!;
  const offsets = batchOffsets(x.shape, batchShape);
  return transpose
    ? { values: valuesOf(x), offsets, rowStride: 1, colStride: cols }
    : { values: valuesOf(x), offsets, rowStride: cols, colStride: 1 };
}

/**
 * Packs a depth × width block of X's batch matrix t into panels of `w` along the width:
 * dst[(panel·depth + p)·w + q] = X[p0 + p along pStride][q0 + panel·w + q along qStride],
 * zero past the block's width.
 */
function packPanels(
  X: Operand,
  t: number,
  p0: number,
  q0: number,
  depth: number,
  width: number,
  w: number,
  pStride: number,
  qStride: number,
  dst: Float64Array,
): void {
  const src = X.values;
  const base = X.offsets[t]! + p0 * pStride + q0 * qStride;
  for (let q = 0; q < width; q += w) {
    const panel = q * depth;
    const cols = Math.min(w, width - q);
    for (let p = 0; p < depth; p++) {
      const from = base + p * pStride + q * qStride;
      const to = panel + p * w;
      for (let u = 0; u < cols; u++) dst[to + u] = src[from + u * qStride]!;
      for (let u = cols; u < w; u++) dst[to + u] = 0;
    }
  }
}

/**
 * C[c + r·ldc + s] += Σ_p a[aOff + 4p + r] · b[bOff + 4p + s] for r < rows, s < cols: one
 * 4×4 register tile over a packed slice of depth kc. (Laid out by hand: one tile row a line.)
 */
// prettier-ignore
function microKernel(
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  kc: number,
  C: Float64Array,
  c: number,
  ldc: number,
  rows: number,
  cols: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const i = aOff + 4 * p;
    const j = bOff + 4 * p;
    const a0 = a[i]!, a1 = a[i + 1]!, a2 = a[i + 2]!, a3 = a[i + 3]!;
    const b0 = b[j]!, b1 = b[j + 1]!, b2 = b[j + 2]!, b3 = b[j + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  addRow(C, c, cols, c00, c01, c02, c03);
  if (rows > 1) addRow(C, c + ldc, cols, c10, c11, c12, c13);
  if (rows > 2) addRow(C, c + 2 * ldc, cols, c20, c21, c22, c23);
  if (rows > 3) addRow(C, c + 3 * ldc, cols, c30, c31, c32, c33);
}

/** Adds the first `cols` of four sums into a row of C (fewer than 4 at the right edge). */
function addRow(
  C: Float64Array,
  o: number,
  cols: number,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
): void {
  C[o] = C[o]! + s0;
  if (cols > 1) C[o + 1] = C[o + 1]! + s1;
  if (cols > 2) C[o + 2] = C[o + 2]! + s2;
  if (cols > 3) C[o + 3] = C[o + 3]! + s3;
}
