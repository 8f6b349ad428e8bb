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

import { filterSingle, forwardSingle, inputSingle } from './conv-single';
import { KC, MC, MR, NC, NR, kernel, packA, packB, sgemm, sgemmScratchBytes } from './matmul';

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

// The output position whose window colSegment reads: image pointer and window origin.
// Packing walks consecutive positions, so seek() divides once and next() steps.
let gOx: i32 = 0;
let gOy: i32 = 0;
let gImage: usize = 0;

function seek(row: i32): void {
  gOx = row % gOutW;
  const t = row / gOutW;
  gOy = t % gOutH;
  gImage = gX + <usize>(t / gOutH) * <usize>(gInH * gInW * gCin) * 4;
}

@inline
function next(): void {
  if (++gOx == gOutW) {
    gOx = 0;
    if (++gOy == gOutH) {
      gOy = 0;
      gImage += <usize>(gInH * gInW * gCin) * 4;
    }
  }
}

/**
 * Writes Col[row][p0 .. p0 + count) to dst, dst + 4·stride, ...: the window of the current
 * output position (seek/next) read from gX, zeros for taps in the padding.
 */
function colSegment(p0: i32, count: i32, dst: usize, stride: i32): void {
  const cin = gCin;
  const iy0 = gOy * gSh - gPadTop;
  const ix0 = gOx * gSw - gPadLeft;
  const image = gImage;
  const step = <usize>stride * 4;
  let ci = 0;
  let ky = 0;
  let kx = 0;
  if (p0 > 0) {
    const tap = p0 / cin;
    ci = p0 - tap * cin;
    ky = tap / gFw;
    kx = tap - ky * gFw;
  }
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
  seek(first);
  for (let i = 0; i < height; i += MR) {
    const panel = dst + <usize>(i * kc) * 4;
    colSegment(p0, kc, panel, MR);
    next();
    if (i + 1 < height) {
      colSegment(p0, kc, panel + 4, MR);
      next();
    } else {
      for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * MR + 1) * 4, 0);
    }
  }
}

/**
 * Rows tap0 .. tap0 + height of Colᵀ (taps), columns first .. first + kc (positions), as
 * 2-row A panels: tap j of position q goes to dst + 4·((j >> 1)·2kc + 2q + (j & 1)).
 */
function packColT(first: i32, tap0: i32, height: i32, kc: i32, dst: usize): void {
  const cin = gCin;
  const panel = kc * 8; // bytes between the panels of taps j and j + 2
  seek(first);
  for (let q = 0; q < kc; q++) {
    const base = dst + <usize>q * 8;
    const iy0 = gOy * gSh - gPadTop;
    const ix0 = gOx * gSw - gPadLeft;
    const tap = tap0 / cin;
    let ci = tap0 - tap * cin;
    let ky = tap / gFw;
    let kx = tap - ky * gFw;
    let j = 0;
    while (j < height) {
      const end = min(j + cin - ci, height);
      const iy = iy0 + ky * gDh;
      const ix = ix0 + kx * gDw;
      if (<u32>iy < <u32>gInH && <u32>ix < <u32>gInW) {
        let src = gImage + <usize>((iy * gInW + ix) * cin + ci) * 4;
        for (; j < end; j++, src += 4) {
          store<f32>(base + <usize>((j >> 1) * panel + ((j & 1) << 2)), load<f32>(src));
        }
      } else {
        for (; j < end; j++) store<f32>(base + <usize>((j >> 1) * panel + ((j & 1) << 2)), 0);
      }
      ci = 0;
      if (++kx == gFw) {
        kx = 0;
        ky++;
      }
    }
    if (height & 1) store<f32>(base + <usize>((height >> 1) * panel + 4), 0);
    next();
  }
}

/**
 * The 16-column B panels (packB's layout) of B[q][j] = Col[first + q][tap0 + j], q < kc
 * (positions are the depth), j < width (taps), zeros past `width`.
 */
function packColB(first: i32, tap0: i32, kc: i32, width: i32, dst: usize): void {
  for (let j = 0; j < width; j += NR) {
    const panel = dst + <usize>(j * kc) * 4;
    const cols = min(NR, width - j);
    seek(first);
    for (let q = 0; q < kc; q++) {
      const line = panel + <usize>(q * NR) * 4;
      colSegment(tap0 + j, cols, line, 1);
      next();
      if (cols < NR) memory.fill(line + <usize>cols * 4, 0, <usize>(NR - cols) * 4);
    }
  }
}

/**
 * The 16-column B panels of B[p][j] = Col[first + j][p0 + p], p < kc (taps are the depth),
 * j < width (positions), zeros past `width`.
 */
function packColTB(first: i32, p0: i32, kc: i32, width: i32, dst: usize): void {
  seek(first);
  for (let j = 0; j < width; j += NR) {
    const panel = dst + <usize>(j * kc) * 4;
    for (let s = 0; s < NR; s++) {
      if (j + s < width) {
        colSegment(p0, kc, panel + <usize>s * 4, NR);
        next();
      } else {
        for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * NR + s) * 4, 0);
      }
    }
  }
}

// Where an operand of gemmCol comes from.
const MATRIX: i32 = 0; // a strided matrix: (a, ars, acs) or (b, brs, bcs)
const COL: i32 = 1; // A: Col, rows from position `first`; B: Col, depth from position `first`
const COL_T: i32 = 2; // A: Colᵀ, depth from position `first`; B: Colᵀ, columns from `first`

/** Rows of C gemmCol can write transposed (through a buffer of TRANSPOSED_ROWS × NC). */
const TRANSPOSED_ROWS: i32 = 16;

