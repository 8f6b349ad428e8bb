// 2-D convolution (forward, input gradient, filter gradient) on channels-last float32 tensors,
// as matrix products on the sgemm machinery of matmul.ts.
//
// With M = batch·outHeight·outWidth output positions, K = filterHeight·filterWidth·inChannels
// window taps (in the filter's [fh, fw, cin] order) and N = outChannels, the convolution is
// Y[M, N] = Col[M, K]·F[K, N], where row m of Col is the window of position m (zeros where it
// falls in the padding). Col is never built whole: its rows are gathered straight into the
// packed 2-row A panels the micro-kernel reads (forward), or its columns into the panels of
// Colᵀ (filter gradient dF = Colᵀ·dY). The input gradient computes dCol = dY·Fᵀ for a block
// of rows at a time into a buffer, then adds it back into dx window by window (col2im).
// A 1×1 convolution with stride 1 and no padding has Col = x, and runs sgemm directly.
//
// Every kernel takes the geometry as a block of 15 int32 (`meta`, Conv2DInfo's fields in
// order) and a range of work, so the worker pool can split the work between threads.

import { KC, MC, MR, NC, NR, kernel, packB, sgemm, sgemmScratchBytes } from './matmul';

// The geometry of the current call (module globals: each thread has its own instance).
let gBatch: i32 = 0;
let gInH: i32 = 0;
let gInW: i32 = 0;
let gCin: i32 = 0;
let gOutH: i32 = 0;
let gOutW: i32 = 0;
let gCout: i32 = 0;
let gFh: i32 = 0;
let gFw: i32 = 0;
let gSh: i32 = 0;
let gSw: i32 = 0;
let gDh: i32 = 0;
let gDw: i32 = 0;
let gPadTop: i32 = 0;
let gPadLeft: i32 = 0;
/** The input x whose windows form Col. */
let gX: usize = 0;

function geometry(meta: usize): void {
  gBatch = load<i32>(meta);
  gInH = load<i32>(meta, 4);
  gInW = load<i32>(meta, 8);
  gCin = load<i32>(meta, 12);
  gOutH = load<i32>(meta, 16);
  gOutW = load<i32>(meta, 20);
  gCout = load<i32>(meta, 24);
  gFh = load<i32>(meta, 28);
  gFw = load<i32>(meta, 32);
  gSh = load<i32>(meta, 36);
  gSw = load<i32>(meta, 40);
  gDh = load<i32>(meta, 44);
  gDw = load<i32>(meta, 48);
  gPadTop = load<i32>(meta, 52);
  gPadLeft = load<i32>(meta, 56);
}

/** Whether Col is x itself: a 1×1 window, stride 1, no padding. */
@inline
function pointwise(): bool {
  return gFh == 1 && gFw == 1 && gSh == 1 && gSw == 1 && gPadTop == 0 && gPadLeft == 0;
}

/** Bytes of scratch the convolution kernels need: sgemm's, and one row of MC floats. */
export function convScratchBytes(): i32 {
  return sgemmScratchBytes() + MC * 4;
}

/**
 * Writes Col[row][p0 .. p0 + count) to dst, dst + 4·stride, ...: the window of output
 * position `row` (b, oy, ox) read from gX, zeros for taps in the padding.
 */
function colSegment(row: i32, p0: i32, count: i32, dst: usize, stride: i32): void {
  const cin = gCin;
  const ox = row % gOutW;
  const t = row / gOutW;
  const oy = t % gOutH;
  const b = t / gOutH;
  const iy0 = oy * gSh - gPadTop;
  const ix0 = ox * gSw - gPadLeft;
  const image = gX + <usize>b * <usize>(gInH * gInW * cin) * 4;
  const step = <usize>stride * 4;
  const tap = p0 / cin;
  let ci = p0 - tap * cin;
  let ky = tap / gFw;
  let kx = tap - ky * gFw;
  let left = count;
  while (left > 0) {
    const run = min(cin - ci, left);
    const iy = iy0 + ky * gDh;
    const ix = ix0 + kx * gDw;
    if (<u32>iy < <u32>gInH && <u32>ix < <u32>gInW) {
      let src = image + <usize>((iy * gInW + ix) * cin + ci) * 4;
      for (let r = 0; r < run; r++) {
        store<f32>(dst, load<f32>(src));
        src += 4;
        dst += step;
      }
    } else {
      for (let r = 0; r < run; r++) {
        store<f32>(dst, 0);
        dst += step;
      }
    }
    left -= run;
    ci = 0;
    if (++kx == gFw) {
      kx = 0;
      ky++;
    }
  }
}

