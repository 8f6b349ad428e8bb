// Measures the cpu backend's reference matmul kernel (plain TypeScript, cache- and
// register-blocked) against a naive triple loop, in GFLOP/s (medians over several runs after a
// warm-up). A program, not a test: run it with `npx tsx bench/matmul-cpu.ts`.
import { performance } from 'node:perf_hooks';
import * as sn from '../src/index.js';
import { matmul } from '../src/backends/cpu/matmul.js';

const WARMUP = 3;
const RUNS = 9;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median milliseconds of `run` over RUNS timed calls, after WARMUP untimed ones. */
function time(run: () => unknown): number {
  for (let i = 0; i < WARMUP; i++) run();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** The textbook loop: c[i][j] = Σ_p a[i][p]·b[p][j], row-major Float32Arrays. */
function naive(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

interface Case {
  name: string;
  /** Stored shapes of a and b, the transposes, and the product's m, k, n. */
  a: [number, number];
  b: [number, number];
  transposeA: boolean;
  transposeB: boolean;
  naive: boolean;
}

const cases: Case[] = [
  {
    name: '128×784 · 784×256 (x·W)',
    a: [128, 784],
    b: [784, 256],
    transposeA: false,
    transposeB: false,
    naive: true,
  },
  {
    name: '256×256 · 256×256',
    a: [256, 256],
    b: [256, 256],
    transposeA: false,
    transposeB: false,
    naive: true,
  },
  {
    name: '(128×784)ᵀ · 128×256 (xᵀ·dZ)',
    a: [128, 784],
    b: [128, 256],
    transposeA: true,
    transposeB: false,
    naive: false,
  },
  {
    name: '128×256 · (784×256)ᵀ (dZ·Wᵀ)',
    a: [128, 256],
    b: [784, 256],
    transposeA: false,
    transposeB: true,
    naive: false,
  },
];

console.log(`cpu matmul kernel, float32, median of ${RUNS} runs after ${WARMUP} warm-up runs\n`);
for (const c of cases) {
  const a = sn.randomUniform(c.a, { minval: -1, maxval: 1, seed: 1 });
  const b = sn.randomUniform(c.b, { minval: -1, maxval: 1, seed: 2 });
  const m = c.transposeA ? c.a[1] : c.a[0];
  const k = c.transposeA ? c.a[0] : c.a[1];
  const n = c.transposeB ? c.b[0] : c.b[1];
  const flop = 2 * m * k * n;
  const gflops = (ms: number): string => (flop / ms / 1e6).toFixed(2);

  const blocked = time(() => matmul(a, b, c.transposeA, c.transposeB, [m, n]));
  let line = `${c.name.padEnd(34)} blocked ${blocked.toFixed(2).padStart(7)} ms  ${gflops(blocked).padStart(6)} GFLOP/s`;
  if (c.naive) {
    const av = a.dataSync() as Float32Array;
    const bv = b.dataSync() as Float32Array;
    const slow = time(() => naive(av, bv, m, k, n));
    line += `   naive ${slow.toFixed(2).padStart(7)} ms  ${gflops(slow).padStart(6)} GFLOP/s   ×${(slow / blocked).toFixed(1)}`;
  }
  console.log(line);
}
