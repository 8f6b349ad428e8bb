import { ConfigError, SinewError, describe } from '../../errors.js';
import type { DataArray, DType } from '../../tensor/dtype.js';
import type { DataId } from '../../tensor/store.js';
import type { Backend, BackendInfo, KernelName } from '../backend.js';
import { CpuBackend } from '../cpu/index.js';
import { Arena } from './arena.js';
import type { KernelExports } from './codes.js';
import { concat, slice, tile } from './copy.js';
import { deferredWasmBackend } from './deferred.js';
import { adamUpdate, binary, reduce, softmax, unary } from './elementwise.js';
import { FALLBACKS, onCpu, type KernelArgs, type KernelResult } from './fallbacks.js';
import { gruGates, gruGatesGrad, lstmGates, lstmGatesGrad } from './gates.js';
import { KernelHost } from './host.js';
import { canLoadSync, fetchKernels, loadKernels, wasmBaseUrl, type WasmKernels } from './loader.js';
import { dense, denseGrad, matmul } from './matmul.js';
import { WorkerPool, type PoolStats } from './pool.js';
import { HandleTable, WasmData } from './storage.js';
import { threadsAvailable } from './thread.js';
import {
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  depthwiseConv2d,
  depthwiseConv2dBackpropFilter,
  depthwiseConv2dBackpropInput,
  pool2d,
  pool2dGrad,
} from './windows.js';

/**
 * The WebAssembly backend: float32 kernels written in AssemblyScript with SIMD (assembly/,
 * built into dist/wasm/ by scripts/build-wasm.mjs), values in one WebAssembly.Memory managed
 * as an arena (./arena.ts, ./storage.ts). This file is its table of contents: the set-up,
 * the store, and the table of kernels at the end of the class, each naming the file of its
 * wasm version. Where a kernel runs on the cpu reference instead (no wasm version yet, or a
 * dtype other than float32), and why, is the other table: FALLBACKS in ./fallbacks.ts.
 */

export interface WasmBackendOptions {
  /** The most memory the backend may use, in MiB (1 to 4096; default 2048). */
  readonly maxMemoryMiB?: number;
  /** Memory reserved at start, in MiB (default 16). */
  readonly initialMemoryMiB?: number;
  /** Use relaxed SIMD (fused multiply-add) where the engine has it (default true). */
  readonly relaxedSimd?: boolean;
  /**
   * Let the arena run the garbage collector (Node: through V8 flags set at run time) when its
   * memory is full, so that the values of tensors nobody holds any more are reused instead of
   * the memory growing (default true). V8 does not see the arena's bytes, so without this it
   * rarely collects during a training loop. See ./collector.ts.
   */
  readonly collectOnGrowth?: boolean;
  /**
   * Threads for large matrix products, convolutions and poolings, and large elementwise
   * kernels (the Adam update, unary and binary arithmetic, a dense layer's gradient), counting
   * the calling one (1 to 64; default the number of cores: os.availableParallelism(),
   * navigator.hardwareConcurrency). Results are bit for bit those of one thread, except a
   * convolution's filter gradient: each thread sums its own output positions, then the
   * partial sums are added (the same values up to float32 rounding). More than 1 needs the shared-memory build
   * of the kernels and SharedArrayBuffer (in a browser, a cross-origin isolated page);
   * without them the backend runs on one thread.
   */
  readonly threads?: number;
  /**
   * Where to fetch the kernels from: the URL of the folder holding the files of dist/wasm/
   * (absolute, or relative to the page). Where it is given, and always in a browser, the
   * kernels load asynchronously: the cpu backend runs until `await sn.ready()` resolves. The
   * default in a browser is the folder beside the bundle (dist/browser/wasm/) or dist/wasm/.
   */
  readonly wasmUrl?: string | URL;
}

export const MAX_THREADS = 64;

