// Milliseconds and GFLOP/s of the wasm backend's float32 convolution and pooling kernels
// (1 and 2 threads) at the layers of the conv autoencoder on a batch of 64 MNIST-shaped
// inputs (28×28×1→16, maxPool 2, 14×14×16→8, upSampling 2, 28×28×8→1; 3×3 'same'), plus
// two 3×3 layers with more channels, against TensorFlow.js 4.22 on the same shapes: its cpu
// backend (forward and both gradients) and its wasm backend (forward only: it registers no
// convolution gradient). A convolution counts 2·M·N·K FLOPs (M = b·oh·ow, N = cout,
// K = fh·fw·cin); a pooling only its time. Medians over several runs after a warm-up (the
// machine is shared: compare within one run). A program, not a test: `npm run bench:conv`
// (build the kernels first: `node scripts/build-wasm.mjs`); `npm run bench:conv --
// --sinew-only` skips TF.js, whose cpu filter gradients take minutes. The upsampling is a
// composition of reshape and tile, not a window kernel: it is not timed here.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Backend, Conv2DInfo, TensorInfo } from '../src/backends/backend.js';
import { WasmBackend } from '../src/backends/wasm/index.js';
import { loadKernels } from '../src/backends/wasm/loader.js';
import { windowInfo } from '../src/ops/conv-geometry.js';
import { median, randomMatrix } from './workload.js';

const BATCH = 64;
const BUDGET_MS = 1500;

/**
 * Median ms of `run` after one warm-up call: at least 3 timed calls, more while they fit in
 * BUDGET_MS (at most 25); a call slower than BUDGET_MS is timed 3 times in all, one slower
 * than 10·BUDGET_MS once (TF.js's cpu backend takes seconds to a minute a call here).
 */
function timeMedian(run: () => void): number {
  const once = (): number => {
    const t0 = performance.now();
    run();
    return performance.now() - t0;
  };
  const first = once();
  if (first > 10 * BUDGET_MS) return first; // TF.js's cpu filter gradients: a minute a call
  if (first > BUDGET_MS) return median([first, once(), once()]); // seconds a call: no warm-up needed
  const runs = Math.max(3, Math.min(25, Math.floor(BUDGET_MS / Math.max(first, 1e-3))));
  return median(Array.from({ length: runs }, once));
}

interface Case {
  readonly label: string;
  readonly kind: 'conv' | 'maxPool';
  /** [height, width, channels] of the input. */
  readonly input: readonly [number, number, number];
  /** Output channels of a convolution. */
  readonly cout: number;
}

const CASES: readonly Case[] = [
  { label: 'conv 28×28×1→16', kind: 'conv', input: [28, 28, 1], cout: 16 },
  { label: 'maxPool 2 28×28×16', kind: 'maxPool', input: [28, 28, 16], cout: 16 },
  { label: 'conv 14×14×16→8', kind: 'conv', input: [14, 14, 16], cout: 8 },
  { label: 'conv 28×28×8→1', kind: 'conv', input: [28, 28, 8], cout: 1 },
  { label: 'conv 14×14×32→32', kind: 'conv', input: [14, 14, 32], cout: 32 },
  { label: 'conv 14×14×64→64', kind: 'conv', input: [14, 14, 64], cout: 64 },
];

type Pass = 'forward' | 'input grad' | 'filter grad' | 'grad';
const CONV_PASSES: readonly Pass[] = ['forward', 'input grad', 'filter grad'];
const POOL_PASSES: readonly Pass[] = ['forward', 'grad'];

function infoOf(c: Case): Conv2DInfo {
  const [size, strides] = c.kind === 'conv' ? [3, 1] : [2, 2];
  return windowInfo(
    [BATCH, ...c.input],
    {
      filter: [size, size],
      strides: [strides, strides],
      dilations: [1, 1],
      padding: c.kind === 'conv' ? 'same' : 'valid',
      outChannels: c.cout,
    },
    'bench',
  );
}

