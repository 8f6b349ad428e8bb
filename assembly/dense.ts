// The fused parts of a dense layer, on float32 [m, n] row-major outputs. Activation codes
// are FUSED_CODES of src/backends/wasm/codes.ts (the activations whose derivative is a
// function of their output, FUSED_ACTIVATIONS in src/backends/backend.ts); this file cannot
// import them, so src/backends/wasm/dense.test.ts checks every code against the unfused
// kernels and the derivative.
//
// The forward epilogue runs the very kernels the unfused ops run (binaryRow's add, then
// unary's activation), over the same contiguous elements, so y = act(x·W + b) is bit for bit
// the unfused result. The backward pass computes dz = dy·act'(y) with the same float32
// operations, in the same order, as the unfused gradient ops, and the bias gradient as the
// sum kernel sums a column (row by row from 0), so it is bit for bit the unfused one too.
import { binaryRow, unary } from './elementwise';
import { sgemm } from './matmul';
import { reduce } from './reduce';

// unary's op code (UNARY_CODES, elementwise.ts) of each activation code but linear's (0).
@inline
function unaryCode(act: i32): i32 {
  switch (act) {
    case 1: return 14; // relu
    case 2: return 15; // relu6
    case 3: return 11; // sigmoid
    default: return 13; // tanh (4)
  }
}

/**
 * In place on `rows` full rows of width n starting at c: c = act(c + bias), bias a row of n
 * floats (0: no bias). `rows` of a band other than the last is a multiple of 4, so the
 * vector blocks of unary fall where they fall over the whole output.
 */
export function denseEpilogue(c: usize, rows: i32, n: i32, bias: usize, act: i32): void {
  const size = rows * n;
  if (size == 0) return;
  if (bias != 0) binaryRow(0, c, bias, c, size, n, false);
  if (act != 0) unary(unaryCode(act), c, c, size, 0);
}

/**
 * sgemm (same arguments, C contiguous: ldc == n), then the epilogue on the rows it wrote:
 * one call, so a worker thread applies it to its own band of rows while they are in cache.
 */
export function denseForward(
  m: i32, n: i32, k: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32,
  scratch: usize,
  bias: usize, act: i32,
): void {
  sgemm(m, n, k, a, ars, acs, b, brs, bcs, c, ldc, scratch);
  denseEpilogue(c, m, n, bias, act);
}

/** act'(y) from the output, four lanes at a time (relu: 1 where y > 0; relu6: 0 < y < 6). */
@inline
function vderiv(act: i32, y: v128): v128 {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  switch (act) {
    case 1: return v128.bitselect(one, zero, f32x4.gt(y, zero));
    case 2: return v128.bitselect(one, zero, v128.and(f32x4.gt(y, zero), f32x4.lt(y, f32x4.splat(6))));
    case 3: return f32x4.mul(y, f32x4.sub(one, y));
    case 4: return f32x4.sub(one, f32x4.mul(y, y));
    default: return one;
  }
}

@inline
function sderiv(act: i32, y: f32): f32 {
  switch (act) {
    case 1: return y > 0 ? 1 : 0;
    case 2: return y > 0 && y < 6 ? 1 : 0;
    case 3: return y * (1 - y);
    case 4: return 1 - y * y;
    default: return 1;
  }
}

/**
 * dz[i, j] = dy[i, j]·act'(y[i, j]) over [m, n], and when dbias != 0, dbias[j] = Σ_i dz[i, j]
 * summed over i in order from 0 in float32 (for n == 1, through the sum kernel, as the
 * unfused reduction does for a single column), on a block of n columns of a row-major [m, ld]
 * matrix (y, dy, dz and dbias point at the block's first column; the whole matrix when
 * ld == n): the worker pool gives each thread a block of columns, so each bias sum is still
 * taken over the rows in order. Block boundaries that are multiples of 4 keep each element on
 * the vector or scalar path it takes in the whole matrix.
 */
export function denseGradColumns(
  y: usize, dy: usize, dz: usize, dbias: usize, m: i32, n: i32, ld: i32, act: i32,
): void {
  const sums = dbias != 0 && ld > 1;
  if (sums) memory.fill(dbias, 0, <usize>n * 4);
  for (let i = 0; i < m; i++) {
    const row = <usize>i * <usize>ld * 4;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = row + <usize>j * 4;
      const g = f32x4.mul(v128.load(dy + o), vderiv(act, v128.load(y + o)));
      v128.store(dz + o, g);
      if (sums) {
        const b = dbias + <usize>j * 4;
        v128.store(b, f32x4.add(v128.load(b), g));
      }
    }
    for (; j < n; j++) {
      const o = row + <usize>j * 4;
      const g = load<f32>(dy + o) * sderiv(act, load<f32>(y + o));
      store<f32>(dz + o, g);
      if (sums) {
        const b = dbias + <usize>j * 4;
        store<f32>(b, load<f32>(b) + g);
      }
    }
  }
  if (dbias != 0 && ld == 1) reduce(0, dz, dbias, 1, m, 1);
}
