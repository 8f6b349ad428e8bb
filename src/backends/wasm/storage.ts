import { arrayConstructor, type DataArray, type DType } from '../../tensor/dtype.js';
import type { Arena } from './arena.js';

/**
 * Handles of the wasm backend: a WasmData names a block of the arena. Freeing has two paths:
 *   - release(): the owner (a scope, or a tensor sharing the handle) is done; the block is
 *     freed when the count of holders, raised by retain(), falls to zero;
 *   - a FinalizationRegistry, the backstop: once no tensor refers to the handle, the garbage
 *     collector runs it and the block is freed, whatever the count said.
 * The registry holds the Block, never the handle, so it does not keep the handle alive.
 */

interface Block {
  readonly offset: number;
  readonly bytes: number;
  freed: boolean;
}

export class WasmData {
  readonly block: Block;
  readonly dtype: DType;
  readonly size: number;
  refs = 1;

  constructor(offset: number, dtype: DType, size: number) {
    this.dtype = dtype;
    this.size = size;
    this.block = { offset, bytes: size * arrayConstructor(dtype).BYTES_PER_ELEMENT, freed: false };
  }

  get offset(): number {
    return this.block.offset;
  }
}

export class HandleTable {
  readonly #arena: Arena;
  readonly #registry: FinalizationRegistry<Block>;

  constructor(arena: Arena) {
    this.#arena = arena;
    this.#registry = new FinalizationRegistry((block) => this.#free(block));
  }

  /** A new handle of `size` elements of `dtype`, its values not yet written. */
  allocate(dtype: DType, size: number): WasmData {
    const offset = this.#arena.allocate(size * arrayConstructor(dtype).BYTES_PER_ELEMENT);
    const data = new WasmData(offset, dtype, size);
    this.#registry.register(data, data.block, data);
    return data;
  }

  /** A typed-array view of the values: valid until the memory grows (the next allocation). */
  view(data: WasmData): DataArray {
    const Ctor = arrayConstructor(data.dtype);
    return new Ctor(this.#arena.memory.buffer, data.offset, data.size);
  }

  retain(data: WasmData): void {
    data.refs++;
  }

  release(data: WasmData): void {
    if (data.block.freed || --data.refs > 0) return;
    this.#registry.unregister(data);
    this.#free(data.block);
  }

  #free(block: Block): void {
    if (block.freed) return;
    block.freed = true;
    this.#arena.free(block.offset, block.bytes);
  }
}
