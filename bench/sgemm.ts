// GFLOP/s of the wasm backend's float32 matmul (1 and 2 threads) against the cpu reference, at the
// shapes of the autoencoder workload (128×784·784×256 and its transposed backward products)
// and at 256³ and 1024³. Medians over several runs after a warm-up. A program, not a test:
// `npx tsx bench/sgemm.ts` (build the kernels first: `node scripts/build-wasm.mjs`).
// TensorFlow.js's figures at the same shapes come from `npm run bench` (bench/run.ts), which
// runs every system in its own process.
import type { Backend, TensorInfo } from '../src/backends/backend.js';
import { CpuBackend } from '../src/backends/cpu/index.js';
import { loadKernels } from '../src/backends/wasm/loader.js';
import { WasmBackend } from '../src/backends/wasm/index.js';
import { SGEMM_CASES, flops, randomMatrix, timeMedian, type SgemmCase } from './workload.js';

/** Median GFLOP/s of backend.matmul for one case; the output is released after each call. */
function gflops(backend: Backend, c: SgemmCase, i: number, budgetMs: number): number {
  const info = (rows: number, cols: number, seed: number): TensorInfo => ({
    dataId: backend.write(randomMatrix(rows * cols, seed), 'float32'),
    shape: [rows, cols],
    dtype: 'float32',
  });
  const a = c.transposeA ? info(c.k, c.m, 2 * i + 1) : info(c.m, c.k, 2 * i + 1);
  const b = c.transposeB ? info(c.n, c.k, 2 * i + 2) : info(c.k, c.n, 2 * i + 2);
  const { ms } = timeMedian(
    () => backend.release(backend.matmul(a, b, c.transposeA, c.transposeB, [c.m, c.n])),
    budgetMs,
  );
  backend.release(a.dataId);
  backend.release(b.dataId);
  return flops(c) / (ms * 1e6);
}

const relaxed = loadKernels(true);
const plain = loadKernels(false);
const shared = loadKernels(true, true);
if (typeof relaxed === 'string' || typeof plain === 'string' || typeof shared === 'string') {
  const why = [relaxed, plain, shared].find((k) => typeof k === 'string');
  console.error(`wasm kernels unavailable: ${why}`);
  process.exit(1);
}
const pool = new WasmBackend(shared, { threads: 2 });
await pool.ready();
const backends: [string, Backend, number][] = [
  [`wasm ${relaxed.variant} 1t`, new WasmBackend(relaxed, { threads: 1 }), 1500],
  [`wasm ${shared.variant} 2t`, pool, 1500],
  [`wasm ${plain.variant} 1t`, new WasmBackend(plain, { threads: 1 }), 1500],
  ['cpu reference', new CpuBackend(), 3000],
];

console.log('float32 matmul, GFLOP/s (median); 1t/2t = threads');
console.log(['shape'.padEnd(30), ...backends.map(([name]) => name.padStart(22))].join(''));
SGEMM_CASES.forEach((c, i) => {
  const cells = backends.map(([, backend, ms]) =>
    gflops(backend, c, i, ms).toFixed(1).padStart(22),
  );
  console.log([c.label.padEnd(30), ...cells].join(''));
});
pool.close();
