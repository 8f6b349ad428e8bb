import type { DataArray } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type { DataId } from '../../tensor/store.js';
import type { TensorInfo } from '../backend.js';
import type { KernelHost } from './host.js';
import { tileInto } from './tile.js';

/** out[at …] = x[from … from + n) for two arrays of the same kind (a memcpy). */
function copyRun(x: DataArray, from: number, n: number, out: DataArray, at: number): void {
  // Every DataArray member accepts an ArrayLike<number> in set().
  (out as Float64Array).set(x.subarray(from, from + n), at);
}

/**
 * Block copies of row-major arrays for the wasm backend's slice and concat, one contiguous
 * run at a time with TypedArray.set (the cpu reference walks element by element): the
 * per-step slices of an RNN's input projection and their gradients are runs of
 * [4·units] values, so each step costs a few hundred memcpy calls.
 */

/** Copies the block of x (shape `shape`) starting at `begin` of extent `size` into out. */
export function sliceInto(
  x: DataArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: DataArray,
): void {
  const rank = shape.length;
  if (rank === 0) {
    copyRun(x, 0, 1, out, 0);
    return;
  }
  const strides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  // Axes after k are taken whole: a run is size[k] consecutive blocks of strides[k] values.
  let k = rank - 1;
  while (k > 0 && size[k] === shape[k]) k--;
  const run = size[k]! * strides[k]!;
  const index = new Array<number>(k).fill(0);
  const outer = size.slice(0, k).reduce((p, d) => p * d, 1);
  let dst = 0;
  for (let o = 0; o < outer; o++) {
    let src = begin[k]! * strides[k]!;
    for (let i = 0; i < k; i++) src += (begin[i]! + index[i]!) * strides[i]!;
    copyRun(x, src, run, out, dst);
    dst += run;
    for (let i = k - 1; i >= 0; i--) {
      if (++index[i]! < size[i]!) break;
      index[i] = 0;
    }
  }
}

/** Concatenates xs (shapes `shapes`) along `axis` into out. */
export function concatInto(
  xs: readonly DataArray[],
  shapes: readonly (readonly number[])[],
  axis: number,
  out: DataArray,
): void {
  const first = shapes[0]!;
  const outer = first.slice(0, axis).reduce((p, d) => p * d, 1);
  const chunks = shapes.map((sh) => sh.slice(axis).reduce((p, d) => p * d, 1));
  let dst = 0;
  for (let o = 0; o < outer; o++) {
    xs.forEach((x, j) => {
      const n = chunks[j]!;
      copyRun(x, o * n, n, out, dst);
      dst += n;
    });
  }
}

// The Backend contract's copying kernels (slice and concat: float32 and int32; tile: any
// dtype). Views are taken after the output's allocation: a growing memory detaches earlier ones.

export function slice(
  host: KernelHost,
  x: TensorInfo,
  begin: readonly number[],
  size: readonly number[],
): DataId {
  return host.run([x], ([xs]) => {
    const out = host.alloc(x.dtype, size);
    if (out.size > 0) sliceInto(host.view(xs), x.shape, begin, size, host.view(out));
    return out;
  });
}

export function concat(
  host: KernelHost,
  xs: readonly TensorInfo[],
  axis: number,
  outShape: Shape,
): DataId {
  return host.run(xs, (locals) => {
    const out = host.alloc(xs[0]!.dtype, outShape);
    if (out.size > 0) {
      const views = locals.map((l) => host.view(l));
      concatInto(
        views,
        xs.map((x) => x.shape),
        axis,
        host.view(out),
      );
    }
    return out;
  });
}

export function tile(host: KernelHost, x: TensorInfo, reps: readonly number[]): DataId {
  return host.run([x], ([xs]) => {
    const out = host.alloc(
      x.dtype,
      x.shape.map((n, d) => n * reps[d]!),
    );
    tileInto(host.view(xs), host.view(out), x.shape, reps);
    return out;
  });
}
