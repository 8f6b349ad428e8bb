import type { Conv2DInfo, PoolOp } from '../backend.js';
import { BINARY_CODES, type KernelExports } from './codes.js';
import { MIN_ELEMENTS, MIN_FLOPS, cut, splitRange, type WorkerPool } from './pool.js';

/**
 * How the wasm backend runs 2-D convolutions and poolings (assembly/conv.ts, pool.ts) and
 * splits them between threads. A convolution is a matrix product over M = batch·oh·ow output
 * positions, K = fh·fw·cin window taps and N = cout channels:
 *   forward          Y = Col·F        rows of Y (output positions) cut between threads;
 *   filter gradient  dF = Colᵀ·dY    M is the depth of the product: each thread sums its own
 *                                     range of positions into its own dF, then the partial
 *                                     sums are added (so the result differs from one thread's
 *                                     in rounding only);
 *   input gradient   dCol = dY·Fᵀ    added back window by window into dx: windows of one
 *                                     image overlap, so threads take whole images.
 * Poolings take whole images too. Work goes parallel from MIN_FLOPS (about 0.2 ms), and the
 * calling thread takes back any share a sleeping worker has not started (never much slower
 * than one thread).
 */

/** Memory the kernels need besides their operands: the allocation and release of float32 blocks. */
export interface ConvMemory {
  /** A block of `floats` float32 (byte offset). */
  alloc(floats: number): number;
  /** The block at `offset` is done with. */
  free(offset: number): void;
}

/** The geometry block the kernels read: Conv2DInfo's fields in its declared order. */
export function geometryValues(info: Conv2DInfo): number[] {
  return [
    info.batch,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padTop,
    info.padLeft,
  ];
}

/** Byte offsets of a call's operands, and the calling thread's scratch. */
export interface ConvCall {
  readonly k: KernelExports;
  readonly pool: () => WorkerPool | undefined;
  readonly info: Conv2DInfo;
  readonly meta: number;
  readonly scratch: number;
}

/** Rows of Y (multiples of 16, the sgemm's 2-row panels stay whole) a thread computes. */
const ROW_QUANTUM = 16;

function sizes(info: Conv2DInfo): { m: number; n: number; depth: number; flops: number } {
  const m = info.batch * info.outHeight * info.outWidth;
  const n = info.outChannels;
  const depth = info.filterHeight * info.filterWidth * info.inChannels;
  return { m, n, depth, flops: 2 * m * n * depth };
}

/** The pool when `flops` of work is worth splitting and it has more than one thread. */
function workersFor(call: ConvCall, flops: number): WorkerPool | undefined {
  const workers = flops >= MIN_FLOPS ? call.pool() : undefined;
  return workers && workers.threads() > 1 ? workers : undefined;
}

/** y [b, oh, ow, cout] = conv2d(x, f): rows of Y cut between threads. */
export function convForward(call: ConvCall, x: number, f: number, y: number): void {
  const { k, meta, scratch } = call;
  const { m, flops } = sizes(call.info);
  const workers = workersFor(call, flops);
  if (!workers) {
    k.conv2dForward(meta, x, f, y, 0, m, scratch);
    return;
  }
  const shares = cut(m, workers.threads(), ROW_QUANTUM).map(([from, to]) => [
    meta,
    x,
    f,
    y,
    from,
    to,
    scratch,
  ]);
  workers.split(k, 'conv2dForward', shares, true);
}

/**
 * dF [fh, fw, cin, cout] into `out`: each thread over a range of output positions into its
 * own partial sum (the first into `out`), the partial sums then added into `out`.
 */
export function convFilter(
  call: ConvCall,
  memory: ConvMemory,
  x: number,
  dy: number,
  out: number,
): void {
  const { k, meta, scratch } = call;
  const { m, n, depth, flops } = sizes(call.info);
  const workers = workersFor(call, flops);
  if (!workers) {
    k.conv2dFilter(meta, x, dy, out, 0, m, scratch);
    return;
  }
  const size = depth * n;
  const ranges = cut(m, workers.threads(), ROW_QUANTUM);
  const partials = ranges.map((_, i) => (i === 0 ? out : memory.alloc(size)));
  const shares = ranges.map(([from, to], i) => [meta, x, dy, partials[i]!, from, to, scratch]);
  workers.split(k, 'conv2dFilter', shares, true);
  for (const partial of partials.slice(1)) {
    k.binaryRow(BINARY_CODES.add!, out, partial, out, size, size, false);
    memory.free(partial);
  }
}

/** Rows of dCol computed at a time (a block of about 64 KiB, at least 16 rows). */
function blockRows(depth: number): number {
  return Math.min(1024, Math.max(ROW_QUANTUM, Math.ceil(16_384 / Math.max(1, depth) / 16) * 16));
}

