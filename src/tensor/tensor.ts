/**
 * The Tensor class.
 *
 * MEMORY MODEL. A tensor is an immutable view of values: a shape, a dtype, and a handle
 * (`dataId`) into the DataStore of the backend that computed it. The values never belong to the
 * tensor object itself, so a backend may keep them anywhere (the cpu backend in a typed array
 * held by the handle, a WebAssembly backend in an arena inside its linear memory). Users never
 * call dispose or tidy:
 *   - on the cpu backend the handle holds the array, and the garbage collector frees both;
 *   - a backend with its own memory (wasm) frees values when the handle object is garbage
 *     collected (a FinalizationRegistry); when its memory is full it runs a collection
 *     itself and, under Node, the finalizers synchronously, so a loop that never yields still
 *     reuses the memory of tensors nobody holds (backends/wasm/collector.ts);
 *   - reshape-like ops, Variables and getWeights() snapshots share the handle object, so its
 *     values live as long as any tensor using them: nothing a user holds is ever freed;
 *   - a training step of fit/trainOnBatch, a batch of evaluate/predict and a call of
 *     valueAndGrads/grads release their intermediates at their end (./scope.ts): only
 *     numbers, results and the model's state leave them, so their memory is reused at once
 *     instead of at the next collection. A released tensor throws a SinewError when read;
 *     sn.keep(t) exempts a tensor.
 * `dataSync()`, `data()` and `arraySync()` return copies: mutating them never changes a tensor.
 * A Variable (autograd's trainable state) is the one mutable kind: `assign` swaps its handle.
 */
import { SinewError, describe } from '../errors.js';
import type { DataArray, DType } from './dtype.js';
import { formatTensor } from './format.js';
import { dropData, holdData } from './scope.js';
import { formatShape, sizeOf, type Shape } from './shape.js';
import type { DataId, DataStore } from './store.js';

/** Nested arrays of numbers or booleans, as `arraySync()` returns them. */
export type NestedArray = number | boolean | NestedArray[];

let nextTensorId = 0;

export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  /** A process-unique number, for debugging and for maps keyed by tensor. */
  readonly id: number;
  #dataId: DataId;
  #store: DataStore;
  /** Where a step scope released this tensor ('a training step', 'valueAndGrads'), if it did. */
  #releasedBy: string | undefined;

  /** Internal: tensors are made by ops and creation functions, not by `new`. */
  constructor(dataId: DataId, shape: Shape, dtype: DType, store: DataStore) {
    this.#dataId = dataId;
    this.#store = store;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
    this.size = sizeOf(shape);
    this.id = nextTensorId++;
    holdData(this, dataId);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The backend handle of the values (internal: for kernels). */
  get dataId(): DataId {
    if (this.#releasedBy !== undefined) {
      throw new SinewError(
        `This tensor (shape ${formatShape(this.shape)}, ${this.dtype}) was released at the end of ` +
          `${this.#releasedBy}: it was an intermediate value made there, and its memory was ` +
          'reused. Read its values inside (a callback, a metric, the function you pass), or ' +
          'mark it with sn.keep(t) where it is made to keep it.',
      );
    }
    return this.#dataId;
  }

  /** Whether a step scope released this tensor (tensor/scope.ts). */
  get released(): boolean {
    return this.#releasedBy !== undefined;
  }

  /**
   * Internal (tensor/scope.ts): marks the tensor released by the scope `where` (named in the
   * error a later read throws); its handle and store, once.
   */
  releaseData(where: string): [DataId, DataStore] | undefined {
    if (this.#releasedBy !== undefined) return undefined;
    this.#releasedBy = where;
    return [this.#dataId, this.#store];
  }

  /** The store that holds the values (internal: for kernels). */
  get store(): DataStore {
    return this.#store;
  }

  /** Used by Variable.assign: the only way a tensor's values change. */
  protected replaceData(dataId: DataId, store: DataStore): void {
    holdData(undefined, dataId);
    dropData(this.#dataId, this.#store);
    this.#dataId = dataId;
    this.#store = store;
  }

  /** A copy of the values as a flat typed array (row-major). */
  dataSync(): DataArray {
    return this.#store.readSync(this.dataId).slice();
  }

  /** A copy of the values as a flat typed array, once they are ready. */
  async data(): Promise<DataArray> {
    return (await this.#store.read(this.dataId)).slice();
  }

  /** The values as nested arrays (booleans for a bool tensor). */
  arraySync(): NestedArray {
    const values = this.#store.readSync(this.dataId);
    const bool = this.dtype === 'bool';
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return bool ? values[offset] !== 0 : values[offset]!;
      const n = this.shape[dim]!;
      const inner = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * inner);
      return out;
    };
    return build(0, 0);
  }

  async array(): Promise<NestedArray> {
    await this.#store.read(this.dataId);
    return this.arraySync();
  }

  /** The single value of a tensor with one element. */
  item(): number {
    if (this.size !== 1) {
      throw new SinewError(
        `item() needs a tensor with exactly one element, received shape ${formatShape(this.shape)} ` +
          `(${this.size} elements); reduce it first (for example sn.mean(t)) or index into dataSync().`,
      );
    }
    return this.#store.readSync(this.dataId)[0]!;
  }

  /** A readable rendering; large tensors are truncated with "...". */
  toString(): string {
    return formatTensor(this.#store.readSync(this.dataId), this.shape, this.dtype);
  }

  /** Prints toString() to the console. */
  print(): void {
    console.log(this.toString());
  }

  /** Node's console.log uses this. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export function isTensor(value: unknown): value is Tensor {
  return value instanceof Tensor;
}

/** Throws unless `value` is a Tensor; `what` names the argument in the message. */
export function assertTensor(value: unknown, what: string): Tensor {
  if (!(value instanceof Tensor)) {
    throw new SinewError(`${what} must be a Tensor, received ${describe(value)}.`);
  }
  return value;
}
