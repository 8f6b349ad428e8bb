import type { Conv2DInfo, PoolOp, TensorInfo } from '../backend.js';
import type { Shape } from '../../tensor/shape.js';
import type { DataId } from '../../tensor/store.js';
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
import type { KernelHost } from './host.js';
import type { WorkerPool } from './pool.js';
import type { WasmData } from './storage.js';

/**
 * The wasm backend's convolution and pooling kernels on float32: the kernels of
 * assembly/conv.ts, conv-single.ts, depthwise.ts and pool.ts, split between threads as
 * ./conv.ts says. When they run on cpu instead: ./fallbacks.ts.
 */

/** Runs `body` with the geometry of `info` in the arena; frees it and the body's blocks after. */
function withGeometry(
  host: KernelHost,
  info: Conv2DInfo,
  body: (call: ConvCall, memory: ConvMemory) => void,
): void {
  const meta = host.write(Int32Array.from(geometryValues(info)), 'int32');
  const blocks = new Map<number, WasmData>();
  const memory: ConvMemory = {
    alloc: (floats) => {
      const block = host.handles.allocate('float32', floats);
      blocks.set(block.offset, block);
      return block.offset;
    },
    free: (offset) => {
      const block = blocks.get(offset);
      blocks.delete(offset);
      if (block) host.handles.release(block);
    },
  };
  const pool = (): WorkerPool | undefined => host.workers();
  try {
    body({ k: host.k, pool, info, meta: meta.offset, scratch: host.scratch }, memory);
  } finally {
    for (const block of blocks.values()) host.handles.release(block);
    host.handles.release(meta);
  }
}

/** A float32 window op on `inputs`, writing an output of `shape`. */
function window(
  host: KernelHost,
  inputs: readonly TensorInfo[],
  shape: Shape,
  info: Conv2DInfo,
  body: (call: ConvCall, memory: ConvMemory, offsets: number[], out: number) => void,
): DataId {
  return host.run(inputs, (locals) => {
    const offsets = locals.map((l) => l.offset);
    const out = host.alloc('float32', shape);
    if (out.size > 0) {
      withGeometry(host, info, (call, memory) => body(call, memory, offsets, out.offset));
    }
    return out;
  });
}

export function conv2d(
  host: KernelHost,
  x: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): DataId {
  const shape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
  return window(host, [x, filter], shape, info, (call, _, [xo, fo], out) =>
    convForward(call, xo!, fo!, out),
  );
}

export function conv2dBackpropInput(
  host: KernelHost,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): DataId {
  const shape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
  return window(host, [dy, filter], shape, info, (call, memory, [dyo, fo], out) =>
    convInput(call, memory, dyo!, fo!, out),
  );
}

export function conv2dBackpropFilter(
  host: KernelHost,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): DataId {
  const shape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  return window(host, [x, dy], shape, info, (call, memory, [xo, dyo], out) =>
    convFilter(call, memory, xo!, dyo!, out),
  );
}

export function depthwiseConv2d(
  host: KernelHost,
  x: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): DataId {
  const shape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
  return window(host, [x, filter], shape, info, (call, _, [xo, fo], out) =>
    depthwiseForward(call, xo!, fo!, out),
  );
}

export function depthwiseConv2dBackpropInput(
  host: KernelHost,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): DataId {
  const shape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
  return window(host, [dy, filter], shape, info, (call, _, [dyo, fo], out) =>
    depthwiseInput(call, dyo!, fo!, out),
  );
}

export function depthwiseConv2dBackpropFilter(
  host: KernelHost,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): DataId {
  const mult = info.outChannels / info.inChannels;
  const shape = [info.filterHeight, info.filterWidth, info.inChannels, mult];
  return window(host, [x, dy], shape, info, (call, memory, [xo, dyo], out) =>
    depthwiseFilter(call, memory, xo!, dyo!, out),
  );
}

export function pool2d(host: KernelHost, op: PoolOp, x: TensorInfo, info: Conv2DInfo): DataId {
  const shape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
  return window(host, [x], shape, info, (call, _, [xo], out) => pool(call, op, xo!, out));
}

export function pool2dGrad(
  host: KernelHost,
  op: PoolOp,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): DataId {
  return window(host, [x, dy], x.shape, info, (call, _, [xo, dyo], out) =>
    poolGrad(call, op, xo!, dyo!, out),
  );
}
