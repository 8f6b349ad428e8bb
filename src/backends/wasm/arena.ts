import { SinewError } from '../../errors.js';

/**
 * The memory of the wasm backend: one `WebAssembly.Memory` (shared between threads when the
 * backend runs a worker pool) whose bytes past `BASE` are cut into blocks for tensor values
 * and kernel scratch. Blocks are 64-byte aligned (whole cache lines, aligned SIMD loads) and
 * recycled through free lists keyed by size, since a training loop asks for the same sizes
 * step after step.
 *
 * When no free block fits and the bump pointer reaches the end of the memory, the arena first
 * asks its owner to reclaim (onPressure: a garbage collection whose finalizers free the blocks
 * of tensors nobody holds, synchronously where the engine allows it), reuses what came back,
 * and grows the memory only if the live blocks still fill more than a third of it: so memory
 * stays about three times the live set, and collections stay rare. At the maximum, free blocks are
 * merged and the request retried; if it still does not fit, a SinewError says so.
 */

const PAGE = 65536;
const ALIGN = 64;
/** The kernels' own constants (math tables) sit below this offset. */
const BASE = PAGE;
/**
 * After a collection the memory grows unless live blocks fill at most this fraction of it:
 * the memory then stays about three times the live set, and a training loop collects once
 * every few steps rather than every step (a collection costs a few ms).
 */
const LIVE_FRACTION = 1 / 3;
/** Below this size the memory grows without a collection first. */
const FREE_GROWTH = 64 * 1048576;

export interface ArenaOptions {
  /** Initial size in MiB. */
  readonly initialMiB: number;
  /** The most the memory may grow to, in MiB (at most 4096: 32-bit addresses). */
  readonly maxMiB: number;
  /** A shared memory (SharedArrayBuffer), for a pool of threads. */
  readonly shared?: boolean;
  /**
   * Called when the memory is full: a garbage collection. Blocks it frees come back through
   * free() before it returns where the engine can run finalizers synchronously, else at a
   * later turn of the event loop.
   */
  readonly onPressure?: () => void;
}

export class Arena {
  readonly memory: WebAssembly.Memory;
  readonly #maxBytes: number;
  readonly #onPressure: (() => void) | undefined;
  #top = BASE;
  #free = new Map<number, number[]>();
  #inUse = 0;
  /** Collections asked for so far (tests and scripts/memory-fit.ts report it). */
  collections = 0;

  constructor({ initialMiB, maxMiB, shared = false, onPressure }: ArenaOptions) {
    this.#onPressure = onPressure;
    const maximum = Math.min(65536, Math.ceil((maxMiB * 1048576) / PAGE));
    const initial = Math.min(maximum, Math.max(2, Math.ceil((initialMiB * 1048576) / PAGE)));
    this.memory = new WebAssembly.Memory({ initial, maximum, shared });
    this.#maxBytes = maximum * PAGE;
  }

  /** Bytes held by live blocks. */
  get bytesInUse(): number {
    return this.#inUse;
  }

  /** Current size of the memory in bytes. */
  get bytesReserved(): number {
    return this.memory.buffer.byteLength;
  }

  /** Offset of a new block of at least `bytes` bytes (0 for an empty request). */
  allocate(bytes: number): number {
    if (bytes === 0) return 0;
    const size = Math.ceil(bytes / ALIGN) * ALIGN;
    const offset = this.#reuse(size) ?? this.#bumpWithin(size) ?? this.#reclaim(size);
    if (offset === undefined) {
      throw new SinewError(
        `The wasm backend's memory is full: a tensor needs ${mib(size)} MiB, ${mib(this.#inUse)} MiB ` +
          `are in use and the maximum is ${mib(this.#maxBytes)} MiB. Use smaller batches, keep fewer ` +
          `tensors alive, or choose a larger maximum: sn.setBackend('wasm', { maxMemoryMiB: 4096 }).`,
      );
    }
    this.#inUse += size;
    return offset;
  }

  /** Returns a block from allocate(bytes) to the arena. */
  free(offset: number, bytes: number): void {
    if (bytes === 0) return;
    const size = Math.ceil(bytes / ALIGN) * ALIGN;
    this.#inUse -= size;
    this.#push(offset, size);
  }

  /**
   * No block of this exact size is free and the memory is used up to its end: split a larger
   * free block if a good part of the memory is free; else collect, then grow if the rest is
   * mostly live, else reuse what the collection freed.
   */
  #reclaim(size: number): number | undefined {
    const have = this.memory.buffer.byteLength;
    if (have < FREE_GROWTH || !this.#onPressure) {
      const grown = this.#grow(size);
      if (grown !== undefined) return grown;
    }
    if (this.#top - BASE - this.#inUse >= have / 4) {
      const offset = this.#split(size);
      if (offset !== undefined) return offset;
    }
    if (this.#onPressure) {
      this.collections++;
      this.#onPressure();
    }
    if (this.#inUse + size > have * LIVE_FRACTION) {
      const grown = this.#grow(size);
      if (grown !== undefined) return grown;
    }
    return this.#reuse(size) ?? this.#split(size) ?? this.#bumpWithin(size);
  }

  /** A free block of at least `size` bytes, cut to size, merging neighbours if needed. */
  #split(size: number): number | undefined {
    const offset = this.#firstFit(size);
    if (offset !== undefined) return offset;
    this.#coalesce();
    return this.#firstFit(size) ?? this.#bumpWithin(size);
  }

  #push(offset: number, size: number): void {
    const list = this.#free.get(size);
    if (list) list.push(offset);
    else this.#free.set(size, [offset]);
  }

  #reuse(size: number): number | undefined {
    return this.#free.get(size)?.pop();
  }

  /** A block at the bump pointer if the memory has room, without growing it. */
  #bumpWithin(size: number): number | undefined {
    const end = this.#top + size;
    if (end > this.memory.buffer.byteLength) return undefined;
    const offset = this.#top;
    this.#top = end;
    return offset;
  }

  /** Grows the memory (by at least half again, so that growth stays rare) and bumps. */
  #grow(size: number): number | undefined {
    const end = this.#top + size;
    if (end > this.#maxBytes) return undefined;
    const have = this.memory.buffer.byteLength;
    const want = Math.min(this.#maxBytes, Math.max(end, Math.floor(have * 1.5)));
    try {
      this.memory.grow(Math.ceil((want - have) / PAGE));
    } catch {
      return undefined; // the engine could not reserve more: treated as full
    }
    return this.#bumpWithin(size);
  }

  /** Merges adjacent free blocks and gives a free block at the top back to the bump pointer. */
  #coalesce(): void {
    const blocks: [number, number][] = [];
    for (const [size, offsets] of this.#free) for (const o of offsets) blocks.push([o, size]);
    blocks.sort((x, y) => x[0] - y[0]);
    this.#free = new Map();
    const merged: [number, number][] = [];
    for (const [o, size] of blocks) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === o) last[1] += size;
      else merged.push([o, size]);
    }
    const top = merged[merged.length - 1];
    if (top && top[0] + top[1] === this.#top) {
      this.#top = top[0];
      merged.pop();
    }
    for (const [o, size] of merged) this.#push(o, size);
  }

  /** The first free block of at least `size` bytes, split to size (after #coalesce). */
  #firstFit(size: number): number | undefined {
    for (const [blockSize, offsets] of this.#free) {
      if (blockSize < size || offsets.length === 0) continue;
      const offset = offsets.pop()!;
      if (blockSize > size) this.#push(offset + size, blockSize - size);
      return offset;
    }
    return undefined;
  }
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