/** Rows first .. first + height of Col, columns [p0, p0 + kc), as 2-row A panels (packA's layout). */
function packCol(first: i32, p0: i32, height: i32, kc: i32, dst: usize): void {
  for (let i = 0; i < height; i += MR) {
    const panel = dst + <usize>(i * kc) * 4;
    colSegment(first + i, p0, kc, panel, MR);
    if (i + 1 < height) {
      colSegment(first + i + 1, p0, kc, panel + 4, MR);
    } else {
      for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * MR + 1) * 4, 0);
    }
  }
}

/**
 * Rows tap0 .. tap0 + height of Colᵀ (taps), columns first .. first + kc (positions), as
 * 2-row A panels: each position's window segment goes through `row` (MC floats).
 */
function packColT(first: i32, tap0: i32, height: i32, kc: i32, dst: usize, row: usize): void {
  for (let q = 0; q < kc; q++) {
    colSegment(first + q, tap0, height, row, 1);
    for (let j = 0; j < height; j++) {
      store<f32>(dst + <usize>((((j >> 1) * kc + q) << 1) + (j & 1)) * 4, load<f32>(row + <usize>j * 4));
    }
    if (height & 1) store<f32>(dst + <usize>((((height >> 1) * kc + q) << 1) + 1) * 4, 0);
  }
}

const FROM_COL: i32 = 0; // A = Col, rows from `first`
const FROM_COLT: i32 = 1; // A = Colᵀ, columns from position `first`

/**
 * C[m×n] = A·op(B), A being Col or Colᵀ as `mode` says, op(B)[p][j] at b + 4·(p·brs + j·bcs):
 * sgemm's loops (matmul.ts) with the A panels packed from the windows of gX.
 */
