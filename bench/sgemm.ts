// GFLOP/s of the wasm backend's float32 matmul (1 and 2 threads) against the cpu reference, at the
// shapes of the autoencoder workload (128×784·784×256 and its transposed backward products)
// and at 256³ and 1024³. Medians over several runs after a warm-up. A program, not a test:
// `npx tsx bench/sgemm.ts` (build the kernels first: `node scripts/build-wasm.mjs`).
// TensorFlow.js's wasm backend (@tensorflow/tfjs-backend-wasm) is not installed, so it is not
// measured here; /work/shared/PERFORMANCE.md has its figures (~25–30 GFLOP/s plain products,
// ~2 GFLOP/s transposed).
import { performance } from 'node:perf_hooks';
import type { Backend, TensorInfo } from '../src/backends/backend.js';
import { CpuBackend } from '../src/backends/cpu/index.js';
import { loadKernels } from '../src/backends/wasm/loader.js';
import { WasmBackend } from '../src/backends/wasm/index.js';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function random(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

interface Case {
  readonly label: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly ta: boolean;
  readonly tb: boolean;
}

const CASES: Case[] = [
  { label: 'x·W        128×784·784×256', m: 128, k: 784, n: 256, ta: false, tb: false },
  { label: 'xᵀ·dZ      784×128·128×256', m: 784, k: 128, n: 256, ta: true, tb: false },
  { label: 'dZ·Wᵀ      128×256·256×784', m: 128, k: 256, n: 784, ta: false, tb: true },
  { label: '256³', m: 256, k: 256, n: 256, ta: false, tb: false },
  { label: '1024³', m: 1024, k: 1024, n: 1024, ta: false, tb: false },
];

/** Median GFLOP/s of backend.matmul for one case; the output is released after each call. */
function gflops(backend: Backend, c: Case, maxMs: number): number {
  const aShape = c.ta ? [c.k, c.m] : [c.m, c.k];
  const bShape = c.tb ? [c.n, c.k] : [c.k, c.n];
  const a: TensorInfo = {
    dataId: backend.write(random(c.m * c.k), 'float32'),
    shape: aShape,
    dtype: 'float32',
  };
  const b: TensorInfo = {
    dataId: backend.write(random(c.k * c.n), 'float32'),
    shape: bShape,
    dtype: 'float32',
  };
  const run = (): number => {
    const t0 = performance.now();
    backend.release(backend.matmul(a, b, c.ta, c.tb, [c.m, c.n]));
    return performance.now() - t0;
  };
  const first = run();
  const runs = Math.max(3, Math.min(25, Math.floor(maxMs / Math.max(first, 1e-3))));
  for (let i = 0; i < 2; i++) run();
  const ms = median(Array.from({ length: runs }, run));
  return (2 * c.m * c.k * c.n) / (ms * 1e6);
}

const relaxed = loadKernels(true);
const plain = loadKernels(false);
const shared = loadKernels(true, true);
for (const k of [relaxed, plain, shared]) {
  if (typeof k === 'string') {
    console.error(`wasm kernels unavailable: ${k}`);
    process.exit(1);
  }
}
if (typeof relaxed === 'string' || typeof plain === 'string' || typeof shared === 'string') {
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
for (const c of CASES) {
  const cells = backends.map(([, backend, ms]) => gflops(backend, c, ms).toFixed(1).padStart(22));
  console.log([c.label.padEnd(30), ...cells].join(''));
}
pool.close();
console.log(
  'tfjs-backend-wasm: not installed (see /work/shared/PERFORMANCE.md: ~25–30 plain, ~2 transposed).',
);
