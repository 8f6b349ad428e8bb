import type { DataArray } from '../../tensor/dtype.js';

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
