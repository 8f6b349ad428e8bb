import assert from 'node:assert/strict';
import { tensor } from '../src/tensor/creation.js';
import type { DType } from '../src/tensor/dtype.js';
import { sizeOf } from '../src/tensor/shape.js';
import type { Tensor } from '../src/tensor/tensor.js';

/**
 * Asserts that `actual` has `shape` and values within `tol` of `expected` (flat or nested).
 * Used by op tests, whose expected values come from hand computation or a formula.
 */
/**
 * Each value of `got` within `tol` of `want`, relative to max(1, |want|) (a TF.js or PyTorch
 * oracle on the same weights); the message names `what` and the element.
 */
export function assertNear(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  what: string,
  tol = 1e-5,
): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i]! - want[i]!) / Math.max(Math.abs(want[i]!), 1);
    assert.ok(err <= tol, `${what}[${i}]: sinew ${got[i]}, oracle ${want[i]} (relative ${err})`);
  }
}

export function assertClose(
  actual: Tensor,
  expected: number | readonly unknown[],
  tol = 1e-6,
  shape?: readonly number[],
): void {
  if (shape) assert.deepEqual(actual.shape, shape, 'shape');
  const want = typeof expected === 'number' ? [expected] : (expected.flat(Infinity) as number[]);
  const got = Array.from(actual.dataSync());
  assert.equal(got.length, want.length, `expected ${want.length} values, got ${got.length}`);
  got.forEach((g, i) => {
    const w = want[i]!;
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : g === w || Math.abs(g - w) <= tol * Math.max(1, Math.abs(w));
    assert.ok(
      ok,
      `element ${i}: got ${g}, expected ${w} (tolerance ${tol})\n  all: ${got.join(', ')}`,
    );
  });
}

/** The values 1..n with `shape` (distinct, so a misplaced value shows). */
export function iota(shape: number[], dtype: DType = 'float32'): Tensor {
  return tensor(
    Array.from({ length: sizeOf(shape) }, (_, i) => i + 1),
    shape,
    dtype,
  );
}

/** Smooth, distinct float64 values for gradient checks. */
export function smooth(shape: number[]): Tensor {
  return tensor(
    Array.from({ length: sizeOf(shape) }, (_, i) => Math.sin(i + 1) + 0.1 * i),
    shape,
    'float64',
  );
}

/** Every multi-index of `shape`, in row-major order. */
export function allIndices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of shape)
    out = out.flatMap((prefix) => Array.from({ length: n }, (_, i) => [...prefix, i]));
  return out;
}

/** Row-major flat offset of `index` in `shape`. */
export function offset(shape: readonly number[], index: readonly number[]): number {
  return index.reduce((o, i, d) => o * shape[d]! + i, 0);
}

/**
 * `size` float32 values from a linear congruential generator (Numerical Recipes' constants)
 * started at `seed`, evenly spread over [lo, hi): the same numbers on every run and machine,
 * cheap enough for large test matrices.
 */
export function lcg(size: number, seed: number, lo = -0.5, hi = 0.5): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

/**
 * Runs `op` on a multi-threaded wasm backend back to back (at most 51 times) until a worker has
 * done a share, asserts that one did, and returns the last result: a sleeping worker's share
 * may be taken back by the calling thread, so a single call may well run on the caller alone.
 */
export function runUntilShared<T>(
  be: { threadStats(): { jobs: number } },
  op: () => T,
  what: string,
): T {
  const start = be.threadStats().jobs;
  let got = op();
  for (let i = 0; i < 50 && be.threadStats().jobs === start; i++) got = op();
  assert.ok(be.threadStats().jobs > start, `a worker did a share: ${what}`);
  return got;
}
