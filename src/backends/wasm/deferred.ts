import type { DataArray, DType } from '../../tensor/dtype.js';
import type { DataId } from '../../tensor/store.js';
import type { Backend, BackendInfo } from '../backend.js';
import { CpuBackend } from '../cpu/index.js';
import type { WasmKernels } from './loader.js';
import { WasmData } from './storage.js';

/**
 * The wasm backend where its kernels load asynchronously (a browser fetches and compiles
 * them): the cpu backend until they are ready, then the wasm backend, in one object, so that
 * setBackend() can return at once and `await sn.ready()` finds it switched. Its name is the
 * name of the backend running ('cpu', then 'wasm').
 *
 * Tensors made before the switch keep their values on the cpu backend: as a store this
 * object sends each handle to the backend that made it (WasmData to wasm, others to cpu), and
 * the wasm kernels copy cpu inputs in, as they do for tensors of any other backend.
 *
 * Kernels are forwarded by name to the backend running (every kernel of the Backend contract
 * is a method of CpuBackend, which implements all of it), so a kernel added to the contract
 * needs nothing here.
 */
export class DeferredWasmBackend {
  readonly #cpu = new CpuBackend();
  #wasm: Backend | undefined;
  readonly #loaded: Promise<void>;

  /**
   * `load` gives the kernels or the reason there are none; `make` builds the wasm backend on
   * them; `fail` hears the reason (the backend then stays on cpu).
   */
  constructor(
    load: Promise<WasmKernels | string>,
    make: (kernels: WasmKernels) => Backend,
    fail: (reason: string) => void,
  ) {
    for (const key of Object.getOwnPropertyNames(CpuBackend.prototype)) {
      if (key === 'constructor' || key in this) continue;
      Object.defineProperty(this, key, {
        value: (...args: unknown[]) => {
          const target = (this.#wasm ?? this.#cpu) as unknown as Record<
            string,
            (...a: unknown[]) => unknown
          >;
          return target[key]!(...args);
        },
      });
    }
    this.#loaded = load
      .then(async (kernels) => {
        if (typeof kernels === 'string') return fail(kernels);
        const wasm = make(kernels);
        await wasm.ready?.();
        this.#wasm = wasm;
      })
      .catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
  }

  /** 'cpu' until the kernels are ready, then 'wasm'. */
  get name(): string {
    return (this.#wasm ?? this.#cpu).name;
  }

  /** Resolves once the kernels are loaded and the wasm backend runs (or loading failed). */
  ready(): Promise<void> {
    return this.#loaded;
  }

  /** The info() of the backend running: cpu's until the kernels are ready, then wasm's. */
  info(): BackendInfo {
    return (this.#wasm ?? this.#cpu).info();
  }

  /** Stops the wasm backend's worker threads, if it has any. */
  close(): void {
    this.#wasm?.close?.();
  }

  // DataStore: new values go to the backend running; a handle goes back to the one that made it.

  write(values: DataArray, dtype: DType): DataId {
    return (this.#wasm ?? this.#cpu).write(values, dtype);
  }
  readSync(dataId: DataId): DataArray {
    return this.#storeOf(dataId).readSync(dataId);
  }
  read(dataId: DataId): Promise<DataArray> {
    return this.#storeOf(dataId).read(dataId);
  }
  release(dataId: DataId): void {
    this.#storeOf(dataId).release(dataId);
  }
  retain(dataId: DataId): void {
    (this.#storeOf(dataId) as { retain?(id: DataId): void }).retain?.(dataId);
  }

  #storeOf(dataId: DataId): Backend {
    return this.#wasm && dataId instanceof WasmData ? this.#wasm : this.#cpu;
  }
}

/** The kernels are on the object itself (see the constructor): the whole Backend contract. */
export function deferredWasmBackend(
  ...args: ConstructorParameters<typeof DeferredWasmBackend>
): Backend & { ready(): Promise<void> } {
  return new DeferredWasmBackend(...args) as unknown as Backend & { ready(): Promise<void> };
}
