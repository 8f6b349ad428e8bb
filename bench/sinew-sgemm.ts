// Timing one sgemm case on a sinew backend, shared by bench/peers/sinew.ts (npm run bench) and
// bench/sgemm.ts (npm run bench:sgemm).
import type { Backend, TensorInfo } from '../src/backends/backend.js';
import { randomMatrix, timeMedian, type SgemmCase } from './workload.js';

/**
 * Median milliseconds of backend.matmul on SGEMM_CASES[i]'s operands (randomMatrix, seeds
 * 2i + 1 and 2i + 2, the same in every system), each output released after its call.
 */
export function timeSgemm(
  backend: Backend,
  c: SgemmCase,
  i: number,
  budgetMs: number,
): { ms: number; runs: number } {
  const info = (rows: number, cols: number, seed: number): TensorInfo => ({
    dataId: backend.write(randomMatrix(rows * cols, seed), 'float32'),
    shape: [rows, cols],
    dtype: 'float32',
  });
  const a = c.transposeA ? info(c.k, c.m, 2 * i + 1) : info(c.m, c.k, 2 * i + 1);
  const b = c.transposeB ? info(c.n, c.k, 2 * i + 2) : info(c.k, c.n, 2 * i + 2);
  const timing = timeMedian(
    () => backend.release(backend.matmul(a, b, c.transposeA, c.transposeB, [c.m, c.n])),
    budgetMs,
  );
  backend.release(a.dataId);
  backend.release(b.dataId);
  return timing;
}
