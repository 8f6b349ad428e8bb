import type { DataArray, DType } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type { DataId } from '../../tensor/store.js';
import type {
  AdamHyper,
  AdamResult,
  Backend,
  BackendInfo,
  BinaryOp,
  Conv2DInfo,
  DenseGradResult,
  FusedActivation,
  PoolOp,
  ReduceOp,
  TensorInfo,
  UnaryOp,
} from '../backend.js';
import {
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  depthwiseConv2d,
  depthwiseConv2dBackpropFilter,
  depthwiseConv2dBackpropInput,
  pool2d,
  pool2dGrad,
} from './conv.js';
import { dense, denseGrad } from './dense.js';
import { binary, cast, unary, where } from './elementwise.js';
import { gather, oneHot, scatterAdd } from './indexing.js';
import { matmul } from './matmul.js';
import { adamUpdate } from './optimizer.js';
import { argReduce, reduce, topK } from './reduce.js';
import { concat, pad, slice, tile, transpose } from './shape.js';
import { lstmGates, lstmGatesGrad } from './lstm.js';
import { gruGates, gruGatesGrad } from './gru.js';
import { softmax } from './softmax.js';
import { valuesOf, wrap } from './storage.js';

/**
 * The reference backend: every kernel in plain TypeScript, written to be read, one family per
 * file beside this one. It is the oracle that faster backends are tested against, and it
 * supports float64 everywhere (gradient checks run in float64).
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';

  info(): BackendInfo {
    return { name: this.name, threads: 1 };
  }

  write(values: DataArray, _dtype: DType): DataId {
    return wrap(values.slice());
  }
  readSync(dataId: DataId): DataArray {
    return valuesOf(dataId);
  }
  async read(dataId: DataId): Promise<DataArray> {
    return valuesOf(dataId);
  }
  release(_dataId: DataId): void {
    // The garbage collector frees cpu values with their last handle.
  }

  unary(op: UnaryOp, x: TensorInfo, outDType: DType, param?: number): DataId {
    return wrap(unary(op, valuesOf(x), outDType, param));
  }
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape, outDType: DType): DataId {
    return wrap(binary(op, a, b, outShape, outDType));
  }
  where(condition: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataId {
    return wrap(where(condition, a, b, outShape));
  }
  cast(x: TensorInfo, dtype: DType): DataId {
    return wrap(cast(valuesOf(x), dtype));
  }
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): DataId {
    return wrap(reduce(op, x, axes));
  }
  argReduce(op: 'argMax' | 'argMin', x: TensorInfo, axis: number): DataId {
    return wrap(argReduce(op, x, axis));
  }
  softmax(x: TensorInfo, axis: number, log: boolean): DataId {
    return wrap(softmax(x, axis, log));
  }
  lstmGates(z: TensorInfo, c: TensorInfo): { gates: DataId; c: DataId; h: DataId } {
    const r = lstmGates(z, c);
    return { gates: wrap(r.gates), c: wrap(r.c), h: wrap(r.h) };
  }
  lstmGatesGrad(
    gates: TensorInfo,
    c: TensorInfo,
    cNext: TensorInfo,
    dh: TensorInfo,
    dcNext: TensorInfo,
  ): { dz: DataId; dc: DataId } {
    const r = lstmGatesGrad(gates, c, cNext, dh, dcNext);
    return { dz: wrap(r.dz), dc: wrap(r.dc) };
  }
  gruGates(x: TensorInfo, inner: TensorInfo, h: TensorInfo): { gates: DataId; h: DataId } {
    const r = gruGates(x, inner, h);
    return { gates: wrap(r.gates), h: wrap(r.h) };
  }
  gruGatesGrad(
    gates: TensorInfo,
    inner: TensorInfo,
    h: TensorInfo,
    dhNext: TensorInfo,
  ): { dx: DataId; dInner: DataId; dh: DataId } {
    const r = gruGatesGrad(gates, inner, h, dhNext);
    return { dx: wrap(r.dx), dInner: wrap(r.dInner), dh: wrap(r.dh) };
  }
  topK(x: TensorInfo, k: number): { values: DataId; indices: DataId } {
    const { values, indices } = topK(x, k);
    return { values: wrap(values), indices: wrap(indices) };
  }
  matmul(
    a: TensorInfo,
    b: TensorInfo,
    transposeA: boolean,
    transposeB: boolean,
    outShape: Shape,
  ): DataId {
    return wrap(matmul(a, b, transposeA, transposeB, outShape));
  }
  dense(
    x: TensorInfo,
    kernel: TensorInfo,
    bias: TensorInfo | undefined,
    activation: FusedActivation,
  ): DataId {
    return wrap(dense(x, kernel, bias, activation));
  }
  denseGrad(
    y: TensorInfo,
    dy: TensorInfo,
    activation: FusedActivation,
    withBias: boolean,
  ): DenseGradResult {
    const { dz, dbias } = denseGrad(y, dy, activation, withBias);
    return { dz: wrap(dz), ...(dbias ? { dbias: wrap(dbias) } : {}) };
  }
  transpose(x: TensorInfo, perm: readonly number[]): DataId {
    return wrap(transpose(x, perm));
  }
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataId {
    return wrap(slice(x, begin, size));
  }
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], value: number): DataId {
    return wrap(pad(x, paddings, value));
  }
  concat(xs: readonly TensorInfo[], axis: number, outShape: Shape): DataId {
    return wrap(concat(xs, axis, outShape));
  }
  tile(x: TensorInfo, reps: readonly number[]): DataId {
    return wrap(tile(x, reps));
  }
  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId {
    return wrap(gather(x, indices, axis));
  }
  scatterAdd(x: TensorInfo, indices: TensorInfo, updates: TensorInfo, axis: number): DataId {
    return wrap(scatterAdd(x, indices, updates, axis));
  }
  oneHot(
    indices: TensorInfo,
    depth: number,
    onValue: number,
    offValue: number,
    dtype: DType,
  ): DataId {
    return wrap(oneHot(indices, depth, onValue, offValue, dtype));
  }
  adamUpdate(
    w: TensorInfo,
    g: TensorInfo,
    m: TensorInfo,
    v: TensorInfo,
    vhat: TensorInfo | undefined,
    hyper: AdamHyper,
  ): AdamResult {
    const f32 = (t: TensorInfo): Float32Array => valuesOf(t) as Float32Array;
    const out = adamUpdate(f32(w), f32(g), f32(m), f32(v), vhat && f32(vhat), hyper);
    return {
      w: wrap(out.w),
      m: wrap(out.m),
      v: wrap(out.v),
      ...(out.vhat ? { vhat: wrap(out.vhat) } : {}),
    };
  }
  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return wrap(conv2d(x, filter, info));
  }
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return wrap(conv2dBackpropInput(dy, filter, info));
  }
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return wrap(conv2dBackpropFilter(x, dy, info));
  }
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return wrap(depthwiseConv2d(x, filter, info));
  }
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId {
    return wrap(depthwiseConv2dBackpropInput(dy, filter, info));
  }
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return wrap(depthwiseConv2dBackpropFilter(x, dy, info));
  }
  pool2d(op: PoolOp, x: TensorInfo, info: Conv2DInfo): DataId {
    return wrap(pool2d(op, x, info));
  }
  pool2dGrad(op: PoolOp, x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId {
    return wrap(pool2dGrad(op, x, dy, info));
  }
}
