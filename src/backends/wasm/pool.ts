import type { KernelExports } from './codes.js';

/**
 * A persistent pool of worker threads (Node worker_threads) sharing the backend's
 * WebAssembly.Memory: every worker instantiates the same compiled module on the same shared
 * memory, so a kernel call in a worker reads and writes the tensors in place. Only sgemm is
 * split so far, over rows of C (M): each thread runs the ordinary sgemm on its band of rows
 * with its own scratch, so every output element is summed in the same order as on one thread
 * and the result is bit-for-bit the single-threaded one.
 *
 * Synchronisation is through a small SharedArrayBuffer, 64 bytes (one cache line) per worker:
 *   [0] job sequence number, posted by the main thread (-1 asks the worker to stop)
 *   [1] the last job the worker finished      [2] 1 once the worker is running
 *   [3] 1 if a job threw                       [4..15] the 12 arguments of sgemm
 * A waiting side spins for a bounded time (SPIN_MS: a round trip through Atomics.wait and
 * notify costs ~10–30 µs) and then sleeps in Atomics.wait, so an idle pool costs nothing and
 * a busy machine is not starved by spinning. Work goes parallel only above MIN_FLOPS (about
 * 0.2 ms on one thread): below it waking a worker costs more than it saves.
 */

const STRIDE = 16; // Int32 slots per worker
const SPIN_MS = 0.05;
/** Floating-point operations (2·m·n·k) below which a product runs on the calling thread. */
export const MIN_FLOPS = 8e6;
/** Rows of C per band are a multiple of this (the packing block of A is 128 rows). */
const ROW_QUANTUM = 16;
/** How long the main thread waits for a worker before doing its share itself. */
const STALL_MS = 10_000;