const shapes = (i: Conv2DInfo): Record<'x' | 'y' | 'f', number[]> => ({
  x: [i.batch, i.inHeight, i.inWidth, i.inChannels],
  y: [i.batch, i.outHeight, i.outWidth, i.outChannels],
  f: [i.filterHeight, i.filterWidth, i.inChannels, i.outChannels],
});
const count = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);
const values = (shape: number[], seed: number): Float32Array => randomMatrix(count(shape), seed);

function convFlops(i: Conv2DInfo): number {
  const m = i.batch * i.outHeight * i.outWidth;
  return 2 * m * i.outChannels * i.filterHeight * i.filterWidth * i.inChannels;
}

/** Median ms of one pass of a case on a sinew backend. */
function timeSinew(backend: Backend, c: Case, pass: Pass): number {
  const info = infoOf(c);
  const s = shapes(info);
  const t = (shape: number[], seed: number): TensorInfo => ({
    dataId: backend.write(values(shape, seed), 'float32'),
    shape,
    dtype: 'float32',
  });
  const [x, y, f] = [t(s.x, 1), t(s.y, 2), t(s.f, 3)];
  const run = {
    forward: () =>
      c.kind === 'conv' ? backend.conv2d(x, f, info) : backend.pool2d('max', x, info),
    'input grad': () => backend.conv2dBackpropInput(y, f, info),
    'filter grad': () => backend.conv2dBackpropFilter(x, y, info),
    grad: () => backend.pool2dGrad('max', x, y, info),
  }[pass];
  const ms = timeMedian(() => backend.release(run()));
  for (const o of [x, y, f]) backend.release(o.dataId);
  console.error(`sinew ${c.label} ${pass}: ${ms.toFixed(3)} ms`);
  return ms;
}

/**
 * Median ms of the plain matrix product of a convolution's size (M×K·K×N, M = b·oh·ow,
 * K = fh·fw·cin, N = cout) on a sinew backend: what the kernels reach at that shape without
 * windows, measured in the same run (the machine is shared: its load moves both alike).
 */
function timeProduct(backend: Backend, c: Case): number {
  const info = infoOf(c);
  const m = info.batch * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const n = info.outChannels;
  const a = {
    dataId: backend.write(values([m, k], 4), 'float32'),
    shape: [m, k],
    dtype: 'float32',
  };
  const b = {
    dataId: backend.write(values([k, n], 5), 'float32'),
    shape: [k, n],
    dtype: 'float32',
  };
  const ms = timeMedian(() =>
    backend.release(backend.matmul(a as TensorInfo, b as TensorInfo, false, false, [m, n])),
  );
  backend.release(a.dataId);
  backend.release(b.dataId);
  return ms;
}

/** Median ms of one pass of a case in TensorFlow.js on its current backend (NaN: none). */
function timeTfjs(c: Case, pass: Pass): number {
  if (tf.getBackend() === 'wasm' && pass !== 'forward') return Number.NaN;
  const info = infoOf(c);
  const s = shapes(info);
  const t = (shape: number[], seed: number): tf.Tensor4D =>
    tf.tensor4d(values(shape, seed), shape as [number, number, number, number]);
  const [x, y, f] = [t(s.x, 1), t(s.y, 2), t(s.f, 3)];
  const pad = c.kind === 'conv' ? 'same' : 'valid';
  const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC' };
  const engine = tf.engine();
  // TF.js's MaxPoolGrad takes the forward output too: computed once, outside the timing.
  const pooled = c.kind === 'maxPool' ? tf.maxPool(x, 2, 2, 'valid') : undefined;
  const run = {
    forward: () => (c.kind === 'conv' ? tf.conv2d(x, f, 1, 'same') : tf.maxPool(x, 2, 2, 'valid')),
    'input grad': () =>
      engine.runKernel('Conv2DBackpropInput', { dy: y, filter: f }, { ...attrs, inputShape: s.x }),
    'filter grad': () =>
      engine.runKernel('Conv2DBackpropFilter', { x, dy: y }, { ...attrs, filterShape: s.f }),
    grad: () =>
      engine.runKernel(
        'MaxPoolGrad',
        { dy: y, input: x, output: pooled! },
        { filterSize: 2, strides: 2, pad: 'valid' },
      ),
  }[pass];
  const ms = timeMedian(() => (run() as tf.Tensor).dispose());
  console.error(`tfjs ${tf.getBackend()} ${c.label} ${pass}: ${ms.toFixed(2)} ms`);
  for (const o of [x, y, f, pooled]) o?.dispose();
  return ms;
}

