import type { DType } from '../../tensor/dtype.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import type { DataId } from '../../tensor/store.js';
import type { AdamHyper, AdamResult, BinaryOp, ReduceOp, TensorInfo, UnaryOp } from '../backend.js';
import { BINARY_CODES, REDUCE_CODES, UNARY_CODES } from './codes.js';
import type { KernelHost } from './host.js';
import { binaryLayout, reduceLayout, stridedLayout, type StridedLayout } from './layout.js';
import type { WasmData } from './storage.js';

/**
 * The wasm backend's elementwise and reducing kernels on float32 (assembly/elementwise.ts,
 * optimizer.ts, reduce.ts, softmax.ts). The large elementwise ones are split over the worker
 * pool in ranges (./pool.ts). When they run on cpu instead: ./fallbacks.ts.
 */

export function unary(
  host: KernelHost,
  op: UnaryOp,
  x: TensorInfo,
  _outDType: DType,
  param?: number,
): DataId {
  const code = UNARY_CODES[op]!;
  return host.run([x], ([xs]) => {
    const out = host.alloc('float32', x.shape);
    const n = out.size;
    host.range({ kind: 'unary', n, quantum: 4, elements: n }, (from, to) => [
      code,
      xs.offset + 4 * from,
      out.offset + 4 * from,
      to - from,
      param ?? 0,
    ]);
    return out;
  });
}

export function binary(
  host: KernelHost,
  op: BinaryOp,
  a: TensorInfo,
  b: TensorInfo,
  outShape: Shape,
): DataId {
  const code = BINARY_CODES[op]!;
  const size = sizeOf(outShape);
  if (size === 0) return host.alloc('float32', outShape);
  return host.run([a, b], ([as, bs]) => {
    const out = host.alloc('float32', outShape);
    const layout = binaryLayout(a.shape, b.shape, outShape);
    if (layout === undefined) {
      binaryStrided(host, code, as, bs, out, stridedLayout(a.shape, b.shape, outShape));
      return out;
    }
    const [full, part] = layout.partFirst ? [bs, as] : [as, bs];
    const partFirst = Number(layout.partFirst);
    if (layout.kind === 'row') {
      // Ranges of whole periods when the part operand repeats as a row (a bias); of SIMD
      // blocks when it is as large as the output (then each range is its own period) or a
      // scalar.
      const { period } = layout;
      const repeats = period > 1 && period < size;
      const quantum = repeats ? period : 4;
      host.range({ kind: 'binaryRow', n: size, quantum, elements: size }, (from, to) => [
        code,
        full.offset + 4 * from,
        period === size ? part.offset + 4 * from : part.offset,
        out.offset + 4 * from,
        to - from,
        period === size ? to - from : period,
        partFirst,
      ]);
    } else {
      // Ranges of whole rows, each combined with its own value of the part operand.
      const inner = size / layout.outer;
      host.range({ kind: 'binaryCol', n: size, quantum: inner, elements: size }, (from, to) => [
        code,
        full.offset + 4 * from,
        part.offset + (4 * from) / inner,
        out.offset + 4 * from,
        (to - from) / inner,
        inner,
        partFirst,
      ]);
    }
    return out;
  });
}

/** Any other broadcast: the collapsed dims and strides go to the kernel in a small block. */
function binaryStrided(
  host: KernelHost,
  code: number,
  a: WasmData,
  b: WasmData,
  out: WasmData,
  l: StridedLayout,
): void {
  const rank = l.dims.length;
  const meta = host.write(Int32Array.from([...l.dims, ...l.aStrides, ...l.bStrides]), 'int32');
  host.k.binaryStrided(code, a.offset, b.offset, out.offset, rank, meta.offset);
  host.handles.release(meta);
}

export function adamUpdate(
  host: KernelHost,
  w: TensorInfo,
  g: TensorInfo,
  m: TensorInfo,
  v: TensorInfo,
  vhat: TensorInfo | undefined,
  hyper: AdamHyper,
): AdamResult {
  return host.run([w, g, m, v, vhat], ([ws, gs, ms, vs, hs]) => {
    const [wOut, mOut, vOut] = [0, 1, 2].map(() => host.alloc('float32', w.shape)) as [
      WasmData,
      WasmData,
      WasmData,
    ];
    const hOut = hs && host.alloc('float32', w.shape);
    const n = ws.size;
    // Each range of every buffer starts at the same element (`at` keeps 0, "none", as it is).
    const at = (offset: number | undefined, from: number): number =>
      offset ? offset + 4 * from : 0;
    host.range({ kind: 'adamUpdate', n, quantum: 4, elements: n }, (from, to) => [
      ...[ws, gs, ms, vs, hs, wOut, mOut, vOut, hOut].map((b) => at(b?.offset, from)),
      to - from,
      hyper.alpha,
      hyper.c1,
      hyper.c2,
      hyper.epsilon,
    ]);
    return { w: wOut, m: mOut, v: vOut, ...(hOut ? { vhat: hOut } : {}) };
  });
}

export function reduce(
  host: KernelHost,
  op: ReduceOp,
  x: TensorInfo,
  axes: readonly number[],
): DataId {
  const [outer, n, inner] = reduceLayout(x.shape, axes)!;
  return host.run([x], ([xs]) => {
    const out = host.handles.allocate('float32', outer * inner);
    host.k.reduce(REDUCE_CODES[op], xs.offset, out.offset, outer, n, inner);
    return out;
  });
}

export function softmax(host: KernelHost, x: TensorInfo, axis: number, log: boolean): DataId {
  return host.run([x], ([xs]) => {
    const out = host.alloc('float32', x.shape);
    const outer = sizeOf(x.shape.slice(0, axis));
    const inner = sizeOf(x.shape.slice(axis + 1));
    if (out.size > 0) host.k.softmax(xs.offset, out.offset, outer, x.shape[axis]!, inner, log);
    return out;
  });
}
