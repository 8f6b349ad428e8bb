import { SinewError } from '../errors.js';
import type { DataArray, DType } from './dtype.js';

/**
 * Where a tensor's values live. A compute backend (backends/) implements this; tensor/ only
 * knows the interface, so a tensor never assumes its values are a JS array owned by the GC: a
 * WebAssembly backend keeps them in a shared `WebAssembly.Memory` arena instead.
 */

/** An opaque handle to values held by a DataStore. Only the store that made it reads it. */
export type DataId = object;

export interface DataStore {
  readonly name: string;
  /** Copies `values` into storage owned by the store and returns its handle. */
  write(values: DataArray, dtype: DType): DataId;
  /**
   * The values behind `dataId`. The result may be a view of the store's memory, valid until
   * the next call into the store: callers copy it before handing it to user code.
   */
  readSync(dataId: DataId): DataArray;
  read(dataId: DataId): Promise<DataArray>;
  /** Called when the last tensor using `dataId` is gone (finalizer) or its scope ends. */
  release(dataId: DataId): void;
}

let active: DataStore | undefined;

/** Called by backends/ when a backend becomes active. */
export function setActiveStore(store: DataStore): void {
  active = store;
}

/** The store that new tensors are written to. */
export function activeStore(): DataStore {
  if (!active) {
    throw new SinewError(
      'No backend is active. Import sinew through its entry point (`import * as sn from "sinew"`), ' +
        'which registers the cpu backend.',
    );
  }
  return active;
}
