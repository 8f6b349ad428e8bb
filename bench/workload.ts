// What every system measures, shared by the orchestrator (bench/run.ts) and the child processes
// (bench/peers/*.ts): the sgemm shapes, the autoencoder's hyper-parameters, the inputs file
// (digits and initial weights, written once by bench/inputs.ts so that every system trains on
// the same bytes), the step schedule, medians, and the JSON a child prints. Imports nothing
// from sinew or TensorFlow.js, so that a child's peak RSS holds only its own library.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ConvFigures } from './conv-workload.js';

export const PIXELS = 784;
export const UNITS = 256;
export const BATCH = 128;
export const LEARNING_RATE = 1e-3;
export const L1 = 1e-5;

// The recurrent step (issue 15): an LSTM classifier on MNIST rows (28 steps of 28 pixels),
// 128 units, softmax over 10 classes, cross-entropy + l2(1e-4)·Σ recurrentKernel², Adam 1e-3.
export const ROWS = 28;
export const LSTM_UNITS = 128;
export const CLASSES = 10;
export const L2_RECURRENT = 1e-4;

export interface SgemmCase {
  readonly label: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  /** One of the three shapes the issue names (the others are informative). */
  readonly headline: boolean;
}

const gemm = (label: string, [m, k, n]: number[], t = '', headline = false): SgemmCase => ({
  label,
  m: m!,
  k: k!,
  n: n!,
  transposeA: t === 'A',
  transposeB: t === 'B',
  headline,
});

/** [m, k, n] of C = A·B; the last two are the transposed products of the backward pass. */
export const SGEMM_CASES: readonly SgemmCase[] = [
  gemm('128×784·784×256', [128, 784, 256], '', true),
  gemm('256×256·256×256', [256, 256, 256], '', true),
  gemm('1024×1024·1024×1024', [1024, 1024, 1024], '', true),
  gemm('xᵀ·dZ 784×128·128×256', [784, 128, 256], 'A'),
  gemm('dZ·Wᵀ 128×256·256×784', [128, 256, 784], 'B'),
];

/** What the orchestrator passes to a child (as one JSON argument). */
export interface ChildConfig {
  /** 'conv-train' and 'conv-predict': the conv autoencoder (bench/conv-workload.ts). */
  readonly task: 'sgemm' | 'train' | 'lstm' | 'conv-train' | 'conv-predict';
  /** The inputs file written by bench/inputs.ts. */
  readonly inputs: string;
  /** The one-hot labels [n, 10] of the digits (float32), for the LSTM classifier. */
  readonly labels?: string;
  /** The conv autoencoder's initial weights (bench/inputs.ts writeConvInputs). */
  readonly convInputs?: string;
  readonly quick: boolean;
  /** sinew: the wasm backend's thread count to ask for. */
  readonly threads?: number;
  /** TensorFlow.js: which backend. */
  readonly backend?: 'cpu' | 'wasm';
  /** TensorFlow.js: tf.train.adam ('tfjs', default) or the Keras-form Adam ('keras'). */
  readonly adam?: 'tfjs' | 'keras';
}

export interface SgemmFigure {
  readonly label: string;
  readonly gflops: number;
  readonly medianMs: number;
  readonly runs: number;
}

export interface TrainFigures {
  readonly steps: number;
  readonly medianMs: number;
  readonly meanMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
  /** The loss (mse + L1·Σ|code|; for the LSTM, cross-entropy + penalty) of the first and last step. */
  readonly firstLoss: number;
  readonly lastLoss: number;
  /** The mean loss over the last timed epoch (or the timed steps, with --quick). */
  readonly finalLoss: number;
  /** Steps slower than twice the median (a tail the mean shows and the median hides). */
  readonly slowSteps: number;
  /** Every timed step, in ms (rounded to µs), in order: for results.json. */
  readonly stepsMs: number[];
}

