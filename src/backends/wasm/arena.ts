import { SinewError } from '../../errors.js';

/**
 * The memory of the wasm backend: one `WebAssembly.Memory` whose bytes past `BASE` are cut
 * into blocks for tensor values and kernel scratch. Blocks are 64-byte aligned (whole cache
 * lines, aligned SIMD loads) and recycled through free lists keyed by size, since a training
 * loop asks for the same sizes step after step. When no block fits, the memory grows (the
 * buffer changes: views must be re-made); at the maximum, free blocks are merged once and the
 * request retried; if it still does not fit, a SinewError says so.
 */

const PAGE = 65536;
const ALIGN = 64;
/** The kernels' own constants (math tables) sit below this offset. */
const BASE = PAGE;

export interface ArenaOptions {
  /** Initial size in MiB. */
  readonly initialMiB: number;
  /** The most the memory may grow to, in MiB (at most 4096: 32-bit addresses). */
  readonly maxMiB: number;
  /**
   * Called before the memory grows and after every `collectEvery` bytes allocated: a chance
   * to let the garbage collector find dead tensors, whose blocks come back at the next turn of
   * the event loop.
   */
  readonly onPressure?: () => void;
  /** Bytes of allocation between two onPressure calls (default 64 MiB). */
  readonly collectEvery?: number;
}

export class Arena {
  readonly memory: WebAssembly.Memory;
  readonly #maxBytes: number;
  readonly #onPressure: (() => void) | undefined;
  readonly #collectEvery: number;
  #sinceCollect = 0;
  #top = BASE;
  #free = new Map<number, number[]>();
  #inUse = 0;

  constructor({ initialMiB, maxMiB, onPressure, collectEvery = 64 * 1048576 }: ArenaOptions) {
    this.#onPressure = onPressure;
    this.#collectEvery = collectEvery;
    const maximum = Math.min(65536, Math.ceil((maxMiB * 1048576) / PAGE));
    const initial = Math.min(maximum, Math.max(2, Math.ceil((initialMiB * 1048576) / PAGE)));
    this.memory = new WebAssembly.Memory({ initial, maximum });
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
    const offset = this.#reuse(size) ?? this.#bump(size);
    if (offset === undefined) {
      this.#coalesce();
      const retry = this.#firstFit(size) ?? this.#bump(size);
      if (retry !== undefined) return this.#take(retry, size);
      throw new SinewError(
        `The wasm backend's memory is full: a tensor needs ${mib(size)} MiB, ${mib(this.#inUse)} MiB ` +
          `are in use and the maximum is ${mib(this.#maxBytes)} MiB. Use smaller batches, keep fewer ` +
          `tensors alive, or create the backend with a larger maxMemoryMiB (up to 4096).`,
      );
    }
    return this.#take(offset, size);
  }

  /** Returns a block from allocate(bytes) to the arena. */
  free(offset: number, bytes: number): void {
    if (bytes === 0) return;
    const size = Math.ceil(bytes / ALIGN) * ALIGN;
    this.#inUse -= size;
    this.#push(offset, size);
  }

  #collect(): void {
    this.#sinceCollect = 0;
    this.#onPressure?.();
  }

  #take(offset: number, size: number): number {
    this.#inUse += size;
    this.#sinceCollect += size;
    if (this.#sinceCollect > this.#collectEvery) this.#collect();
    return offset;
  }

  #push(offset: number, size: number): void {
    const list = this.#free.get(size);
    if (list) list.push(offset);
    else this.#free.set(size, [offset]);
  }

  #reuse(size: number): number | undefined {
    return this.#free.get(size)?.pop();
  }

  #bump(size: number): number | undefined {
    const end = this.#top + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      if (end > this.#maxBytes) return undefined;
      this.#collect();
      // Grow by at least half again, so growth (which moves the buffer) stays rare.
      const want = Math.min(this.#maxBytes, Math.max(end, Math.floor(have * 1.5)));
      try {
        this.memory.grow(Math.ceil((want - have) / PAGE));
      } catch {
        return undefined; // the engine could not reserve more: treated as full
      }
    }
    const offset = this.#top;
    this.#top = end;
    return offset;
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
