import { ConfigError, SinewError, describe } from '../../errors.js';
import type { DataArray, DType } from '../../tensor/dtype.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import type { DataId, DataStore } from '../../tensor/store.js';
import type {
  AdamHyper,
  AdamResult,
  Backend,
  BinaryOp,
  Conv2DInfo,
  DenseGradResult,
  FusedActivation,
  PoolOp,
  ReduceOp,
  TensorInfo,
  UnaryOp,
} from '../backend.js';
import { CpuBackend } from '../cpu/index.js';
import { valuesOf, wrap } from '../cpu/storage.js';
import { Arena } from './arena.js';
import {
  BINARY_CODES,
  FUSED_CODES,
  REDUCE_CODES,
  UNARY_CODES,
  type KernelExports,
} from './codes.js';
import { binaryLayout, reduceLayout, stridedLayout, type StridedLayout } from './layout.js';
import { deferredWasmBackend } from './deferred.js';
import { concatInto, sliceInto } from './copy.js';
import { canLoadSync, fetchKernels, loadKernels, wasmBaseUrl, type WasmKernels } from './loader.js';
import { wasmMatmul } from './matmul.js';
import { gateRows } from './gates.js';
import { WorkerPool, splitRange, type PoolStats, type RangeJob } from './pool.js';
import { HandleTable, WasmData } from './storage.js';
import { threadsAvailable } from './thread.js';
import { tileInto } from './tile.js';
import { WindowKernels } from './windows.js';