/** dx [b, h, w, cin] = conv2d's input gradient from dy and f: whole images per thread. */
export function convInput(
  call: ConvCall,
  memory: ConvMemory,
  dy: number,
  f: number,
  dx: number,
): void {
  const { k, meta, scratch, info } = call;
  const { depth, flops } = sizes(info);
  const rows = blockRows(depth);
  const workers = info.batch > 1 ? workersFor(call, flops) : undefined;
  const ranges = cut(info.batch, workers?.threads() ?? 1, 1);
  const blocks = ranges.map(() => memory.alloc(rows * depth));
  const shares = ranges.map(([from, to], i) => [meta, dy, f, dx, from, to, blocks[i]!, rows]);
  if (workers) {
    workers.split(
      k,
      'conv2dInput',
      shares.map((s) => [...s, scratch]),
      true,
    );
  } else {
    const [s] = shares as [number[]];
    k.conv2dInput(s[0]!, s[1]!, s[2]!, s[3]!, s[4]!, s[5]!, s[6]!, s[7]!, scratch);
  }
  for (const block of blocks) memory.free(block);
}

const POOL_CODES: Record<PoolOp, number> = { max: 0, avg: 1 };

/** Floats a pooling reads per output: the window, about (a guess for the parallel threshold). */
function poolWork(info: Conv2DInfo): number {
  const outputs = info.batch * info.outHeight * info.outWidth * info.outChannels;
  return outputs * info.filterHeight * info.filterWidth;
}

/** y = the pooling of x, whole images per thread. */
export function pool(call: ConvCall, op: PoolOp, x: number, y: number): void {
  const { k, meta, info } = call;
  const job = { kind: 'pool2d', n: info.batch, quantum: 1, elements: poolWork(info) } as const;
  splitRange(k, call.pool, job, (from, to) => [meta, POOL_CODES[op], x, y, from, to]);
}

/** dx = the pooling's gradient from x and dy, whole images per thread. */
export function poolGrad(call: ConvCall, op: PoolOp, x: number, dy: number, dx: number): void {
  const { k, meta, info } = call;
  const job = { kind: 'pool2dGrad', n: info.batch, quantum: 1, elements: poolWork(info) } as const;
  splitRange(k, call.pool, job, (from, to) => [meta, POOL_CODES[op], x, dy, dx, from, to]);
}

/** Multiply-adds of a depthwise convolution (a guess of its work, for the parallel threshold). */
function depthwiseWork(info: Conv2DInfo): number {
  const outputs = info.batch * info.outHeight * info.outWidth * info.outChannels;
  return outputs * info.filterHeight * info.filterWidth;
}

/** y = depthwiseConv2d(x, f): output positions cut between threads. */
export function depthwiseForward(call: ConvCall, x: number, f: number, y: number): void {
  const { k, meta, info } = call;
  const n = info.batch * info.outHeight * info.outWidth;
  const job = { kind: 'depthwiseForward', n, quantum: 1, elements: depthwiseWork(info) } as const;
  splitRange(k, call.pool, job, (from, to) => [meta, x, f, y, from, to]);
}

/** dx = depthwiseConv2d's input gradient: whole images per thread. */
export function depthwiseInput(call: ConvCall, dy: number, f: number, dx: number): void {
  const { k, meta, info } = call;
  const job = {
    kind: 'depthwiseInput',
    n: info.batch,
    quantum: 1,
    elements: depthwiseWork(info),
  } as const;
  splitRange(k, call.pool, job, (from, to) => [meta, dy, f, dx, from, to]);
}

/** dF = depthwiseConv2d's filter gradient: per-thread partial sums over positions, added. */
export function depthwiseFilter(
  call: ConvCall,
  memory: ConvMemory,
  x: number,
  dy: number,
  out: number,
): void {
  const { k, meta, info } = call;
  const m = info.batch * info.outHeight * info.outWidth;
  const workers = depthwiseWork(info) >= MIN_ELEMENTS ? call.pool() : undefined;
  if (!workers || workers.threads() < 2) {
    k.depthwiseFilter(meta, x, dy, out, 0, m);
    return;
  }
  const size = info.filterHeight * info.filterWidth * info.outChannels;
  const ranges = cut(m, workers.threads(), ROW_QUANTUM);
  const partials = ranges.map((_, i) => (i === 0 ? out : memory.alloc(size)));
  const shares = ranges.map(([from, to], i) => [meta, x, dy, partials[i]!, from, to]);
  workers.split(k, 'depthwiseFilter', shares, true);
  for (const partial of partials.slice(1)) {
    k.binaryRow(BINARY_CODES.add!, out, partial, out, size, size, false);
    memory.free(partial);
  }
}