/** Cores of this machine (1 where unknown). */
export function coreCount(): number {
  if (typeof process !== 'undefined' && typeof process.getBuiltinModule === 'function') {
    const os = process.getBuiltinModule('node:os');
    return typeof os.availableParallelism === 'function'
      ? os.availableParallelism()
      : os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** The checked thread count (default: the core count, at most MAX_THREADS). */
export function checkThreads(value: unknown): number {
  if (value === undefined) return Math.max(1, Math.min(MAX_THREADS, coreCount()));
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_THREADS) {
    throw new ConfigError(
      `WasmBackend: threads must be an integer from 1 to ${MAX_THREADS} (this machine has ` +
        `${coreCount()} cores; the default uses them all), received ${describe(value)}.`,
    );
  }
  return value;
}

function checkMiB(value: unknown, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 4096) {
    throw new ConfigError(
      `WasmBackend: ${what} must be a number of MiB from 1 to 4096, received ${describe(value)}.`,
    );
  }
  return value;
}

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  /** 'relaxed-simd' or 'simd': which build of the kernels runs. */
  readonly variant: WasmKernels['variant'];
  /** Threads used for large products and elementwise kernels (1 when no pool runs). */
  readonly threads: number;
  readonly #arena: Arena;
  readonly #handles: HandleTable;
  readonly #host: KernelHost;
  readonly #cpu = new CpuBackend();
  /** Started on first need (a large product, or ready()): importing sinew starts no thread. */
  #pool: WorkerPool | undefined;
  readonly #startPool: (() => WorkerPool) | undefined;
  #closed = false;

  constructor(kernels: WasmKernels, options: WasmBackendOptions = {}) {
    const maxMiB = checkMiB(options.maxMemoryMiB, 'maxMemoryMiB', 2048);
    const initialMiB = Math.min(maxMiB, checkMiB(options.initialMemoryMiB, 'initialMemoryMiB', 16));
    const threads = checkThreads(options.threads);
    const collect = options.collectOnGrowth !== false;
    let handles: HandleTable | undefined;
    this.#arena = new Arena({
      initialMiB,
      maxMiB,
      shared: kernels.shared,
      ...(collect ? { onPressure: () => handles?.collect() } : {}),
    });
    this.#handles = handles = new HandleTable(this.#arena, collect);
    const instance = new WebAssembly.Instance(kernels.module, {
      env: { memory: this.#arena.memory },
    });
    const k = instance.exports as unknown as KernelExports;
    this.variant = kernels.variant;
    // One scratch per thread serves both the matrix products and the convolutions.
    const scratchBytes = Math.max(k.sgemmScratchBytes(), k.convScratchBytes());
    const scratch = this.#arena.allocate(scratchBytes);
    if (threads > 1 && kernels.shared) {
      const more = Array.from({ length: threads - 1 }, () => this.#arena.allocate(scratchBytes));
      this.#startPool = () => new WorkerPool(kernels.module, this.#arena.memory, more);
    }
    this.threads = this.#startPool ? threads : 1;
    this.#host = new KernelHost(k, { handles, scratch, pool: () => this.#workers() });
  }

  /** The worker pool, started the first time it is asked for (none after close()). */
  #workers(): WorkerPool | undefined {
    if (!this.#pool && this.#startPool && !this.#closed) this.#pool = this.#startPool();
    return this.#pool;
  }

  /** Resolves once the worker threads run (at once without a pool). */
  async ready(): Promise<void> {
    await this.#workers()?.ready();
  }

  /** Stops the worker threads; large products then run on the calling thread. */
  close(): void {
    this.#closed = true;
    this.#pool?.close();
  }

  /** The thread count, and what the worker pool has done (zeros before it starts or without one). */
  threadStats(): PoolStats & { threads: number } {
    const pool = this.#pool?.stats() ?? { workers: 0, running: 0, jobs: 0 };
    return { threads: this.threads, ...pool };
  }

  /** Bytes held by live tensors and scratch, the size of the memory, collections so far. */
  memoryStats(): {
    bytesInUse: number;
    bytesReserved: number;
    collections: number;
  } {
    return {
      bytesInUse: this.#arena.bytesInUse,
      bytesReserved: this.#arena.bytesReserved,
      collections: this.#arena.collections,
    };
  }

  info(): BackendInfo {
    const { running, jobs } = this.threadStats();
    return {
      name: this.name,
      variant: this.variant,
      threads: this.threads,
      workers: { running, jobs },
      memory: this.memoryStats(),
    };
  }

  /** Runs a full collection now (tests and benchmarks; the arena does it when full). */
  collect(): void {
    this.#handles.collect();
  }

  // DataStore -----------------------------------------------------------------------------

  write(values: DataArray, dtype: DType): DataId {
    return this.#host.write(values, dtype);
  }
  readSync(dataId: DataId): DataArray {
    return this.#handles.view(this.#host.own(dataId));
  }
  async read(dataId: DataId): Promise<DataArray> {
    return this.readSync(dataId);
  }
  /** One holder of `dataId` is done with it; the values are freed when none is left. */
  release(dataId: DataId): void {
    if (dataId instanceof WasmData) this.#handles.release(dataId);
  }
  /** One more holder shares `dataId` (a reshape, a scope keeping a result). */
  retain(dataId: DataId): void {
    this.#handles.retain(this.#host.own(dataId));
  }

  // Kernels -------------------------------------------------------------------------------

  /**
   * Kernel `name`: its wasm version `native` (given the KernelHost, then the kernel's
   * arguments), or the cpu reference where FALLBACKS says so or there is no wasm version.
   */
  #kernel<K extends KernelName>(
    name: K,
    native?: (host: KernelHost, ...args: KernelArgs<K>) => KernelResult<K>,
  ): Backend[K] {
    const fallback = FALLBACKS[name];
    if (!native && !fallback) {
      throw new SinewError(
        `WasmBackend: kernel ${name} has no wasm version and no FALLBACKS entry.`,
      );
    }
    const run = (...args: KernelArgs<K>): KernelResult<K> =>
      !native || fallback?.when(...args)
        ? onCpu(this.#host, this.#cpu, name, args)
        : native(this.#host, ...args);
    return run as Backend[K];
  }

  // In wasm (float32), in ./elementwise.ts
  readonly unary = this.#kernel('unary', unary);
  readonly binary = this.#kernel('binary', binary);
  readonly reduce = this.#kernel('reduce', reduce);
  readonly softmax = this.#kernel('softmax', softmax);
  readonly adamUpdate = this.#kernel('adamUpdate', adamUpdate);
  // In wasm, ./matmul.ts
  readonly matmul = this.#kernel('matmul', matmul);
  readonly dense = this.#kernel('dense', dense);
  readonly denseGrad = this.#kernel('denseGrad', denseGrad);
  // In wasm, ./gates.ts
  readonly lstmGates = this.#kernel('lstmGates', lstmGates);
  readonly lstmGatesGrad = this.#kernel('lstmGatesGrad', lstmGatesGrad);
  readonly gruGates = this.#kernel('gruGates', gruGates);
  readonly gruGatesGrad = this.#kernel('gruGatesGrad', gruGatesGrad);
  // In wasm, ./windows.ts
  readonly conv2d = this.#kernel('conv2d', conv2d);
  readonly conv2dBackpropInput = this.#kernel('conv2dBackpropInput', conv2dBackpropInput);
  readonly conv2dBackpropFilter = this.#kernel('conv2dBackpropFilter', conv2dBackpropFilter);
  readonly depthwiseConv2d = this.#kernel('depthwiseConv2d', depthwiseConv2d);
  readonly depthwiseConv2dBackpropInput = this.#kernel(
    'depthwiseConv2dBackpropInput',
    depthwiseConv2dBackpropInput,
  );
  readonly depthwiseConv2dBackpropFilter = this.#kernel(
    'depthwiseConv2dBackpropFilter',
    depthwiseConv2dBackpropFilter,
  );
  readonly pool2d = this.#kernel('pool2d', pool2d);
  readonly pool2dGrad = this.#kernel('pool2dGrad', pool2dGrad);
  // Block copies in JavaScript on the arena's values, ./copy.ts
  readonly slice = this.#kernel('slice', slice);
  readonly concat = this.#kernel('concat', concat);
  readonly tile = this.#kernel('tile', tile);
  // On the cpu reference (no wasm version yet)
  readonly where = this.#kernel('where');
  readonly cast = this.#kernel('cast');
  readonly argReduce = this.#kernel('argReduce');
  readonly topK = this.#kernel('topK');
  readonly transpose = this.#kernel('transpose');
  readonly pad = this.#kernel('pad');
  readonly gather = this.#kernel('gather');
  readonly scatterAdd = this.#kernel('scatterAdd');
  readonly oneHot = this.#kernel('oneHot');
}

