import assert from 'node:assert/strict';
import type { Tensor } from '../src/tensor/tensor.js';

/**
 * Asserts that `actual` has `shape` and values within `tol` of `expected` (flat or nested).
 * Used by op tests, whose expected values come from hand computation or a formula.
 */
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
