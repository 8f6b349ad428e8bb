import { SinewError, describe } from '../../errors.js';
import type { DataArray, DType } from '../../tensor/dtype.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import type { DataId, DataStore } from '../../tensor/store.js';
import type { TensorInfo } from '../backend.js';
import type { KernelExports } from './codes.js';
import { splitRange, type RangeJob, type WorkerPool } from './pool.js';
import { WasmData, type HandleTable } from './storage.js';

/** The arena handles of a kernel's inputs, in order (undefined where an input is absent). */
export type Locals<T extends readonly (TensorInfo | undefined)[]> = {
  -readonly [I in keyof T]: undefined extends T[I] ? WasmData | undefined : WasmData;
};

/**
 * What every native kernel of the wasm backend works with (the files beside this one take it
 * as their first argument): the compiled kernels, the arena's handles, the calling thread's
 * scratch, the worker pool, and the steps every kernel repeats (its inputs brought into the
 * arena, an output allocated, the temporary copies released after).
 */
export class KernelHost {
  /** The exports of the compiled kernels (byte offsets into the shared memory). */
  readonly k: KernelExports;
  readonly handles: HandleTable;
  /** The calling thread's scratch for products and convolutions (byte offset). */
  readonly scratch: number;
  readonly #pool: () => WorkerPool | undefined;

  constructor(
    k: KernelExports,
    parts: {
      handles: HandleTable;
      scratch: number;
      pool: () => WorkerPool | undefined;
    },
  ) {
    this.k = k;
    this.handles = parts.handles;
    this.scratch = parts.scratch;
    this.#pool = parts.pool;
  }

  /** The worker pool, started the first time it is asked for (none on one thread). */
  workers(): WorkerPool | undefined {
    return this.#pool();
  }

  /** Runs an elementwise job, split over the worker pool when it is large (./pool.ts). */
  range(job: RangeJob, args: (from: number, to: number) => number[]): void {
    splitRange(this.k, () => this.#pool(), job, args);
  }

  /**
   * The preamble and epilogue of a kernel: brings `inputs` into the arena (values of another
   * store are copied in), runs `body` on their handles, then releases those copies. `body`
   * allocates its outputs (alloc) and returns them.
   */
  run<const T extends readonly (TensorInfo | undefined)[], R>(
    inputs: T,
    body: (locals: Locals<T>) => R,
  ): R {
    const temps: WasmData[] = [];
    try {
      const locals = inputs.map((x) => x && this.local(x, temps));
      return body(locals as Locals<T>);
    } finally {
      for (const t of temps) this.handles.release(t);
    }
  }

  /** A new output of `shape`, its values not yet written. */
  alloc(dtype: DType, shape: Shape): WasmData {
    return this.handles.allocate(dtype, sizeOf(shape));
  }

  /** A typed-array view of `data` (valid until the next allocation may grow the memory). */
  view(data: WasmData): DataArray {
    return this.handles.view(data);
  }

  /** Copies `values` into a new block of the arena. */
  write(values: DataArray, dtype: DType): WasmData {
    const data = this.handles.allocate(dtype, values.length);
    this.handles.view(data).set(values);
    return data;
  }

  /** `dataId` as a live handle of this arena, or a SinewError saying what went wrong. */
  own(dataId: DataId): WasmData {
    if (!(dataId instanceof WasmData) || dataId.table !== this.handles) {
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
  local(x: TensorInfo, temps: WasmData[]): WasmData {
    if (x.dataId instanceof WasmData && x.dataId.table === this.handles) return this.own(x.dataId);
    const store = (x as { store?: DataStore }).store;
    // A TensorInfo without a store holds a cpu handle: its values are `values` (as WasmData's).
    const values = store ? store.readSync(x.dataId) : (x.dataId as { values: DataArray }).values;
    const data = this.write(values, x.dtype);
    temps.push(data);
    return data;
  }
}