let warned = false;
let told = false;

/** A browser page that asked for threads but cannot have them hears why, once. */
function notThreaded(): void {
  if (told || canLoadSync()) return;
  told = true;
  console.info(
    'sinew: the wasm backend runs on one thread: threads need a cross-origin isolated page ' +
      '(served with Cross-Origin-Opener-Policy: same-origin and ' +
      'Cross-Origin-Embedder-Policy: require-corp).',
  );
}

function unavailable(reason: string): void {
  if (!warned) console.warn(`sinew: wasm backend unavailable (${reason}); using the cpu backend.`);
  warned = true;
}

/**
 * The wasm backend, or, when its kernels cannot be loaded (not built, no SIMD), the cpu
 * backend after a one-line warning: the library keeps working, only slower. In a browser,
 * or given a `wasmUrl`, the kernels are fetched: cpu runs until they are ready (./deferred.ts).
 */
export function createWasmBackend(options: WasmBackendOptions = {}): Backend {
  const threads = checkThreads(options.threads);
  const relaxed = options.relaxedSimd ?? true;
  if (options.wasmUrl !== undefined || !canLoadSync()) {
    const base = wasmBaseUrl(options.wasmUrl);
    // Threads on this path only in a cross-origin isolated page (a browser; under Node with a
    // wasmUrl the fetched kernels run on one thread).
    const threaded = threads > 1 && canLoadSync() === false && threadsAvailable();
    if (threads > 1 && !threaded && options.threads !== undefined) notThreaded();
    const load = threaded
      ? fetchKernels(base, relaxed, true).then((k) =>
          typeof k === 'string' ? fetchKernels(base, relaxed) : k,
        )
      : fetchKernels(base, relaxed);
    return deferredWasmBackend(load, (fetched) => new WasmBackend(fetched, options), unavailable);
  }
  let kernels = loadKernels(relaxed, threads > 1);
  if (typeof kernels === 'string' && threads > 1) kernels = loadKernels(relaxed);
  if (typeof kernels === 'string') {
    unavailable(kernels);
    return new CpuBackend();
  }
  return new WasmBackend(kernels, options);
}
