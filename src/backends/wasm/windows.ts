import type { Conv2DInfo, PoolOp, TensorInfo } from '../backend.js';
import type { CpuBackend } from '../cpu/index.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import type { DataId } from '../../tensor/store.js';
import type { KernelExports } from './codes.js';
import {
  convFilter,
  convForward,
  convInput,
  depthwiseFilter,
  depthwiseForward,
  depthwiseInput,
  geometryValues,
  pool,
  poolGrad,
  type ConvCall,
  type ConvMemory,
} from './conv.js';
import type { WorkerPool } from './pool.js';
import type { HandleTable, WasmData } from './storage.js';

/** What the window kernels use of the wasm backend. */
export interface WindowHost {
  readonly k: KernelExports;
  readonly handles: HandleTable;
  /** The calling thread's scratch (byte offset). */
  readonly scratch: number;
  readonly cpu: CpuBackend;
  /** The worker pool, started on first need (none on one thread). */
  pool(): WorkerPool | undefined;
  /** The arena handle of x; values from another store are copied in (added to `temps`). */
  local(x: TensorInfo, temps: WasmData[]): WasmData;
  /** x as the cpu backend sees it. */
  toCpu(x: TensorInfo): TensorInfo;
  /** A cpu result copied into the arena. */
  fromCpu(dataId: DataId): DataId;
}

/**
 * The wasm backend's convolution and pooling kernels (its Backend methods of those names
 * delegate here): float32 runs the kernels of assembly/conv.ts, conv-single.ts,
 * depthwise.ts and pool.ts, split between threads as ./conv.ts says; other dtypes run the
 * cpu reference.
 */
export class WindowKernels {
  readonly #host: WindowHost;

  constructor(host: WindowHost) {
    this.#host = host;
  }

  /** Runs `body` with the geometry of `info` in the arena; frees it and the body's blocks after. */
  #conv(info: Conv2DInfo, body: (call: ConvCall, memory: ConvMemory) => void): void {
    const meta = this.#host.handles.allocate('int32', 15);
    this.#host.handles.view(meta).set(geometryValues(info));
    const blocks = new Map<number, WasmData>();
    const memory: ConvMemory = {
      alloc: (floats) => {
        const block = this.#host.handles.allocate('float32', floats);
        blocks.set(block.offset, block);
        return block.offset;
      },
      free: (offset) => {
        const block = blocks.get(offset);
        blocks.delete(offset);
        if (block) this.#host.handles.release(block);
      },
    };
    const pool = (): WorkerPool | undefined => this.#host.pool();
    try {
      body({ k: this.#host.k, pool, info, meta: meta.offset, scratch: this.#host.scratch }, memory);
    } finally {
      for (const block of blocks.values()) this.#host.handles.release(block);
      this.#host.handles.release(meta);
    }
  }

  /** A float32 window op on `inputs`, writing an output of `shape` (cpu for other dtypes). */
  #window(
    inputs: readonly TensorInfo[],
    shape: Shape,
    info: Conv2DInfo,
    cpu: (inputs: TensorInfo[]) => DataId,
    body: (call: ConvCall, memory: ConvMemory, offsets: number[], out: number) => void,
  ): DataId {
    if (inputs.some((t) => t.dtype !== 'float32')) {
      return this.#host.fromCpu(cpu(inputs.map((t) => this.#host.toCpu(t))));
    }
    const temps: WasmData[] = [];
    const offsets = inputs.map((t) => this.#host.local(t, temps).offset);
    const out = this.#host.handles.allocate('float32', sizeOf(shape));
    if (out.size > 0) this.#conv(info, (call, memory) => body(call, memory, offsets, out.offset));
    for (const t of temps) this.#host.handles.release(t);
    return out;
  }

  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    const shape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
    return this.#window(
      [x, filter],
      shape,
      info,
      ([xc, fc]) => this.#host.cpu.conv2d(xc!, fc!, info),
      (call, _, [xo, fo], out) => convForward(call, xo!, fo!, out),
    );
  }
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    const shape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
    return this.#window(
      [dy, filter],
      shape,
      info,
      ([dc, fc]) => this.#host.cpu.conv2dBackpropInput(dc!, fc!, info),
      (call, memory, [dyo, fo], out) => convInput(call, memory, dyo!, fo!, out),
    );
  }
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    const shape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
    return this.#window(
      [x, dy],
      shape,
      info,
      ([xc, dc]) => this.#host.cpu.conv2dBackpropFilter(xc!, dc!, info),
      (call, memory, [xo, dyo], out) => convFilter(call, memory, xo!, dyo!, out),
    );
  }
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    const shape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
    return this.#window(
      [x, filter],
      shape,
      info,
      ([xc, fc]) => this.#host.cpu.depthwiseConv2d(xc!, fc!, info),
      (call, _, [xo, fo], out) => depthwiseForward(call, xo!, fo!, out),
    );
  }
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    const shape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
    return this.#window(
      [dy, filter],
      shape,
      info,
      ([dc, fc]) => this.#host.cpu.depthwiseConv2dBackpropInput(dc!, fc!, info),
      (call, _, [dyo, fo], out) => depthwiseInput(call, dyo!, fo!, out),
    );
  }
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    const mult = info.outChannels / info.inChannels;
    const shape = [info.filterHeight, info.filterWidth, info.inChannels, mult];
    return this.#window(
      [x, dy],
      shape,
      info,
      ([xc, dc]) => this.#host.cpu.depthwiseConv2dBackpropFilter(xc!, dc!, info),
      (call, memory, [xo, dyo], out) => depthwiseFilter(call, memory, xo!, dyo!, out),
    );
  }
  pool2d(op: PoolOp, x: TensorInfo, info: Conv2DInfo): DataId {
    const shape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
    return this.#window(
      [x],
      shape,
      info,
      ([xc]) => this.#host.cpu.pool2d(op, xc!, info),
      (call, _, [xo], out) => pool(call, op, xo!, out),
    );
  }
  pool2dGrad(op: PoolOp, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return this.#window(
      [x, dy],
      x.shape,
      info,
      ([xc, dc]) => this.#host.cpu.pool2dGrad(op, xc!, dc!, info),
      (call, _, [xo, dyo], out) => poolGrad(call, op, xo!, dyo!, out),
    );
  }
}