/** The one JSON line a child prints (prefixed by RESULT_PREFIX). */
export interface ChildResult {
  readonly system: string;
  /** Backend details: variant, threads actually used, SIMD, and notes. */
  readonly setup: Record<string, string | number | boolean>;
  /** Why the child measured nothing (e.g. the backend has no threads option). */
  readonly unsupported?: string;
  readonly sgemm?: readonly SgemmFigure[];
  readonly train?: TrainFigures;
  readonly conv?: ConvFigures;
  /** process.resourceUsage().maxRSS, in MiB. */
  readonly peakRssMiB: number;
  /** RSS once the library is loaded and before the workload, in MiB. */
  readonly startRssMiB: number;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

export function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function quantile(xs: readonly number[], q: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** Uniform numbers in [-1, 1) from a seeded xorshift32: sgemm operands, the same in every child. */
export function randomMatrix(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Median milliseconds of `run` (which must finish its work before returning): one probe, two
 * warm-ups, then as many runs as fit in `budgetMs` (at least 3, at most 25).
 */
export function timeMedian(run: () => void, budgetMs: number): { ms: number; runs: number } {
  const once = (): number => {
    const t0 = performance.now();
    run();
    return performance.now() - t0;
  };
  const first = once();
  const runs = Math.max(3, Math.min(25, Math.floor(budgetMs / Math.max(first, 1e-3))));
  for (let i = 0; i < 2; i++) once();
  const ms = median(Array.from({ length: runs }, once));
  return { ms, runs };
}

export const flops = (c: SgemmCase): number => 2 * c.m * c.k * c.n;

/** The digits [n, 784] and the initial weights, as the inputs file stores them. */
export interface Inputs {
  readonly n: number;
  readonly pixels: Float32Array;
  readonly kernel1: Float32Array;
  readonly bias1: Float32Array;
  readonly kernel2: Float32Array;
  readonly bias2: Float32Array;
}

/** Layout of the inputs file: a float32 count n, then pixels, kernel1, bias1, kernel2, bias2. */
export function inputSizes(n: number): number[] {
  return [n * PIXELS, PIXELS * UNITS, UNITS, UNITS * PIXELS, PIXELS];
}

export function readInputs(path: string): Inputs {
  const bytes = readFileSync(path);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const n = all[0]!;
  const parts: Float32Array[] = [];
  let offset = 1;
  for (const size of inputSizes(n)) {
    parts.push(all.slice(offset, offset + size));
    offset += size;
  }
  const [pixels, kernel1, bias1, kernel2, bias2] = parts as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  return { n, pixels, kernel1, bias1, kernel2, bias2 };
}

/**
 * The step schedule: the batches of one epoch in order (no shuffling, the last one partial),
 * how many steps warm up and how many are timed. Full: one warm-up epoch, three timed epochs.
 * Quick: 5 warm-up steps, 15 timed.
 */
export function schedule(
  n: number,
  quick: boolean,
): { batches: { start: number; size: number }[]; warmup: number; timed: number; perEpoch: number } {
  const batches: { start: number; size: number }[] = [];
  for (let start = 0; start < n; start += BATCH) {
    batches.push({ start, size: Math.min(BATCH, n - start) });
  }
  const perEpoch = batches.length;
  return quick
    ? { batches, warmup: 5, timed: 15, perEpoch: 15 }
    : { batches, warmup: perEpoch, timed: 3 * perEpoch, perEpoch };
}

/**
 * Runs the schedule: `step(b)` trains on batch b and returns its loss (read back, so the step
 * has finished). Returns the timing and loss figures of the timed steps. Between steps, outside
 * the timing, it lets the event loop turn once (as a program that does anything else would):
 * sinew's wasm backend frees the values of collected tensors from a FinalizationRegistry,
 * whose callbacks only run then; a loop that never yields fills its memory.
 */
export async function runSchedule(
  n: number,
  quick: boolean,
  step: (batchIndex: number) => number,
): Promise<TrainFigures> {
  const { batches, warmup, timed, perEpoch } = schedule(n, quick);
  const times: number[] = [];
  const losses: number[] = [];
  let firstLoss = NaN;
  for (let i = 0; i < warmup + timed; i++) {
    const t0 = performance.now();
    const loss = step(i % batches.length);
    const ms = performance.now() - t0;
    if (i === 0) firstLoss = loss;
    if (!Number.isFinite(loss)) throw new Error(`step ${i}: the loss is ${loss}`);
    if (i >= warmup) {
      times.push(ms);
      losses.push(loss);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    steps: timed,
    medianMs: median(times),
    meanMs: mean(times),
    p10Ms: quantile(times, 0.1),
    p90Ms: quantile(times, 0.9),
    firstLoss,
    lastLoss: losses[losses.length - 1]!,
    finalLoss: mean(losses.slice(-perEpoch)),
    slowSteps: slowSteps(times),
    stepsMs: times.map((t) => Math.round(t * 1000) / 1000),
  };
}

export const mib = (kib: number): number => Math.round((kib / 1024) * 10) / 10;

/** Prints the child's result line. */
export function report(result: Omit<ChildResult, 'peakRssMiB'>): void {
  const peakRssMiB = mib(process.resourceUsage().maxRSS);
  console.log(RESULT_PREFIX + JSON.stringify({ ...result, peakRssMiB }));
}

export function parseConfig(): ChildConfig {
  const arg = process.argv[2];
  if (!arg) throw new Error('usage: <child> \'{"task":"train","inputs":"...","quick":false}\'');
  return JSON.parse(arg) as ChildConfig;
}

/** The one-hot labels file written by bench/inputs.ts. */
export function readLabels(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
}

/**
 * The LSTM classifier's initial weights, the same in every child: glorot-uniform-sized uniform
 * numbers from randomMatrix for the kernels (gate order i, f, c, o as Keras and TF.js), zero
 * biases but the forget block at 1 (unitForgetBias).
 */
export function lstmWeights(): {
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
  dense: Float32Array;
  denseBias: Float32Array;
} {
  const scaled = (rows: number, cols: number, seed: number): Float32Array => {
    const limit = Math.sqrt(6 / (rows + cols));
    return randomMatrix(rows * cols, seed).map((v) => v * limit);
  };
  const bias = new Float32Array(4 * LSTM_UNITS);
  bias.fill(1, LSTM_UNITS, 2 * LSTM_UNITS);
  return {
    kernel: scaled(ROWS, 4 * LSTM_UNITS, 11),
    recurrentKernel: scaled(LSTM_UNITS, 4 * LSTM_UNITS, 12),
    bias,
    dense: scaled(LSTM_UNITS, CLASSES, 13),
    denseBias: new Float32Array(CLASSES),
  };
}

/**
 * The LSTM step schedule: batches of BATCH sequences from the start of the digits; fewer steps
 * than the autoencoder (TF.js's cpu backend takes about a second a step). Full: 3 warm-up, 20
 * timed; quick: 2 and 6.
 */
export function lstmSchedule(quick: boolean): { warmup: number; timed: number } {
  return quick ? { warmup: 2, timed: 6 } : { warmup: 3, timed: 20 };
}

/** Runs the LSTM schedule as runSchedule does (step(b) returns the loss, read back). */
export async function runLstmSchedule(
  n: number,
  quick: boolean,
  step: (batchIndex: number) => number,
): Promise<TrainFigures> {
  const { warmup, timed } = lstmSchedule(quick);
  const perBatch = Math.floor(n / BATCH);
  const times: number[] = [];
  const losses: number[] = [];
  let firstLoss = NaN;
  for (let i = 0; i < warmup + timed; i++) {
    const t0 = performance.now();
    const loss = step(i % perBatch);
    const ms = performance.now() - t0;
    if (i === 0) firstLoss = loss;
    if (!Number.isFinite(loss)) throw new Error(`step ${i}: the loss is ${loss}`);
    if (i >= warmup) {
      times.push(ms);
      losses.push(loss);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    steps: timed,
    medianMs: median(times),
    meanMs: mean(times),
    p10Ms: quantile(times, 0.1),
    p90Ms: quantile(times, 0.9),
    firstLoss,
    lastLoss: losses[losses.length - 1]!,
    finalLoss: mean(losses),
    slowSteps: slowSteps(times),
    stepsMs: times.map((t) => Math.round(t * 1000) / 1000),
  };
}

/** Steps slower than twice the median (the median computed once). */
function slowSteps(times: readonly number[]): number {
  const bar = 2 * median(times);
  return times.filter((t) => t > bar).length;
}
