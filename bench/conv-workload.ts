// The conv autoencoder step of `npm run bench`, shared by the orchestrator (bench/run.ts) and
// its children (bench/peers/sinew-conv.ts, bench/peers/tfjs-conv.ts): the model, its initial
// weights (a file written once by bench/inputs.ts, so every system starts from sinew's), the
// step schedule and the FLOPs a step costs. Imports nothing from sinew or TensorFlow.js.
//
//   28×28×1 → conv 3×3×16 relu same → max-pool 2 → conv 3×3×8 sigmoid same (the code)
//           → upsample 2 → conv 3×3×1 sigmoid same
//
// One training step: a batch of 64 digits, loss mse + 1e-4·Σ|code| (Σ over the batch), Adam 1e-3
// in the Keras form (ε added to the uncorrected √v, as sinew and Keras do).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { PIXELS, mean, median } from './workload.js';

export const CONV_BATCH = 64;
export const CONV_L1 = 1e-4;

/** [kernelHeight, kernelWidth, inChannels, outChannels] of the three convolutions. */
export const CONV_KERNELS = [
  [3, 3, 1, 16],
  [3, 3, 16, 8],
  [3, 3, 8, 1],
] as const;

/** Output height = width of each convolution ('same' padding, stride 1). */
const CONV_OUT_SIZES = [28, 14, 28];

/** The glorot-uniform seeds of the three kernels (biases start at zero). */
export const CONV_SEEDS = [11, 12, 13];

/** Multiply-adds of each convolution's forward pass for one digit, times 2. */
function convFlops(i: number): number {
  const [kh, kw, cin, cout] = CONV_KERNELS[i]!;
  const size = CONV_OUT_SIZES[i]!;
  return 2 * size * size * kh * kw * cin * cout;
}

/**
 * FLOPs of the convolutions in one step of a batch (pooling, upsampling and elementwise work
 * left out, under 1%). Prediction: the three forward convolutions. Training: those, the three
 * filter gradients (as many FLOPs as their forward) and the input gradients of the second and
 * third convolutions (the first one's input is the data: no gradient).
 */
export function convStepFlops(batch: number, training: boolean): number {
  const forward = [0, 1, 2].map(convFlops);
  const total = forward.reduce((a, b) => a + b, 0);
  return batch * (training ? 2 * total + forward[1]! + forward[2]! : total);
}

/** The initial weights: kernel then bias of each convolution, as the conv inputs file stores them. */
export type ConvWeights = Float32Array[];

export function convWeightSizes(): number[] {
  return CONV_KERNELS.flatMap(([kh, kw, cin, cout]) => [kh * kw * cin * cout, cout]);
}

export function readConvWeights(path: string): ConvWeights {
  const bytes = readFileSync(path);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const out: Float32Array[] = [];
  let offset = 0;
  for (const size of convWeightSizes()) {
    out.push(all.slice(offset, offset + size));
    offset += size;
  }
  if (offset !== all.length)
    throw new Error(`conv inputs: ${all.length} floats, expected ${offset}`);
  return out;
}

/**
 * Warm-up and timed steps (quick: a smoke run). TF.js's cpu backend takes seconds per conv
 * step, so it runs only the `parity` steps (2 of them warm-up); sinew runs more timed steps,
 * and both report the loss after `parity` steps for the comparison.
 */
export function convSchedule(
  quick: boolean,
  slow = false,
): { warmup: number; timed: number; parity: number } {
  const parity = quick ? 4 : 10;
  if (slow) return { warmup: 2, timed: parity - 2, parity };
  return quick ? { warmup: 2, timed: 6, parity } : { warmup: 2, timed: 40, parity };
}

/** The start of batch `step` (consecutive batches of 64 digits, wrapping around). */
export function convBatchStart(step: number, digits: number): number {
  const perEpoch = Math.floor(digits / CONV_BATCH);
  return (step % perEpoch) * CONV_BATCH;
}

/** The pixels of batch `step`: [64, 784] floats, to be shaped [64, 28, 28, 1]. */
export function convBatch(pixels: Float32Array, digits: number, step: number): Float32Array {
  const start = convBatchStart(step, digits);
  return pixels.subarray(start * PIXELS, (start + CONV_BATCH) * PIXELS);
}

export interface ConvFigures {
  readonly training: boolean;
  readonly steps: number;
  readonly medianMs: number;
  readonly meanMs: number;
  /** FLOPs of one step (convStepFlops) and what the median time makes of them. */
  readonly flops: number;
  readonly gflops: number;
  /** Training: the loss of the first step and of step `parity` (mse + 1e-4·Σ|code|). */
  readonly firstLoss?: number;
  readonly finalLoss?: number;
  /** Training: the step whose loss finalLoss is (the same in every system). */
  readonly parityStep?: number;
}

/**
 * Runs `step(i)` (which returns the loss, read back, so the step has finished) for the warm-up
 * and timed steps, letting the event loop turn between steps as runSchedule does.
 */
export async function runConvSteps(
  schedule: { warmup: number; timed: number; parity: number },
  step: (i: number) => number,
): Promise<ConvFigures> {
  const { warmup, timed, parity } = schedule;
  const times: number[] = [];
  let firstLoss = NaN;
  let finalLoss = NaN;
  for (let i = 0; i < warmup + timed; i++) {
    const t0 = performance.now();
    const loss = step(i);
    const ms = performance.now() - t0;
    if (!Number.isFinite(loss)) throw new Error(`conv step ${i}: the loss is ${loss}`);
    if (i === 0) firstLoss = loss;
    if (i === parity - 1) finalLoss = loss;
    if (i >= warmup) times.push(ms);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const flops = convStepFlops(CONV_BATCH, true);
  const medianMs = median(times);
  return {
    training: true,
    steps: timed,
    medianMs,
    meanMs: mean(times),
    flops,
    gflops: flops / (medianMs * 1e6),
    firstLoss,
    finalLoss,
    parityStep: parity,
  };
}

/** Prediction figures from a median time (bench/workload.ts timeMedian). */
export function predictFigures(ms: number, runs: number): ConvFigures {
  const flops = convStepFlops(CONV_BATCH, false);
  return {
    training: false,
    steps: runs,
    medianMs: ms,
    meanMs: ms,
    flops,
    gflops: flops / (ms * 1e6),
  };
}