// The worker's program: plain JavaScript, run with `eval: true`, so the same code works from
// src/ (TypeScript through tsx) and from dist/ without a separate file to find.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, index, spinMs } = workerData;
const s = new Int32Array(control, index * ${STRIDE * 4}, ${STRIDE});
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
Atomics.store(s, 2, 1);
Atomics.notify(s, 2);
let last = 0;
for (;;) {
  let seq = Atomics.load(s, 0);
  if (seq === last) {
    const until = performance.now() + spinMs;
    while ((seq = Atomics.load(s, 0)) === last && performance.now() < until);
    while (seq === last) {
      Atomics.wait(s, 0, last);
      seq = Atomics.load(s, 0);
    }
  }
  if (seq < 0) break;
  last = seq;
  try {
    k.sgemm(s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12], s[13], s[14], s[15]);
  } catch {
    Atomics.store(s, 3, 1);
  }
  Atomics.store(s, 1, seq);
  Atomics.notify(s, 1);
}
`;

/** Atomics.waitAsync (ES2024; in Node since 16), typed here for an ES2022 lib. */
interface AtomicsWaitAsync {
  waitAsync(
    array: Int32Array,
    index: number,
    value: number,
    timeout: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
}

interface WorkerHandle {
  terminate(): Promise<number>;
  unref(): void;
  on(event: 'error' | 'exit', listener: (arg: unknown) => void): void;
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

export class WorkerPool {
  /** Worker threads (the calling thread makes one more). */
  readonly size: number;
  readonly #control: Int32Array;
  readonly #workers: WorkerHandle[] = [];
  readonly #scratch: number[];
  readonly #alive: boolean[];
  readonly #ready: Promise<void>;
  #seq = 0;
  #closed = false;

  /**
   * Starts `size` workers on `module` and `memory` (shared); scratch[i] is worker i's sgemm
   * scratch in the memory. Workers start in the background: until one is running, its share
   * runs on the calling thread.
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, scratch: number[]) {
    const { Worker } = process.getBuiltinModule('node:worker_threads');
    this.size = scratch.length;
    this.#scratch = scratch;
    this.#alive = scratch.map(() => true);
    this.#control = new Int32Array(new SharedArrayBuffer(this.size * STRIDE * 4));
    const started: Promise<void>[] = [];
    for (let index = 0; index < this.size; index++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control: this.#control.buffer, index, spinMs: SPIN_MS },
      }) as unknown as WorkerHandle;
      const dead = (): void => {
        this.#alive[index] = false;
      };
      worker.on('error', dead);
      worker.on('exit', dead);
      this.#workers.push(worker);
      // Referenced until it runs (so that awaiting ready() keeps the process alive), then
      // unreferenced: an idle pool never keeps the process alive.
      started.push(this.#started(index).then(() => worker.unref()));
    }
    this.#ready = Promise.all(started).then(() => undefined);
  }

  /** Resolves once every worker runs (or has died: its share then runs on the caller). */
  ready(): Promise<void> {
    return this.#ready;
  }

  async #started(index: number): Promise<void> {
    const flag = index * STRIDE + 2;
    while (this.#alive[index] && Atomics.load(this.#control, flag) === 0) {
      const r = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.#control, flag, 0, 50);
      if (r.async) await r.value;
    }
  }

  /**
   * C = op(A)·op(B) split over M between the calling thread (using `scratch`) and the
   * running workers; small products run on the calling thread alone.
   */
  sgemm(k: KernelExports, call: SgemmCall, scratch: number): void {
    const helpers = this.#closed ? [] : this.#running();
    if (helpers.length === 0 || 2 * call.m * call.n * call.k < MIN_FLOPS) {
      this.#local(k, call, 0, call.m, scratch);
      return;
    }
    const parts = Math.min(helpers.length + 1, Math.ceil(call.m / ROW_QUANTUM));
    const band = Math.ceil(call.m / parts / ROW_QUANTUM) * ROW_QUANTUM;
    const seq = ++this.#seq;
    const posted: [number, number, number][] = [];
    for (let p = 1; p < parts; p++) {
      const from = p * band;
      const to = Math.min(call.m, from + band);
      if (from >= to) break;
      const w = helpers[p - 1]!;
      this.#post(w, seq, call, from, to);
      posted.push([w, from, to]);
    }
    this.#local(k, call, 0, Math.min(call.m, band), scratch);
    for (const [w, from, to] of posted) {
      if (!this.#await(w, seq) || Atomics.load(this.#control, w * STRIDE + 3) !== 0) {
        Atomics.store(this.#control, w * STRIDE + 3, 0);
        this.#local(k, call, from, to, scratch); // a stalled or failed worker: do it here
      }
    }
  }

  /** Stops the workers (their share of later calls runs on the caller). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (let w = 0; w < this.size; w++) {
      Atomics.store(this.#control, w * STRIDE, -1);
      Atomics.notify(this.#control, w * STRIDE);
    }
    for (const worker of this.#workers) void worker.terminate();
  }

  #running(): number[] {
    const out: number[] = [];
    for (let w = 0; w < this.size; w++) {
      if (this.#alive[w] && Atomics.load(this.#control, w * STRIDE + 2) === 1) out.push(w);
    }
    return out;
  }

  #local(k: KernelExports, c: SgemmCall, from: number, to: number, scratch: number): void {
    k.sgemm(
      to - from,
      c.n,
      c.k,
      c.a + 4 * from * c.ars,
      c.ars,
      c.acs,
      c.b,
      c.brs,
      c.bcs,
      c.c + 4 * from * c.ldc,
      c.ldc,
      scratch,
    );
  }

  #post(w: number, seq: number, c: SgemmCall, from: number, to: number): void {
    const s = this.#control;
    const o = w * STRIDE;
    s[o + 4] = to - from;
    s[o + 5] = c.n;
    s[o + 6] = c.k;
    s[o + 7] = c.a + 4 * from * c.ars;
    s[o + 8] = c.ars;
    s[o + 9] = c.acs;
    s[o + 10] = c.b;
    s[o + 11] = c.brs;
    s[o + 12] = c.bcs;
    s[o + 13] = c.c + 4 * from * c.ldc;
    s[o + 14] = c.ldc;
    s[o + 15] = this.#scratch[w]!;
    Atomics.store(s, o, seq); // publishes the arguments written above
    Atomics.notify(s, o);
  }

  /** Waits for worker w to finish job `seq`: a bounded spin, then Atomics.wait. */
  #await(w: number, seq: number): boolean {
    const s = this.#control;
    const slot = w * STRIDE + 1;
    const spinUntil = performance.now() + SPIN_MS;
    while (Atomics.load(s, slot) !== seq && performance.now() < spinUntil);
    const giveUp = performance.now() + STALL_MS;
    for (let done = Atomics.load(s, slot); done !== seq; done = Atomics.load(s, slot)) {
      if (performance.now() > giveUp) {
        this.#alive[w] = false;
        return false;
      }
      Atomics.wait(s, slot, done, 100);
    }
    return true;
  }
}
