import { SinewError } from '../../errors.js';
import type { KernelExports } from './codes.js';
import {
  ARGS,
  CLAIM,
  DONE,
  FAILED,
  JOBS_DONE,
  KIND,
  RUNNING,
  SEQ,
  SLOTS,
  canBlock,
  spawnThread,
  type Thread,
} from './thread.js';

/**
 * A persistent pool of worker threads (Node worker_threads, or Web Workers in a cross-origin
 * isolated page) sharing the backend's WebAssembly.Memory: every worker instantiates the same
 * compiled module on the same shared memory, so a kernel call in a worker reads and writes the
 * tensors in place. Large products are split over rows of C (M): each thread runs the
 * ordinary sgemm on its band of rows with its own scratch, so every output element is summed
 * in the same order as on one thread and the result is bit-for-bit the single-threaded one.
 * Large elementwise jobs (the Adam update, unary and binary arithmetic, a dense layer's
 * activation gradient) are split into contiguous ranges (splitRange) whose boundaries are
 * multiples of the SIMD width or of a row: each element is computed by the same instructions
 * as on one thread, so these results are bit-for-bit the single-threaded ones too.
 * Convolutions and poolings split output rows or whole images (./conv.ts), bit-for-bit too,
 * except a convolution's filter gradient, which adds per-thread partial sums. The fused
 * recurrent gates split batch rows (./gates.ts), bit-for-bit too.
 *
 * Synchronisation is through a small SharedArrayBuffer, one block of slots per worker (see
 * ./thread.ts). A waiting side spins for a bounded time (SPIN_MS: a round trip through
 * Atomics.wait and notify costs ~10–30 µs) and then sleeps in Atomics.wait, so an idle pool
 * costs nothing and a busy machine is not starved by spinning; a browser's main thread, which
 * may not call Atomics.wait, spins on Atomics.load until the worker is done or STALL_MS has
 * passed. A product goes parallel only above MIN_FLOPS (about 0.2 ms on one thread): below
 * it waking a worker costs more than it saves; an elementwise job above MIN_ELEMENTS.
 *
 * A job is a kernel export run on argument lists (JOBS): split() posts the shares, runs the
 * first on the calling thread, and runs on the caller the share of a worker that failed or
 * stalled. Adding a job kind: an entry in JOBS and a caller that cuts the work into shares
 * (cut(), or splitRange() for a job over one range).
 */

const SPIN_MS = 0.05;
/** Floating-point operations (2·m·n·k) below which a product runs on the calling thread. */
export const MIN_FLOPS = 8e6;
/**
 * Elements an elementwise job writes below which it runs on the calling thread: 2^15 is
 * ~7–50 µs of work on one thread (from an addition to a sigmoid). Measured on the lab's
 * training step, whose elementwise jobs have 32768, 100352 or 200704 elements: splitting all
 * three sizes was ~2% faster than splitting only the two larger (the calling thread takes
 * back a share a sleeping worker has not started, which bounds what a split can lose).
 */
export const MIN_ELEMENTS = 32_768;
/** Rows of C per band are a multiple of this (the packing block of A is 128 rows). */
const ROW_QUANTUM = 16;
/** How long the caller waits for a worker (to start, or to finish a share) before giving up. */
const STALL_MS = 10_000;