/**
 * The WebAssembly backend: float32 kernels written in AssemblyScript with SIMD (assembly/,
 * built into dist/wasm/ by scripts/build-wasm.mjs), values in one WebAssembly.Memory managed
 * as an arena (./arena.ts, ./storage.ts). Kernels it has no wasm version of yet, and every
 * non-float32 dtype, run the cpu reference kernel on views of the arena and copy the result
 * in (correct, slower): see the section of such kernels at the end of the class.
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

const DTYPE_OF = new Map<unknown, DType>([
  [Float32Array, 'float32'],
  [Float64Array, 'float64'],
  [Int32Array, 'int32'],
  [Uint8Array, 'bool'],
]);

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
  readonly #k: KernelExports;
  readonly #cpu = new CpuBackend();
  readonly #scratch: number;
  readonly #windows: WindowKernels;
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
    this.#k = instance.exports as unknown as KernelExports;
    this.variant = kernels.variant;
    // One scratch per thread serves both the matrix products and the convolutions.
    const scratchBytes = Math.max(this.#k.sgemmScratchBytes(), this.#k.convScratchBytes());
    this.#scratch = this.#arena.allocate(scratchBytes);
    if (threads > 1 && kernels.shared) {
      const scratch = Array.from({ length: threads - 1 }, () => this.#arena.allocate(scratchBytes));
      this.#startPool = () => new WorkerPool(kernels.module, this.#arena.memory, scratch);
    }
    this.threads = this.#startPool ? threads : 1;
    this.#windows = new WindowKernels({
      k: this.#k,
      handles: this.#handles,
      scratch: this.#scratch,
      cpu: this.#cpu,
      pool: () => this.#workers(),
      local: (x, temps) => this.#local(x, temps),
      toCpu: (x) => this.#toCpu(x),
      fromCpu: (id) => this.#fromCpu(id),
    });
  }

  /** The worker pool, started the first time it is asked for (none after close()). */
  #workers(): WorkerPool | undefined {
    if (!this.#pool && this.#startPool && !this.#closed) this.#pool = this.#startPool();
    return this.#pool;
  }

  /** Runs an elementwise job, split over the worker pool when it is large (./pool.ts). */
  #range(job: RangeJob, args: (from: number, to: number) => number[]): void {
    splitRange(this.#k, () => this.#workers(), job, args);
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

  /** Runs a full collection now (tests and benchmarks; the arena does it when full). */
  collect(): void {
    this.#handles.collect();
  }

  // DataStore -----------------------------------------------------------------------------

  write(values: DataArray, dtype: DType): DataId {
    const data = this.#handles.allocate(dtype, values.length);
    this.#handles.view(data).set(values);
    return data;
  }
  readSync(dataId: DataId): DataArray {
    return this.#handles.view(this.#own(dataId));
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
    this.#handles.retain(this.#own(dataId));
  }

  #own(dataId: DataId): WasmData {
    if (!(dataId instanceof WasmData) || dataId.table !== this.#handles) {
      throw new SinewError(
        `The wasm backend received values held by another backend (${describe(dataId)}); ` +
          'create tensors after setBackend(), or copy them with sn.tensor(t.dataSync(), t.shape).',
      );
    }
    if (dataId.block.freed) {
      throw new SinewError(
        'A tensor of the wasm backend was used after its values were released; ' +
          'keep the tensor (not only its values) alive while it is in use.',
      );
    }
    return dataId;
  }

  /** The arena handle of x; values from another store are copied in (added to `temps`). */
  #local(x: TensorInfo, temps: WasmData[]): WasmData {
    if (x.dataId instanceof WasmData && x.dataId.table === this.#handles)
      return this.#own(x.dataId);
    const store = (x as { store?: DataStore }).store;
    const values = store ? store.readSync(x.dataId) : valuesOf(x);
    const data = this.write(values, x.dtype) as WasmData;
    temps.push(data);
    return data;
  }

  #done(temps: WasmData[]): void {
    for (const t of temps) this.#handles.release(t);
  }

  #alloc(dtype: DType, shape: Shape): WasmData {
    return this.#handles.allocate(dtype, sizeOf(shape));
  }

  // Fallback to the cpu reference ---------------------------------------------------------

  /** x as the cpu backend sees it: a view of the arena (valid while no allocation happens). */
  #toCpu(x: TensorInfo): TensorInfo {
    if (x.dataId instanceof WasmData && x.dataId.table !== this.#handles) {
      return { dataId: wrap(x.dataId.values), shape: x.shape, dtype: x.dtype };
    }
    if (!(x.dataId instanceof WasmData)) {
      const store = (x as { store?: DataStore }).store;
      if (!store || store.name === 'cpu') return x;
      return { dataId: wrap(store.readSync(x.dataId)), shape: x.shape, dtype: x.dtype };
    }
    return { dataId: wrap(this.readSync(x.dataId)), shape: x.shape, dtype: x.dtype };
  }

  #fromCpu(dataId: DataId): DataId {
    const values = valuesOf(dataId);
    return this.write(values, DTYPE_OF.get(values.constructor)!);
  }

  // Kernels -------------------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorInfo, outDType: DType, param?: number): DataId {
    const code = UNARY_CODES[op];
    if (code === undefined || x.dtype !== 'float32' || outDType !== 'float32') {
      return this.#fromCpu(this.#cpu.unary(op, this.#toCpu(x), outDType, param));
    }
    const temps: WasmData[] = [];
    const xs = this.#local(x, temps);
    const out = this.#alloc('float32', x.shape);
    const n = out.size;
    this.#range({ kind: 'unary', n, quantum: 4, elements: n }, (from, to) => [
      code,
      xs.offset + 4 * from,
      out.offset + 4 * from,
      to - from,
      param ?? 0,
    ]);
    this.#done(temps);
    return out;
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, outDType: DType): DataId {
    const code = BINARY_CODES[op];
    const size = sizeOf(outShape);
    if (
      code === undefined ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      outDType !== 'float32'
    ) {
      return this.#fromCpu(
        this.#cpu.binary(op, this.#toCpu(a), this.#toCpu(b), outShape, outDType),
      );
    }
    if (size === 0) return this.#alloc('float32', outShape);
    const temps: WasmData[] = [];
    const as = this.#local(a, temps);
    const bs = this.#local(b, temps);
    const out = this.#alloc('float32', outShape);
    const layout = binaryLayout(a.shape, b.shape, outShape);
    if (layout === undefined) {
      this.#binaryStrided(code, as, bs, out, stridedLayout(a.shape, b.shape, outShape));
      this.#done(temps);
      return out;
    }
    const [full, part] = layout.partFirst ? [bs, as] : [as, bs];
    const partFirst = Number(layout.partFirst);
    if (layout.kind === 'row') {
      // Ranges of whole periods when the part operand repeats as a row (a bias); of SIMD
      // blocks when it is as large as the output (then each range is its own period) or a
      // scalar.
      const { period } = layout;
      const repeats = period > 1 && period < size;
      const quantum = repeats ? period : 4;
      this.#range({ kind: 'binaryRow', n: size, quantum, elements: size }, (from, to) => [
        code,
        full.offset + 4 * from,
        period === size ? part.offset + 4 * from : part.offset,
        out.offset + 4 * from,
        to - from,
        period === size ? to - from : period,
        partFirst,
      ]);
    } else {
      // Ranges of whole rows, each combined with its own value of the part operand.
      const inner = size / layout.outer;
      this.#range({ kind: 'binaryCol', n: size, quantum: inner, elements: size }, (from, to) => [
        code,
        full.offset + 4 * from,
        part.offset + (4 * from) / inner,
        out.offset + 4 * from,
        (to - from) / inner,
        inner,
        partFirst,
      ]);
    }
    this.#done(temps);
    return out;
  }

  /** Any other broadcast: the collapsed dims and strides go to the kernel in a small block. */
  #binaryStrided(code: number, a: WasmData, b: WasmData, out: WasmData, l: StridedLayout): void {
    const rank = l.dims.length;
    const meta = this.#handles.allocate('int32', 4 * rank);
    this.#handles.view(meta).set([...l.dims, ...l.aStrides, ...l.bStrides]);
    this.#k.binaryStrided(code, a.offset, b.offset, out.offset, rank, meta.offset);
    this.#handles.release(meta);
  }

  softmax(x: TensorInfo, axis: number, log: boolean): DataId {
    if (x.dtype !== 'float32') return this.#fromCpu(this.#cpu.softmax(this.#toCpu(x), axis, log));
    const temps: WasmData[] = [];
    const xs = this.#local(x, temps);
    const out = this.#alloc('float32', x.shape);
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    if (out.size > 0) this.#k.softmax(xs.offset, out.offset, outer, x.shape[axis]!, inner, log);
    this.#done(temps);
    return out;
  }

  lstmGates(z: TensorInfo, c: TensorInfo): { gates: DataId; c: DataId; h: DataId } {
    if (z.dtype !== 'float32' || c.dtype !== 'float32') {
      const r = this.#cpu.lstmGates(this.#toCpu(z), this.#toCpu(c));
      return { gates: this.#fromCpu(r.gates), c: this.#fromCpu(r.c), h: this.#fromCpu(r.h) };
    }
    const temps: WasmData[] = [];
    const zs = this.#local(z, temps);
    const cs = this.#local(c, temps);
    const gates = this.#alloc('float32', z.shape);
    const cNext = this.#alloc('float32', c.shape);
    const h = this.#alloc('float32', c.shape);
    const [batch, units] = c.shape as [number, number];
    if (h.size > 0) {
      const w = 4 * units;
      gateRows(this.#k, () => this.#workers(), 'lstmGates', { batch, units }, [
        [zs.offset, w],
        [cs.offset, units],
        [gates.offset, w],
        [cNext.offset, units],
        [h.offset, units],
      ]);
    }
    this.#done(temps);
    return { gates, c: cNext, h };
  }

  lstmGatesGrad(
    gates: TensorInfo,
    c: TensorInfo,
    cNext: TensorInfo,
    dh: TensorInfo,
    dcNext: TensorInfo,
  ): { dz: DataId; dc: DataId } {
    const all = [gates, c, cNext, dh, dcNext];
    if (all.some((t) => t.dtype !== 'float32')) {
      const r = this.#cpu.lstmGatesGrad(
        this.#toCpu(gates),
        this.#toCpu(c),
        this.#toCpu(cNext),
        this.#toCpu(dh),
        this.#toCpu(dcNext),
      );
      return { dz: this.#fromCpu(r.dz), dc: this.#fromCpu(r.dc) };
    }
    const temps: WasmData[] = [];
    const [gs, cs, ns, dhs, dcs] = all.map((t) => this.#local(t, temps)) as [
      WasmData,
      WasmData,
      WasmData,
      WasmData,
      WasmData,
    ];
    const dz = this.#alloc('float32', gates.shape);
    const dc = this.#alloc('float32', c.shape);
    const [batch, units] = c.shape as [number, number];
    if (dc.size > 0) {
      const w = 4 * units;
      gateRows(this.#k, () => this.#workers(), 'lstmGatesGrad', { batch, units }, [
        [gs.offset, w],
        [cs.offset, units],
        [ns.offset, units],
        [dhs.offset, units],
        [dcs.offset, units],
        [dz.offset, w],
        [dc.offset, units],
      ]);
    }
    this.#done(temps);
    return { dz, dc };
  }

  gruGates(x: TensorInfo, inner: TensorInfo, h: TensorInfo): { gates: DataId; h: DataId } {
    if (x.dtype !== 'float32' || inner.dtype !== 'float32' || h.dtype !== 'float32') {
      const r = this.#cpu.gruGates(this.#toCpu(x), this.#toCpu(inner), this.#toCpu(h));
      return { gates: this.#fromCpu(r.gates), h: this.#fromCpu(r.h) };
    }
    const temps: WasmData[] = [];
    const xs = this.#local(x, temps);
    const is = this.#local(inner, temps);
    const hs = this.#local(h, temps);
    const gates = this.#alloc('float32', x.shape);
    const hNext = this.#alloc('float32', h.shape);
    const [batch, units] = h.shape as [number, number];
    if (hNext.size > 0) {
      const w = 3 * units;
      gateRows(this.#k, () => this.#workers(), 'gruGates', { batch, units }, [
        [xs.offset, w],
        [is.offset, w],
        [hs.offset, units],
        [gates.offset, w],
        [hNext.offset, units],
      ]);
    }
    this.#done(temps);
    return { gates, h: hNext };
  }

  gruGatesGrad(
    gates: TensorInfo,
    inner: TensorInfo,
    h: TensorInfo,
    dhNext: TensorInfo,
  ): { dx: DataId; dInner: DataId; dh: DataId } {
    const all = [gates, inner, h, dhNext];
    if (all.some((t) => t.dtype !== 'float32')) {
      const r = this.#cpu.gruGatesGrad(
        this.#toCpu(gates),
        this.#toCpu(inner),
        this.#toCpu(h),
        this.#toCpu(dhNext),
      );
      return { dx: this.#fromCpu(r.dx), dInner: this.#fromCpu(r.dInner), dh: this.#fromCpu(r.dh) };
    }
    const temps: WasmData[] = [];
    const [gs, is, hs, ds] = all.map((t) => this.#local(t, temps)) as [
      WasmData,
      WasmData,
      WasmData,
      WasmData,
    ];
    const dx = this.#alloc('float32', gates.shape);
    const dInner = this.#alloc('float32', gates.shape);
    const dh = this.#alloc('float32', h.shape);
    const [batch, units] = h.shape as [number, number];
    if (dh.size > 0) {
      const w = 3 * units;
      gateRows(this.#k, () => this.#workers(), 'gruGatesGrad', { batch, units }, [
        [gs.offset, w],
        [is.offset, w],
        [hs.offset, units],
        [ds.offset, units],
        [dx.offset, w],
        [dInner.offset, w],
        [dh.offset, units],
      ]);
    }
    this.#done(temps);
    return { dx, dInner, dh };
  }

  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataId {
    const layout = reduceLayout(x.shape, axes);
    if (layout === undefined || x.dtype !== 'float32') {
      return this.#fromCpu(this.#cpu.reduce(op, this.#toCpu(x), axes));
    }
    const temps: WasmData[] = [];
    const xs = this.#local(x, temps);
    const [outer, n, inner] = layout;
    const out = this.#handles.allocate('float32', outer * inner);
    this.#k.reduce(REDUCE_CODES[op], xs.offset, out.offset, outer, n, inner);
    this.#done(temps);
    return out;
  }

  matmul(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    outShape: Shape,
  ): DataId {
    if (a.dtype !== 'float32' || b.dtype !== 'float32') {
      return this.#fromCpu(
        this.#cpu.matmul(this.#toCpu(a), this.#toCpu(b), transposeA, transposeB, outShape),
      );
    }
    const temps: WasmData[] = [];
    const as = this.#local(a, temps);
    const bs = this.#local(b, temps);
    const out = this.#alloc('float32', outShape);
    wasmMatmul(this.#k, () => this.#workers(), {
      a: as.offset,
      b: bs.offset,
      c: out.offset,
      scratch: this.#scratch,
      aShape: a.shape,
      bShape: b.shape,
      transposeA,
      transposeB,
      outShape,
    });
    this.#done(temps);
    return out;
  }

  /** sgemm with the bias and activation applied by each thread to its rows (./matmul.ts). */
  dense(
    x: TensorInfo,
    kernel: TensorInfo,
    bias: TensorInfo | undefined,
    activation: FusedActivation,
  ): DataId {
    if ([x, kernel, bias].some((t) => t !== undefined && t.dtype !== 'float32')) {
      const b = bias && this.#toCpu(bias);
      return this.#fromCpu(this.#cpu.dense(this.#toCpu(x), this.#toCpu(kernel), b, activation));
    }
    const temps: WasmData[] = [];
    const xs = this.#local(x, temps);
    const ks = this.#local(kernel, temps);
    const bs = bias && this.#local(bias, temps);
    const outShape = [x.shape[0]!, kernel.shape[1]!];
    const out = this.#alloc('float32', outShape);
    wasmMatmul(this.#k, () => this.#workers(), {
      a: xs.offset,
      b: ks.offset,
      c: out.offset,
      scratch: this.#scratch,
      aShape: x.shape,
      bShape: kernel.shape,
      transposeA: false,
      transposeB: false,
      outShape,
      epilogue: { bias: bs?.offset ?? 0, act: FUSED_CODES[activation] },
    });
    this.#done(temps);
    return out;
  }

  denseGrad(
    y: TensorInfo,
    dy: TensorInfo,
    activation: FusedActivation,
    withBias: boolean,
  ): DenseGradResult {
    if (y.dtype !== 'float32' || dy.dtype !== 'float32') {
      const r = this.#cpu.denseGrad(this.#toCpu(y), this.#toCpu(dy), activation, withBias);
      return { dz: this.#fromCpu(r.dz), ...(r.dbias ? { dbias: this.#fromCpu(r.dbias) } : {}) };
    }
    const temps: WasmData[] = [];
    const ys = this.#local(y, temps);
    const dys = this.#local(dy, temps);
    const [m, n] = y.shape as [number, number];
    const dz = this.#alloc('float32', y.shape);
    const dbias = withBias ? this.#alloc('float32', [n]) : undefined;
    const code = FUSED_CODES[activation];
    // Blocks of columns: each thread sums its bias columns over all rows, in row order.
    const job = { kind: 'denseGradColumns', n, quantum: 4, elements: m * n } as const;
    this.#range(job, (from, to) => [
      ys.offset + 4 * from,
      dys.offset + 4 * from,
      dz.offset + 4 * from,
      dbias ? dbias.offset + 4 * from : 0,
      m,
      to - from,
      n,
      code,
    ]);
    this.#done(temps);
    return { dz, ...(dbias ? { dbias } : {}) };
  }

  tile(x: TensorInfo, reps: readonly number[]): DataId {
    const temps: WasmData[] = [];
    const xs = this.#local(x, temps);
    const out = this.#alloc(
      x.dtype,
      x.shape.map((n, d) => n * reps[d]!),
    );
    tileInto(this.#handles.view(xs), this.#handles.view(out), x.shape, reps);
    this.#done(temps);
    return out;
  }

  adamUpdate(
    w: TensorInfo,
    g: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    vhat: TensorInfo | undefined,
    hyper: AdamHyper,
  ): AdamResult {
    const temps: WasmData[] = [];
    const [ws, gs, ms, vs] = [w, g, m, v].map((t) => this.#local(t, temps)) as [
      WasmData,
      WasmData,
      WasmData,
      WasmData,
    ];
    const hs = vhat && this.#local(vhat, temps);
    const [wOut, mOut, vOut] = [0, 1, 2].map(() => this.#alloc('float32', w.shape)) as [
      WasmData,
      WasmData,
      WasmData,
    ];
    const hOut = hs && this.#alloc('float32', w.shape);
    const n = ws.size;
    // Each range of every buffer starts at the same element (`at` keeps 0, "none", as it is).
    const at = (offset: number | undefined, from: number): number =>
      offset ? offset + 4 * from : 0;
    this.#range({ kind: 'adamUpdate', n, quantum: 4, elements: n }, (from, to) => [
      ...[ws, gs, ms, vs, hs, wOut, mOut, vOut, hOut].map((b) => at(b?.offset, from)),
      to - from,
      hyper.alpha,
      hyper.c1,
      hyper.c2,
      hyper.epsilon,
    ]);
    this.#done(temps);
    return { w: wOut, m: mOut, v: vOut, ...(hOut ? { vhat: hOut } : {}) };
  }

  // Kernels that always run on the cpu reference (the result copied into the arena) ------

  where(condition: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    const [c, x, y] = [condition, a, b].map((t) => this.#toCpu(t)) as [
      TensorInfo,
      TensorInfo,
      TensorInfo,
    ];
    return this.#fromCpu(this.#cpu.where(c, x, y, outShape));
  }
  cast(x: TensorInfo, dtype: DType): DataId {
    return this.#fromCpu(this.#cpu.cast(this.#toCpu(x), dtype));
  }
  argReduce(op: 'argMax' | 'argMin', x: TensorInfo, axis: number): DataId {
    return this.#fromCpu(this.#cpu.argReduce(op, this.#toCpu(x), axis));
  }
  topK(x: TensorInfo, k: number): { values: DataId; indices: DataId } {
    const { values, indices } = this.#cpu.topK(this.#toCpu(x), k);
    return { values: this.#fromCpu(values), indices: this.#fromCpu(indices) };
  }
  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return this.#fromCpu(this.#cpu.transpose(this.#toCpu(x), perm));
  }
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataId {
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      return this.#fromCpu(this.#cpu.slice(this.#toCpu(x), begin, size));
    }
    const temps: WasmData[] = [];
    const xs = this.#local(x, temps);
    const out = this.#alloc(x.dtype, size);
    // Views after the allocation (a growing memory detaches earlier ones).
    if (out.size > 0) {
      sliceInto(this.#handles.view(xs), x.shape, begin, size, this.#handles.view(out));
    }
    this.#done(temps);
    return out;
  }
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataId {
    return this.#fromCpu(this.#cpu.pad(this.#toCpu(x), paddings, value));
  }
  concat(xs: readonly TensorInfo[], axis: number, outShape: Shape): DataId {
    const dtype = xs[0]?.dtype;
    if ((dtype === 'float32' || dtype === 'int32') && xs.every((x) => x.dtype === dtype)) {
      const temps: WasmData[] = [];
      const locals = xs.map((x) => this.#local(x, temps));
      const out = this.#alloc(dtype, outShape);
      if (out.size > 0) {
        const views = locals.map((l) => this.#handles.view(l));
        concatInto(
          views,
          xs.map((x) => x.shape),
          axis,
          this.#handles.view(out),
        );
      }
      this.#done(temps);
      return out;
    }
    return this.#fromCpu(
      this.#cpu.concat(
        xs.map((x) => this.#toCpu(x)),
        axis,
        outShape,
      ),
    );
  }
  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId {
    return this.#fromCpu(this.#cpu.gather(this.#toCpu(x), this.#toCpu(indices), axis));
  }
  scatterAdd(x: TensorInfo, indices: TensorInfo, updates: TensorInfo, axis: number): DataId {
    const [xc, ic, uc] = [x, indices, updates].map((t) => this.#toCpu(t)) as [
      TensorInfo,
      TensorInfo,
      TensorInfo,
    ];
    return this.#fromCpu(this.#cpu.scatterAdd(xc, ic, uc, axis));
  }
  oneHot(
    indices: TensorInfo,
    depth: number,
    onValue: number,
    offValue: number,
    dtype: DType,
  ): DataId {
    return this.#fromCpu(this.#cpu.oneHot(this.#toCpu(indices), depth, onValue, offValue, dtype));
  }

  // Convolution and pooling (./windows.ts) ----------------------------------------------

  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.#windows.conv2d(x, filter, info);
  }
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.#windows.conv2dBackpropInput(dy, filter, info);
  }
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.#windows.conv2dBackpropFilter(x, dy, info);
  }
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.#windows.depthwiseConv2d(x, filter, info);
  }
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return this.#windows.depthwiseConv2dBackpropInput(dy, filter, info);
  }
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.#windows.depthwiseConv2dBackpropFilter(x, dy, info);
  }
  pool2d(op: PoolOp, x: TensorInfo, info: Conv2DInfo): DataId {
    return this.#windows.pool2d(op, x, info);
  }
  pool2dGrad(op: PoolOp, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.#windows.pool2dGrad(op, x, dy, info);
  }
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