/** Bytes of scratch the convolution kernels need: sgemm's and a block of C. */
export function convScratchBytes(): i32 {
  return sgemmScratchBytes() + TRANSPOSED_ROWS * NC * 4;
}

/**
 * C[m×n] = A·B with sgemm's loops (matmul.ts), A and B each a strided matrix or packed from
 * the windows of gX (aFrom, bFrom: MATRIX, COL, COL_T). With `transposed` (m ≤ 16), C is
 * stored transposed: C[i][j] at c + 4·(j·ldc + i), through a buffer, so a convolution with
 * few output channels can put the positions along the 16 columns of the micro-kernel.
 */
// prettier-ignore
function gemmCol(
  aFrom: i32, bFrom: i32, m: i32, n: i32, k: i32, first: i32,
  a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32, transposed: bool, scratch: usize,
): void {
  if (k == 0) {
    const lines = transposed ? n : m;
    const width = transposed ? m : n;
    for (let i = 0; i < lines; i++) memory.fill(c + <usize>(i * ldc) * 4, 0, <usize>width * 4);
    return;
  }
  const aPack = scratch;
  const bPack = scratch + <usize>(MC * KC) * 4;
  const tile = bPack + <usize>(NC * KC) * 4;
  const buffer = tile + <usize>(MR * NR) * 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const cb = transposed ? buffer : c + <usize>jc * 4;
    const cl = transposed ? NC : ldc;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      if (bFrom == COL) packColB(first + pc, jc, kc, nc, bPack);
      else if (bFrom == COL_T) packColTB(first + jc, pc, kc, nc, bPack);
      else packB(b + <usize>(pc * brs + jc * bcs) * 4, brs, bcs, kc, nc, bPack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        if (aFrom == COL) packCol(first + ic, pc, mc, kc, aPack);
        else if (aFrom == COL_T) packColT(first + pc, ic, mc, kc, aPack);
        else packA(a + <usize>(ic * ars + pc * acs) * 4, ars, acs, mc, kc, aPack);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bp = bPack + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const cp = cb + <usize>((ic + ir) * cl + jr) * 4;
            const ap = aPack + <usize>(ir * kc) * 4;
            if (rows == MR && cols == NR) {
              kernel(ap, bp, kc, cp, cl, pc > 0);
            } else {
              kernel(ap, bp, kc, tile, NR, false);
              for (let r = 0; r < rows; r++) {
                for (let s = 0; s < cols; s++) {
                  const dst = cp + <usize>(r * cl + s) * 4;
                  const v = load<f32>(tile + <usize>(r * NR + s) * 4);
                  store<f32>(dst, pc > 0 ? load<f32>(dst) + v : v);
                }
              }
            }
          }
        }
      }
    }
    if (transposed) {
      for (let j = 0; j < nc; j++) {
        const dst = c + <usize>((jc + j) * ldc) * 4;
        for (let i = 0; i < m; i++) {
          store<f32>(dst + <usize>i * 4, load<f32>(buffer + <usize>(i * NC + j) * 4));
        }
      }
    }
  }
}

/**
 * Fewer output channels than this run with the positions along the micro-kernel's 16
 * columns (Yᵀ = Fᵀ·Colᵀ, dFᵀ = dYᵀ·Col): 16-wide rows of one or a few channels would be
 * mostly padding.
 */
const FEW_CHANNELS: i32 = 16;

/** y rows [mFrom, mTo) of Y = Col·F: output positions of y [b, oh, ow, cout]. */
export function conv2dForward(
  meta: usize, x: usize, f: usize, y: usize, mFrom: i32, mTo: i32, scratch: usize,
): void {
  geometry(meta);
  gX = x;
  const n = gCout;
  const rows = mTo - mFrom;
  const out = y + <usize>mFrom * <usize>n * 4;
  const k = gFh * gFw * gCin;
  if (n == 1) {
    forwardSingle(meta, x, f, y, mFrom, mTo);
  } else if (n < FEW_CHANNELS) {
    gemmCol(MATRIX, COL_T, n, rows, k, mFrom, f, 1, n, 0, 0, 0, out, n, true, scratch);
  } else if (pointwise()) {
    sgemm(rows, n, gCin, x + <usize>mFrom * <usize>gCin * 4, gCin, 1, f, n, 1, out, n, scratch);
  } else {
    gemmCol(COL, MATRIX, rows, n, k, mFrom, 0, 0, 0, f, n, 1, out, n, false, scratch);
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
  const k = gFh * gFw * gCin;
  if (n == 1) {
    filterSingle(meta, x, dy, out, mFrom, mTo);
  } else if (n < FEW_CHANNELS) {
    gemmCol(MATRIX, COL, n, k, depth, mFrom, dys, 1, n, 0, 0, 0, out, n, true, scratch);
  } else if (pointwise()) {
    const xs = x + <usize>mFrom * <usize>gCin * 4;
    sgemm(gCin, n, depth, xs, 1, gCin, dys, n, 1, out, n, scratch);
  } else {
    gemmCol(COL_T, MATRIX, k, n, depth, mFrom, 0, 0, 0, dys, n, 1, out, n, false, scratch);
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
  const imageSize = <usize>(gInH * gInW * cin) * 4;
  if (n == 1) {
    memory.fill(dx + <usize>bFrom * imageSize, 0, <usize>(bTo - bFrom) * imageSize);
    inputSingle(meta, dy, f, dx, mFrom, mTo);
    return;
  }
  if (pointwise()) {
    const rows = mTo - mFrom;
    const dxs = dx + <usize>mFrom * <usize>cin * 4;
    sgemm(rows, cin, n, dy + <usize>mFrom * <usize>n * 4, n, 1, f, 1, n, dxs, cin, scratch);
    return;
  }
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