/** Kernel exports the workers run: name and signature (see ./thread.ts). */
const JOBS = {
  sgemm: 'iiiiiiiiiiis',
  // sgemm's arguments, then the dense epilogue's bias and activation (assembly/dense.ts).
  denseForward: 'iiiiiiiiiiisii',
  // Elementwise jobs over one range (splitRange): assembly/optimizer.ts, elementwise.ts, dense.ts.
  adamUpdate: 'iiiiiiiiiiffff',
  unary: 'iiiif',
  binaryRow: 'iiiiiii',
  binaryCol: 'iiiiiii',
  denseGradColumns: 'iiiiiiii',
  // Convolution and pooling (assembly/conv.ts, pool.ts; shares cut in ./conv.ts).
  conv2dForward: 'iiiiiis',
  conv2dFilter: 'iiiiiis',
  conv2dInput: 'iiiiiiiis',
  pool2d: 'iiiiii',
  pool2dGrad: 'iiiiiii',
  depthwiseForward: 'iiiiii',
  depthwiseInput: 'iiiiii',
  depthwiseFilter: 'iiiiii',
  // Fused recurrent gates (assembly/lstm.ts, gru.ts; shares of batch rows cut in ./gates.ts).
  lstmGates: 'iiiiiii',
  lstmGatesGrad: 'iiiiiiiii',
  gruGates: 'iiiiiii',
  gruGatesGrad: 'iiiiiiiii',
} as const;
export type JobKind = keyof typeof JOBS;
/** The jobs splitRange runs. */
export type RangeKind = Exclude<
  JobKind,
  'sgemm' | 'denseForward' | 'conv2dForward' | 'conv2dFilter' | 'conv2dInput' | 'depthwiseFilter'
>;
const JOB_TABLE = Object.entries(JOBS) as [JobKind, string][];
const KIND_INDEX = new Map(JOB_TABLE.map(([name], i) => [name, i]));

/**
 * [from, to) ranges cutting [0, n) into at most `parts` of about equal size, every boundary
 * but n a multiple of `quantum`; one empty range when n is 0.
 */
export function cut(n: number, parts: number, quantum: number): [number, number][] {
  const count = Math.max(1, Math.min(parts, Math.ceil(n / quantum)));
  const step = Math.ceil(n / count / quantum) * quantum;
  const ranges: [number, number][] = [];
  for (let from = 0; from < n || ranges.length === 0; from += step) {
    ranges.push([from, Math.min(n, from + step)]);
  }
  return ranges;
}

/** A job over one range [0, n) (see splitRange). */
export interface RangeJob {
  readonly kind: RangeKind;
  /** What is cut: elements, rows or columns. */
  readonly n: number;
  /** Range boundaries are multiples of this (4, the SIMD width; a row's length). */
  readonly quantum: number;
  /** Floats the job writes: it goes parallel from MIN_ELEMENTS. */
  readonly elements: number;
}

/**
 * Runs `job` over [0, n) cut into one range per thread (cut()), `args(from, to)` giving the
 * kernel's arguments for a range; below MIN_ELEMENTS, as one call on the calling
 * thread. `pool` is asked for only when the job is large enough (it starts on first need).
 */
export function splitRange(
  k: KernelExports,
  pool: () => WorkerPool | undefined,
  job: RangeJob,
  args: (from: number, to: number) => number[],
): void {
  const workers = job.elements >= MIN_ELEMENTS ? pool() : undefined;
  if (workers) {
    const shares = cut(job.n, workers.threads(), job.quantum).map(([from, to]) => args(from, to));
    workers.split(k, job.kind, shares, true);
  } else {
    kernelOf(k, job.kind)(...args(0, job.n));
  }
}

function kernelOf(k: KernelExports, kind: JobKind): (...args: number[]) => void {
  return (k as unknown as Record<JobKind, (...args: number[]) => void>)[kind];
}

/** Atomics.waitAsync (ES2024; Node >= 16, Chromium), typed here for an ES2022 lib. */
interface AtomicsWaitAsync {
  waitAsync?(
    array: Int32Array,
    index: number,
    value: number,
    timeout: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
}

export interface SgemmCall {
  m: number;
  n: number;
  k: number;
  a: number;
  ars: number;
  acs: number;
  b: number;
  brs: number;
  bcs: number;
  c: number;
  ldc: number;
}

/** What the pool has done (tests, benchmarks). */
export interface PoolStats {
  /** Worker threads started (the calling thread makes one more). */
  readonly workers: number;
  /** Workers running now (started, not failed or given up on). */
  readonly running: number;
  /** Shares of work the workers have finished. */
  readonly jobs: number;
}

export class WorkerPool {
  /** Worker threads (the calling thread makes one more). */
  readonly size: number;
  readonly #control: Int32Array;
  readonly #floats: Float32Array;
  readonly #threads: (Thread | undefined)[] = [];
  readonly #alive: boolean[];
  readonly #ready: Promise<void>;
  /** Whether the calling thread may sleep in Atomics.wait (not a browser's main thread). */
  readonly #block = canBlock();
  #seq = 0;
  #closed = false;

