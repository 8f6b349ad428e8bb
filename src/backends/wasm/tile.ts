import type { DataArray } from '../../tensor/dtype.js';

/**
 * tile on typed-array views of the arena, any dtype: each axis's block is written once (the
 * innermost axis with one `set`), then repeated by doubling `copyWithin` (native memmove),
 * so a scalar or a bias row broadcast to a batch costs a handful of copies, not a loop per
 * element. `out` has the tiled size; `x` has `shape`.
 */
export function tileInto(
  x: DataArray,
  out: DataArray,
  shape: readonly number[],
  reps: readonly number[],
): void {
  const rank = shape.length;
  if (out.length === 0) return;
  if (rank === 0) {
    out.set(x);
    return;
  }
  const inStride = new Array<number>(rank).fill(1);
  const outStride = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    inStride[d] = inStride[d + 1]! * shape[d + 1]!;
    outStride[d] = outStride[d + 1]! * shape[d + 1]! * reps[d + 1]!;
  }
  const fill = (d: number, src: number, dst: number): void => {
    const n = shape[d]!;
    const block = outStride[d]!;
    if (d === rank - 1) out.set(x.subarray(src, src + n), dst);
    else for (let i = 0; i < n; i++) fill(d + 1, src + i * inStride[d]!, dst + i * block);
    const total = n * block * reps[d]!;
    for (let have = n * block; have < total;) {
      const count = Math.min(have, total - have);
      out.copyWithin(dst + have, dst, dst + count);
      have += count;
    }
  };
  fill(0, 0, 0);
}
