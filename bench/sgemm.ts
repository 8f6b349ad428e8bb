// GFLOP/s of the wasm backend's float32 matmul (1 and 2 threads) against the cpu reference, at the
// shapes of the autoencoder workload (128×784·784×256 and its transposed backward products)
// and at 256³ and 1024³. Medians over several runs after a warm-up. A program, not a test:
// `npx tsx bench/sgemm.ts` (build the kernels first: `node scripts/build-wasm.mjs`).
// TensorFlow.js's figures at the same shapes come from `npm run bench` (bench/run.ts), which
// runs every system in its own process.
import type { Backend } from '../src/backends/backend.js';
import { CpuBackend } from '../src/backends/cpu/index.js';
import { loadKernels } from '../src/backends/wasm/loader.js';
import { WasmBackend } from '../src/backends/wasm/index.js';
import { timeSgemm } from './sinew-sgemm.js';
import { SGEMM_CASES, flops, type SgemmCase } from './workload.js';

/** Median GFLOP/s of backend.matmul for one case. */
function gflops(backend: Backend, c: SgemmCase, i: number, budgetMs: number): number {
  return flops(c) / (timeSgemm(backend, c, i, budgetMs).ms * 1e6);
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