  /**
   * Starts `size` workers on `module` and `memory` (shared); scratch[i] is worker i's sgemm
   * scratch in the memory. Workers start in the background: until one is running, its share
   * runs on the calling thread.
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, scratch: number[]) {
    this.size = scratch.length;
    this.#alive = scratch.map(() => true);
    const control = new SharedArrayBuffer(this.size * SLOTS * 4);
    this.#control = new Int32Array(control);
    this.#floats = new Float32Array(control);
    const started: Promise<void>[] = [];
    for (let index = 0; index < this.size; index++) {
      const dead = (): void => {
        this.#alive[index] = false;
      };
      let thread: Thread | undefined;
      try {
        const data = { module, memory, control, index, spinMs: SPIN_MS, scratch: scratch[index]! };
        thread = spawnThread({ ...data, jobs: JOB_TABLE }, dead);
      } catch {
        dead(); // the environment refused a worker: its shares run on the caller
      }
      this.#threads.push(thread);
      // Referenced until it runs (so that awaiting ready() keeps a Node process alive), then
      // unreferenced: an idle pool never keeps the process alive.
      started.push(this.#started(index).then(() => thread?.unref()));
    }
    this.#ready = Promise.all(started).then(() => undefined);
  }

  /** Resolves once every worker runs (or has died or never started: its share then runs on the caller). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Workers started, running, and shares they have done. */
  stats(): PoolStats {
    let jobs = 0;
    for (let w = 0; w < this.size; w++) jobs += Atomics.load(this.#control, w * SLOTS + JOBS_DONE);
    return { workers: this.size, running: this.#running().length, jobs };
  }

  async #started(index: number): Promise<void> {
    const flag = index * SLOTS + RUNNING;
    const giveUp = performance.now() + STALL_MS;
    const atomics = Atomics as unknown as AtomicsWaitAsync;
    while (this.#alive[index] && Atomics.load(this.#control, flag) === 0) {
      if (performance.now() > giveUp) {
        this.#alive[index] = false;
        this.#threads[index]?.terminate();
        return;
      }
      const r = atomics.waitAsync?.(this.#control, flag, 0, 50);
      if (!r) await new Promise((resolve) => setTimeout(resolve, 5));
      else if (r.async) await r.value;
    }
  }

  /**
   * C = op(A)·op(B) split over M between the calling thread (using `scratch`) and the
   * running workers; small products run on the calling thread alone. With `epilogue` (C
   * contiguous), each thread then applies a dense layer's bias and activation to its own band
   * of rows (denseForward), while they are in its cache.
   */
  sgemm(
    k: KernelExports,
    call: SgemmCall,
    scratch: number,
    epilogue?: { bias: number; act: number },
  ): void {
    const parts = 2 * call.m * call.n * call.k < MIN_FLOPS ? 1 : this.threads();
    const shares = cut(call.m, parts, ROW_QUANTUM).map(([from, to]) => {
      const { n, k: depth, a, ars, acs, b, brs, bcs, c, ldc } = call;
      const [aFrom, cFrom] = [a + 4 * from * ars, c + 4 * from * ldc];
      const share = [to - from, n, depth, aFrom, ars, acs, b, brs, bcs, cFrom, ldc, scratch];
      if (epilogue) share.push(epilogue.bias, epilogue.act);
      return share;
    });
    this.split(k, epilogue ? 'denseForward' : 'sgemm', shares);
  }

  /**
   * Runs kernel `kind` once per argument list of `shares`: the first on the calling thread,
   * the others on running workers (an 's' argument is replaced by the worker's scratch), and
   * on the caller again any share whose worker failed or stalled. With `reclaim`, the caller,
   * done with its own share, takes back any share its worker has not started: a sleeping
   * worker takes ~20–200 µs to wake (more in a busy virtual machine), as long as a short job
   * itself, so the caller runs it instead of waiting (never much slower than one thread).
   * Shares must not overlap in what they write. Returns when all are done.
   */
  split(k: KernelExports, kind: JobKind, shares: number[][], reclaim = false): void {
    const kernel = kernelOf(k, kind);
    const helpers = this.#closed ? [] : this.#running();
    const seq = ++this.#seq;
    const posted: [number, number[]][] = [];
    for (let p = 1; p < shares.length; p++) {
      const w = helpers[p - 1];
      if (w === undefined) break;
      this.#post(w, seq, kind, shares[p]!);
      posted.push([w, shares[p]!]);
    }
    for (let p = posted.length + 1; p < shares.length; p++) kernel(...shares[p]!); // no worker
    if (shares.length > 0) kernel(...shares[0]!);
    for (const [w, args] of posted) {
      if (reclaim && this.#reclaim(w, seq)) {
        kernel(...args);
        continue;
      }
      const failed = FAILED + w * SLOTS;
      if (!this.#await(w, seq) || Atomics.load(this.#control, failed) !== 0) {
        Atomics.store(this.#control, failed, 0);
        kernel(...args); // a stalled or failed worker: do it here
      }
    }
  }

  /** Threads a split would use now: the running workers and the calling thread. */
  threads(): number {
    return this.#closed ? 1 : this.#running().length + 1;
  }

  /** Stops the workers (their share of later calls runs on the caller). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (let w = 0; w < this.size; w++) {
      Atomics.store(this.#control, w * SLOTS + SEQ, -1);
      Atomics.notify(this.#control, w * SLOTS + SEQ);
    }
    for (const thread of this.#threads) thread?.terminate();
  }

  #running(): number[] {
    const out: number[] = [];
    for (let w = 0; w < this.size; w++) {
      if (this.#alive[w] && Atomics.load(this.#control, w * SLOTS + RUNNING) === 1) out.push(w);
    }
    return out;
  }

  /** Whether the caller claimed job `seq` of worker w before the worker did (./thread.ts). */
  #reclaim(w: number, seq: number): boolean {
    const slot = w * SLOTS + CLAIM;
    const claimed = Atomics.load(this.#control, slot);
    return claimed < seq && Atomics.compareExchange(this.#control, slot, claimed, seq) === claimed;
  }

  #post(w: number, seq: number, kind: JobKind, args: number[]): void {
    const o = w * SLOTS;
    const signature = JOBS[kind];
    if (args.length !== signature.length) {
      throw new SinewError(
        `WorkerPool: job ${kind} takes ${signature.length} arguments, received ${args.length}.`,
      );
    }
    this.#control[o + KIND] = KIND_INDEX.get(kind)!;
    for (let j = 0; j < signature.length; j++) {
      if (signature[j] === 'f') this.#floats[o + ARGS + j] = args[j]!;
      else if (signature[j] === 'i') this.#control[o + ARGS + j] = args[j]!;
    }
    Atomics.store(this.#control, o + SEQ, seq); // publishes the arguments written above
    Atomics.notify(this.#control, o + SEQ);
  }

  /**
   * Waits for worker w to finish job `seq`: a bounded spin, then Atomics.wait (or, where the
   * caller may not block, more spinning); false if it stalled for STALL_MS.
   */
  #await(w: number, seq: number): boolean {
    const s = this.#control;
    const slot = w * SLOTS + DONE;
    const spinUntil = performance.now() + SPIN_MS;
    while (Atomics.load(s, slot) !== seq && performance.now() < spinUntil);
    const giveUp = performance.now() + STALL_MS;
    for (let done = Atomics.load(s, slot); done !== seq; done = Atomics.load(s, slot)) {
      if (performance.now() > giveUp) {
        this.#alive[w] = false;
        return false;
      }
      if (this.#block) Atomics.wait(s, slot, done, 100);
    }
    return true;
  }
}
