import { allocArray, type DataArray } from '../../tensor/dtype.js';
import type { Conv2DInfo, PoolOp, TensorInfo } from '../backend.js';
import { valuesOf } from './storage.js';

// Reference kernels for 2-D window ops on channels-last tensors: convolution, depthwise
// convolution and pooling, each forward and backward. Written as the formulas read: one loop
// per index, the window's input position worked out from the output position (see Conv2DInfo
// in backends/backend.ts). Sums accumulate in a JavaScript number and are rounded once when
// stored. The backward kernels walk the same loops as the forward ones and scatter into the
// gradient, so each is visibly the transpose of its forward.

/** Calls body(oy, ox, ky, kx, iy, ix) for every output position and in-bounds window tap. */
function forEachTap(
  info: Conv2DInfo,
  body: (oy: number, ox: number, ky: number, kx: number, iy: number, ix: number) => void,
): void {
  for (let oy = 0; oy < info.outHeight; oy++) {
    for (let ox = 0; ox < info.outWidth; ox++) {
      for (let ky = 0; ky < info.filterHeight; ky++) {
        const iy = oy * info.strideHeight - info.padTop + ky * info.dilationHeight;
        if (iy < 0 || iy >= info.inHeight) continue;
        for (let kx = 0; kx < info.filterWidth; kx++) {
          const ix = ox * info.strideWidth - info.padLeft + kx * info.dilationWidth;
          if (ix < 0 || ix >= info.inWidth) continue;
          body(oy, ox, ky, kx, iy, ix);
        }
      }
    }
  }
}

/** Flat offsets of x [b, h, w, c], y [b, oh, ow, c'] and a filter [fh, fw, cin, c''] position. */
const xAt = (info: Conv2DInfo, b: number, iy: number, ix: number): number =>
  ((b * info.inHeight + iy) * info.inWidth + ix) * info.inChannels;
const yAt = (info: Conv2DInfo, b: number, oy: number, ox: number): number =>
  ((b * info.outHeight + oy) * info.outWidth + ox) * info.outChannels;
const fAt = (info: Conv2DInfo, ky: number, kx: number, lastDim: number): number =>
  (ky * info.filterWidth + kx) * info.inChannels * lastDim;

/** y[b, oy, ox, co] = Σ_{ky, kx, ci} x[b, iy, ix, ci] · filter[ky, kx, ci, co]. */
export function conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataArray {
  const xv = valuesOf(x);
  const fv = valuesOf(filter);
  const cout = info.outChannels;
  const acc = new Float64Array(info.batch * info.outHeight * info.outWidth * cout);
  for (let b = 0; b < info.batch; b++) {
    forEachTap(info, (oy, ox, ky, kx, iy, ix) => {
      const xo = xAt(info, b, iy, ix);
      const yo = yAt(info, b, oy, ox);
      const fo = fAt(info, ky, kx, cout);
      for (let ci = 0; ci < info.inChannels; ci++) {
        const xval = xv[xo + ci]!;
        for (let co = 0; co < cout; co++) acc[yo + co]! += xval * fv[fo + ci * cout + co]!;
      }
    });
  }
  return store(acc, x);
}

/** dx[b, iy, ix, ci] = Σ over the taps that read it of dy[b, oy, ox, co] · filter[ky, kx, ci, co]. */
export function conv2dBackpropInput(
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): DataArray {
  const dyv = valuesOf(dy);
  const fv = valuesOf(filter);
  const cout = info.outChannels;
  const acc = new Float64Array(info.batch * info.inHeight * info.inWidth * info.inChannels);
  for (let b = 0; b < info.batch; b++) {
    forEachTap(info, (oy, ox, ky, kx, iy, ix) => {
      const xo = xAt(info, b, iy, ix);
      const yo = yAt(info, b, oy, ox);
      const fo = fAt(info, ky, kx, cout);
      for (let ci = 0; ci < info.inChannels; ci++) {
        let s = 0;
        for (let co = 0; co < cout; co++) s += dyv[yo + co]! * fv[fo + ci * cout + co]!;
        acc[xo + ci]! += s;
      }
    });
  }
  return store(acc, dy);
}

/** dfilter[ky, kx, ci, co] = Σ_{b, oy, ox} x[b, iy, ix, ci] · dy[b, oy, ox, co]. */
export function conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataArray {
  const xv = valuesOf(x);
  const dyv = valuesOf(dy);
  const cout = info.outChannels;
  const acc = new Float64Array(info.filterHeight * info.filterWidth * info.inChannels * cout);
  for (let b = 0; b < info.batch; b++) {
    forEachTap(info, (oy, ox, ky, kx, iy, ix) => {
      const xo = xAt(info, b, iy, ix);
      const yo = yAt(info, b, oy, ox);
      const fo = fAt(info, ky, kx, cout);
      for (let ci = 0; ci < info.inChannels; ci++) {
        const xval = xv[xo + ci]!;
        for (let co = 0; co < cout; co++) acc[fo + ci * cout + co]! += xval * dyv[yo + co]!;
      }
    });
  }
  return store(acc, x);
}