const relaxed = loadKernels(true, true);
if (typeof relaxed === 'string') {
  console.error(`wasm kernels unavailable: ${relaxed}`);
  process.exit(1);
}
const one = new WasmBackend(relaxed, { threads: 1 });
const two = new WasmBackend(relaxed, { threads: 2 });
await two.ready();

interface Row {
  label: string;
  pass: Pass;
  flops: number;
  ms: Record<string, number>;
}
const rows: Row[] = [];
for (const c of CASES) {
  const passes = c.kind === 'conv' ? CONV_PASSES : POOL_PASSES;
  for (const pass of passes) {
    const flops = c.kind === 'conv' ? convFlops(infoOf(c)) : Number.NaN;
    rows.push({
      label: c.label,
      pass,
      flops,
      ms: {
        '1t': timeSinew(one, c, pass),
        '2t': timeSinew(two, c, pass),
        sgemm: c.kind === 'conv' && pass === 'forward' ? timeProduct(one, c) : Number.NaN,
      },
    });
  }
}
// `--sinew-only` skips TensorFlow.js (its cpu backend takes minutes here).
const peers = process.argv.includes('--sinew-only') ? [] : ['cpu', 'wasm'];
for (const backend of peers) {
  if (backend === 'wasm') {
    const pkg = createRequire(import.meta.url).resolve(
      '@tensorflow/tfjs-backend-wasm/package.json',
    );
    setWasmPaths(join(dirname(pkg), 'dist') + '/');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} did not start`);
  await tf.ready();
  let r = 0;
  for (const c of CASES) {
    const passes = c.kind === 'conv' ? CONV_PASSES : POOL_PASSES;
    for (const pass of passes) rows[r++]!.ms[`tfjs ${backend}`] = timeTfjs(c, pass);
  }
}
one.close();
two.close();

const cell = (v: number, digits: number, width: number): string =>
  (Number.isFinite(v) ? v.toFixed(digits) : '-').padStart(width);
console.log(
  `batch ${BATCH}, float32, 3×3 'same' convolutions; median ms, GFLOP/s; sinew wasm ` +
    `(${relaxed.variant}) on 1t/2t threads; TF.js ${tf.version.tfjs} cpu and wasm (1 thread); ` +
    'sgemm GF/s: the plain product M×K·K×N of the same size on 1 thread',
);
const head = ['layer'.padEnd(22), 'pass'.padEnd(12)];
head.push(
  ...['1t ms', '1t GF/s', '2t ms', '2t GF/s', 'tfjs cpu', 'tfjs wasm'].map((h) => h.padStart(10)),
);
head.push(...['cpu/1t', 'wasm/1t', 'sgemm GF/s'].map((h) => h.padStart(11)));
console.log(head.join(''));
for (const { label, pass, flops, ms } of rows) {
  const gf = (t: number): number => flops / (t * 1e6);
  console.log(
    [
      label.padEnd(22),
      pass.padEnd(12),
      cell(ms['1t']!, 3, 10),
      cell(gf(ms['1t']!), 1, 10),
      cell(ms['2t']!, 3, 10),
      cell(gf(ms['2t']!), 1, 10),
      cell(ms['tfjs cpu']!, 2, 10),
      cell(ms['tfjs wasm']!, 2, 10),
      cell(ms['tfjs cpu']! / ms['1t']!, 1, 11),
      cell(ms['tfjs wasm']! / ms['1t']!, 1, 11),
      cell(gf(ms['sgemm']!), 1, 11),
    ].join(''),
  );
}
