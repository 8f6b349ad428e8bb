import { arrayConstructor, type DataArray, type DType } from '../../tensor/dtype.js';
import type { Arena } from './arena.js';
import { collector, type Collector } from './collector.js';

/**
 * Handles of the wasm backend: a WasmData names a block of the arena. Tensors that share
 * values (reshape, a getWeights() snapshot, a Variable and the tensor it was made from) share
 * the handle object, so the block lives as long as any of them. Freeing has two paths:
 *   - release(): an internal owner (a kernel's temporary copy) is done; the block is freed
 *     when the count of holders, raised by retain(), falls to zero;
 *   - a FinalizationRegistry: once no object refers to the handle, the garbage collector
 *     lets it free the block. The arena asks for a collection when it is full (collect()),
 *     and where the engine allows it (Node: gc and cleanupSome, see ./collector.ts) the
 *     finalizers run right then, inside the allocation, so a synchronous training loop that
 *     never yields to the event loop still gets its memory back.
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
  readonly table: HandleTable;
  refs = 1;

  constructor(table: HandleTable, offset: number, dtype: DType, size: number) {
    this.table = table;
    this.dtype = dtype;
    this.size = size;
    this.block = { offset, bytes: size * arrayConstructor(dtype).BYTES_PER_ELEMENT, freed: false };
  }

  get offset(): number {
    return this.block.offset;
  }

  /**
   * A view of the values (valid until the next allocation may grow the memory): the same
   * property a cpu handle has, so the cpu reference kernels read wasm values in place.
   */
  get values(): DataArray {
    return this.table.view(this);
  }
}

export class HandleTable {
  readonly #arena: Arena;
  readonly #collector: Collector<Block>;

  constructor(arena: Arena, gc: boolean) {
    this.#arena = arena;
    this.#collector = collector((block) => this.#free(block), gc);
  }

  /** Whether collect() frees unreachable blocks before it returns. */
  get synchronous(): boolean {
    return this.#collector.synchronous;
  }

  /** A new handle of `size` elements of `dtype`, its values not yet written. */
  allocate(dtype: DType, size: number): WasmData {
    const offset = this.#arena.allocate(size * arrayConstructor(dtype).BYTES_PER_ELEMENT);
    const data = new WasmData(this, offset, dtype, size);
    this.#collector.registry.register(data, data.block, data);
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
    this.#collector.registry.unregister(data);
    this.#free(data.block);
  }

  /** Runs the garbage collector and the finalizers it allows. */
  collect(): void {
    this.#collector.collect();
  }

  #free(block: Block): void {
    if (block.freed) return;
    block.freed = true;
    this.#arena.free(block.offset, block.bytes);
  }
}
