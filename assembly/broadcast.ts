// Float32 binary arithmetic with any NumPy broadcast. The TypeScript side
// (src/backends/wasm/layout.ts, stridedLayout) collapses the axes first, so that the output
// is [d0, ..., dk] with per-operand element strides (0 on broadcast axes) and the last axis
// a contiguous run in which each operand has stride 1 or 0. Each run goes through the SIMD
// binaryRow of elementwise.ts (same-shape run, or one operand's single value repeated).
import { binaryRow } from './elementwise';

/**
 * out = op(a, b) over the collapsed output shape. `meta` holds 4·rank int32: the dims, a's
 * strides, b's strides (in elements), and rank counters this kernel uses as scratch.
 */
export function binaryStrided(op: i32, a: usize, b: usize, out: usize, rank: i32, meta: usize): void {
  const dims = meta;
  const aStrides = meta + <usize>rank * 4;
  const bStrides = meta + <usize>rank * 8;
  const counters = meta + <usize>rank * 12;
  const last = <usize>(rank - 1) * 4;
  const n = load<i32>(dims + last);
  const aRun = load<i32>(aStrides + last);
  const bRun = load<i32>(bStrides + last);
  let runs = 1;
  for (let d = 0; d < rank - 1; d++) {
    runs *= load<i32>(dims + <usize>d * 4);
    store<i32>(counters + <usize>d * 4, 0);
  }
  let ai = 0;
  let bi = 0;
  let o = out;
  for (let k = 0; k < runs; k++) {
    const pa = a + <usize>ai * 4;
    const pb = b + <usize>bi * 4;
    if (aRun == bRun) binaryRow(op, pa, pb, o, n, n, false);
    else if (bRun == 0) binaryRow(op, pa, pb, o, n, 1, false);
    else binaryRow(op, pb, pa, o, n, 1, true);
    o += <usize>n * 4;
    for (let d = rank - 2; d >= 0; d--) {
      const p = <usize>d * 4;
      const c = load<i32>(counters + p) + 1;
      const dim = load<i32>(dims + p);
      const as = load<i32>(aStrides + p);
      const bs = load<i32>(bStrides + p);
      if (c < dim) {
        store<i32>(counters + p, c);
        ai += as;
        bi += bs;
        break;
      }
      store<i32>(counters + p, 0);
      ai -= as * (dim - 1);
      bi -= bs * (dim - 1);
    }
  }
}