// prettier-ignore
function gemmCol(
  mode: i32, m: i32, n: i32, k: i32, first: i32,
  b: usize, brs: i32, bcs: i32, c: usize, ldc: i32, scratch: usize,
): void {
  if (k == 0) {
    for (let i = 0; i < m; i++) memory.fill(c + <usize>(i * ldc) * 4, 0, <usize>n * 4);
    return;
  }
  const aPack = scratch;
  const bPack = scratch + <usize>(MC * KC) * 4;
  const tile = bPack + <usize>(NC * KC) * 4;
  const row = tile + <usize>(MR * NR) * 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b + <usize>(pc * brs + jc * bcs) * 4, brs, bcs, kc, nc, bPack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        if (mode == FROM_COL) packCol(first + ic, pc, mc, kc, aPack);
        else packColT(first + pc, ic, mc, kc, aPack, row);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bp = bPack + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const cp = c + <usize>((ic + ir) * ldc + jc + jr) * 4;
            const ap = aPack + <usize>(ir * kc) * 4;
            if (rows == MR && cols == NR) {
              kernel(ap, bp, kc, cp, ldc, pc > 0);
            } else {
              kernel(ap, bp, kc, tile, NR, false);
              for (let r = 0; r < rows; r++) {
                for (let s = 0; s < cols; s++) {
                  const dst = cp + <usize>(r * ldc + s) * 4;
                  const v = load<f32>(tile + <usize>(r * NR + s) * 4);
                  store<f32>(dst, pc > 0 ? load<f32>(dst) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/** y rows [mFrom, mTo) of Y = Col·F: output positions of y [b, oh, ow, cout]. */
export function conv2dForward(
  meta: usize, x: usize, f: usize, y: usize, mFrom: i32, mTo: i32, scratch: usize,
): void {
  geometry(meta);
  gX = x;
  const n = gCout;
  const rows = mTo - mFrom;
  const out = y + <usize>mFrom * <usize>n * 4;
  if (pointwise()) {
    sgemm(rows, n, gCin, x + <usize>mFrom * <usize>gCin * 4, gCin, 1, f, n, 1, out, n, scratch);
  } else {
    gemmCol(FROM_COL, rows, n, gFh * gFw * gCin, mFrom, f, n, 1, out, n, scratch);
  }
}

/**
 * dF [K, N] = Colᵀ·dY over output positions [mFrom, mTo) only (a thread's partial sum):
 * written (not added) to `out`.
 */
export function conv2dFilter(
  meta: usize, x: usize, dy: usize, out: usize, mFrom: i32, mTo: i32, scratch: usize,
): void {
  geometry(meta);
  gX = x;
  const n = gCout;
  const depth = mTo - mFrom;
  const dys = dy + <usize>mFrom * <usize>n * 4;
  if (pointwise()) {
    const xs = x + <usize>mFrom * <usize>gCin * 4;
    sgemm(gCin, n, depth, xs, 1, gCin, dys, n, 1, out, n, scratch);
  } else {
    gemmCol(FROM_COLT, gFh * gFw * gCin, n, depth, mFrom, dys, n, 1, out, n, scratch);
  }
}

/**
 * dx for images [bFrom, bTo) (overwritten): dCol = dY·Fᵀ for `blockRows` output positions at
 * a time into `block` (blockRows·K floats), each row added into the dx window it came from.
 */
export function conv2dInput(
  meta: usize, dy: usize, f: usize, dx: usize, bFrom: i32, bTo: i32,
  block: usize, blockRows: i32, scratch: usize,
): void {
  geometry(meta);
  const n = gCout;
  const cin = gCin;
  const positions = gOutH * gOutW;
  const mFrom = bFrom * positions;
  const mTo = bTo * positions;
  if (pointwise()) {
    const rows = mTo - mFrom;
    const dxs = dx + <usize>mFrom * <usize>cin * 4;
    sgemm(rows, cin, n, dy + <usize>mFrom * <usize>n * 4, n, 1, f, 1, n, dxs, cin, scratch);
    return;
  }
  const imageSize = <usize>(gInH * gInW * cin) * 4;
  memory.fill(dx + <usize>bFrom * imageSize, 0, <usize>(bTo - bFrom) * imageSize);
  const k = gFh * gFw * cin;
  for (let m0 = mFrom; m0 < mTo; m0 += blockRows) {
    const rows = min(blockRows, mTo - m0);
    sgemm(rows, k, n, dy + <usize>m0 * <usize>n * 4, n, 1, f, 1, n, block, k, scratch);
    col2im(m0, rows, block, dx);
  }
}

/** Adds row r of `block` (dCol rows m0 ..) into the dx window of output position m0 + r. */
function col2im(m0: i32, rows: i32, block: usize, dx: usize): void {
  const cin = gCin;
  const k = gFh * gFw * cin;
  for (let r = 0; r < rows; r++) {
    const m = m0 + r;
    const ox = m % gOutW;
    const t = m / gOutW;
    const oy = t % gOutH;
    const b = t / gOutH;
    const iy0 = oy * gSh - gPadTop;
    const ix0 = ox * gSw - gPadLeft;
    const image = dx + <usize>b * <usize>(gInH * gInW * cin) * 4;
    let src = block + <usize>(r * k) * 4;
    for (let ky = 0; ky < gFh; ky++) {
      const iy = iy0 + ky * gDh;
      for (let kx = 0; kx < gFw; kx++, src += <usize>cin * 4) {
        const ix = ix0 + kx * gDw;
        if (<u32>iy >= <u32>gInH || <u32>ix >= <u32>gInW) continue;
        const dst = image + <usize>((iy * gInW + ix) * cin) * 4;
        let c = 0;
        for (; c + 4 <= cin; c += 4) {
          const o = <usize>c * 4;
          v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
        }
        for (; c < cin; c++) {
          const o = <usize>c * 4;
          store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
        }
      }
    }
  }
}