/** y[b, oy, ox, c·m + q] = Σ_{ky, kx} x[b, iy, ix, c] · filter[ky, kx, c, q]. */
export function depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataArray {
  const xv = valuesOf(x);
  const fv = valuesOf(filter);
  const m = info.outChannels / info.inChannels;
  const acc = new Float64Array(info.batch * info.outHeight * info.outWidth * info.outChannels);
  for (let b = 0; b < info.batch; b++) {
    forEachTap(info, (oy, ox, ky, kx, iy, ix) => {
      const xo = xAt(info, b, iy, ix);
      const yo = yAt(info, b, oy, ox);
      const fo = fAt(info, ky, kx, m);
      for (let c = 0; c < info.inChannels; c++) {
        for (let q = 0; q < m; q++) acc[yo + c * m + q]! += xv[xo + c]! * fv[fo + c * m + q]!;
      }
    });
  }
  return store(acc, x);
}

/** dx[b, iy, ix, c] = Σ over the taps that read it of Σ_q dy[b, oy, ox, c·m + q] · filter[ky, kx, c, q]. */
export function depthwiseConv2dBackpropInput(
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): DataArray {
  const dyv = valuesOf(dy);
  const fv = valuesOf(filter);
  const m = info.outChannels / info.inChannels;
  const acc = new Float64Array(info.batch * info.inHeight * info.inWidth * info.inChannels);
  for (let b = 0; b < info.batch; b++) {
    forEachTap(info, (oy, ox, ky, kx, iy, ix) => {
      const xo = xAt(info, b, iy, ix);
      const yo = yAt(info, b, oy, ox);
      const fo = fAt(info, ky, kx, m);
      for (let c = 0; c < info.inChannels; c++) {
        for (let q = 0; q < m; q++) acc[xo + c]! += dyv[yo + c * m + q]! * fv[fo + c * m + q]!;
      }
    });
  }
  return store(acc, dy);
}

/** dfilter[ky, kx, c, q] = Σ_{b, oy, ox} x[b, iy, ix, c] · dy[b, oy, ox, c·m + q]. */
export function depthwiseConv2dBackpropFilter(
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): DataArray {
  const xv = valuesOf(x);
  const dyv = valuesOf(dy);
  const m = info.outChannels / info.inChannels;
  const acc = new Float64Array(info.filterHeight * info.filterWidth * info.inChannels * m);
  for (let b = 0; b < info.batch; b++) {
    forEachTap(info, (oy, ox, ky, kx, iy, ix) => {
      const xo = xAt(info, b, iy, ix);
      const yo = yAt(info, b, oy, ox);
      const fo = fAt(info, ky, kx, m);
      for (let c = 0; c < info.inChannels; c++) {
        for (let q = 0; q < m; q++) acc[fo + c * m + q]! += xv[xo + c]! * dyv[yo + c * m + q]!;
      }
    });
  }
  return store(acc, x);
}

/**
 * For each output position and channel: the flat x offset of the window's first maximum
 * ('max') or the list of in-bounds offsets ('avg'), handed to `visit` with the output offset.
 */
function forEachWindow(
  op: PoolOp,
  xv: DataArray,
  info: Conv2DInfo,
  visit: (yOffset: number, xOffsets: readonly number[]) => void,
): void {
  const c = info.inChannels;
  for (let b = 0; b < info.batch; b++) {
    for (let oy = 0; oy < info.outHeight; oy++) {
      for (let ox = 0; ox < info.outWidth; ox++) {
        for (let ch = 0; ch < c; ch++) {
          const offsets: number[] = [];
          let best = -1;
          for (let ky = 0; ky < info.filterHeight; ky++) {
            const iy = oy * info.strideHeight - info.padTop + ky * info.dilationHeight;
            if (iy < 0 || iy >= info.inHeight) continue;
            for (let kx = 0; kx < info.filterWidth; kx++) {
              const ix = ox * info.strideWidth - info.padLeft + kx * info.dilationWidth;
              if (ix < 0 || ix >= info.inWidth) continue;
              const at = xAt(info, b, iy, ix) + ch;
              offsets.push(at);
              // The first maximum wins ties; a NaN anywhere in the window wins (as TensorFlow).
              if (
                best < 0 ||
                xv[at]! > xv[best]! ||
                (Number.isNaN(xv[at]!) && !Number.isNaN(xv[best]!))
              ) {
                best = at;
              }
            }
          }
          visit(yAt(info, b, oy, ox) + ch, op === 'max' ? (best < 0 ? [] : [best]) : offsets);
        }
      }
    }
  }
}

/** y = the window's maximum, or the mean of its in-bounds values (an empty window gives 0). */
export function pool2d(op: PoolOp, x: TensorInfo, info: Conv2DInfo): DataArray {
  const xv = valuesOf(x);
  const out = allocArray(x.dtype, info.batch * info.outHeight * info.outWidth * info.outChannels);
  forEachWindow(op, xv, info, (yo, offsets) => {
    let s = 0;
    for (const at of offsets) s += xv[at]!;
    out[yo] = offsets.length === 0 ? 0 : op === 'max' ? xv[offsets[0]!]! : s / offsets.length;
  });
  return out;
}

/** dx: each dy to its window's first maximum ('max') or shared equally by its window ('avg'). */
export function pool2dGrad(op: PoolOp, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataArray {
  const xv = valuesOf(x);
  const dyv = valuesOf(dy);
  const acc = new Float64Array(xv.length);
  forEachWindow(op, xv, info, (yo, offsets) => {
    for (const at of offsets) acc[at]! += dyv[yo]! / offsets.length;
  });
  return store(acc, x);
}

/** Sums kept in float64 are rounded once, into the dtype of `like`. */
function store(acc: Float64Array, like: TensorInfo): DataArray {
  if (like.dtype === 'float64') return acc;
  const out = allocArray(like.dtype, acc.length);
  out.set(acc);
  return out;
}
