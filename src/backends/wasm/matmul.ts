import { batchOffsets, type Shape } from '../../tensor/shape.js';
import type { DataId } from '../../tensor/store.js';
import type { DenseGradResult, FusedActivation, TensorInfo } from '../backend.js';
import { FUSED_CODES, type KernelExports } from './codes.js';
import type { KernelHost } from './host.js';
import { MIN_FLOPS, type WorkerPool } from './pool.js';

export interface MatmulOperands {
  readonly a: number; // byte offsets
  readonly b: number;
  readonly c: number;
  readonly scratch: number;
  readonly aShape: Shape;
  readonly bShape: Shape;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly outShape: Shape;
  /** A dense layer's bias (byte offset, 0: none) and activation (FUSED_CODES), applied to C. */
  readonly epilogue?: { readonly bias: number; readonly act: number };
}

/**
 * Batched float32 C = op(A)·op(B) with the wasm sgemm, one call per output batch. Transposes
 * are strides (the kernel packs through them), so no operand is copied. With a pool, each
 * large product is split over rows of C between threads (./pool.ts). With `epilogue`, each
 * thread applies a dense layer's bias and activation to the rows of C it computed. `pool` is
 * asked for only when a product is large enough to split (it starts on first need).
 */
export function wasmMatmul(
  k: KernelExports,
  pool: () => WorkerPool | undefined,
  args: MatmulOperands,
): void {
  const { aShape, bShape, transposeA, transposeB, outShape } = args;
  const rank = outShape.length;
  const m = outShape[rank - 2]!;
  const n = outShape[rank - 1]!;
  const aCols = aShape[aShape.length - 1]!;
  const bCols = bShape[bShape.length - 1]!;
  const depth = transposeA ? aShape[aShape.length - 2]! : aCols;
  // op(A)[i][p] = A[i·ars + p·acs], op(B)[p][j] = B[p·brs + j·bcs] (elements).
  const [ars, acs] = transposeA ? [1, aCols] : [aCols, 1];
  const [brs, bcs] = transposeB ? [1, bCols] : [bCols, 1];
  const batchShape = outShape.slice(0, rank - 2);
  const aOff = batchOffsets(aShape, batchShape);
  const bOff = batchOffsets(bShape, batchShape);
  for (let t = 0; t < aOff.length; t++) {
    const call = {
      m,
      n,
      k: depth,
      a: args.a + 4 * aOff[t]!,
      ars,
      acs,
      b: args.b + 4 * bOff[t]!,
      brs,
      bcs,
      c: args.c + 4 * t * m * n,
      ldc: n,
    };
    const workers = 2 * m * n * depth >= MIN_FLOPS ? pool() : undefined;
    const { epilogue, scratch } = args;
    const gemm = [m, n, depth, call.a, ars, acs, call.b, brs, bcs, call.c, n, scratch] as const;
    if (workers) workers.sgemm(k, call, scratch, epilogue);
    else if (epilogue) k.denseForward(...gemm, epilogue.bias, epilogue.act);
    else k.sgemm(...gemm);
  }
}

/** The Backend contract's matmul on float32. */
export function matmul(
  host: KernelHost,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  outShape: Shape,
): DataId {
  return host.run([a, b], ([as, bs]) => {
    const out = host.alloc('float32', outShape);
    wasmMatmul(host.k, () => host.workers(), {
      a: as.offset,
      b: bs.offset,
      c: out.offset,
      scratch: host.scratch,
      aShape: a.shape,
      bShape: b.shape,
      transposeA,
      transposeB,
      outShape,
    });
    return out;
  });
}

/** sgemm with the bias and activation applied by each thread to its rows (wasmMatmul). */
export function dense(
  host: KernelHost,
  x: TensorInfo,
  kernel: TensorInfo,
  bias: TensorInfo | undefined,
  activation: FusedActivation,
): DataId {
  return host.run([x, kernel, bias], ([xs, ks, bs]) => {
    const outShape = [x.shape[0]!, kernel.shape[1]!];
    const out = host.alloc('float32', outShape);
    wasmMatmul(host.k, () => host.workers(), {
      a: xs.offset,
      b: ks.offset,
      c: out.offset,
      scratch: host.scratch,
      aShape: x.shape,
      bShape: kernel.shape,
      transposeA: false,
      transposeB: false,
      outShape,
      epilogue: { bias: bs?.offset ?? 0, act: FUSED_CODES[activation] },
    });
    return out;
  });
}

/** The activation's and bias's gradient of dense in one pass (assembly/dense.ts). */
export function denseGrad(
  host: KernelHost,
  y: TensorInfo,
  dy: TensorInfo,
  activation: FusedActivation,
  withBias: boolean,
): DenseGradResult {
  return host.run([y, dy], ([ys, dys]) => {
    const [m, n] = y.shape as [number, number];
    const dz = host.alloc('float32', y.shape);
    const dbias = withBias ? host.alloc('float32', [n]) : undefined;
    const code = FUSED_CODES[activation];
    // Blocks of columns: each thread sums its bias columns over all rows, in row order.
    const job = { kind: 'denseGradColumns', n, quantum: 4, elements: m * n } as const;
    host.range(job, (from, to) => [
      ys.offset + 4 * from,
      dys.offset + 4 * from,
      dz.offset + 4 * from,
      dbias ? dbias.offset + 4 * from : 0,
      m,
      to - from,
      n,
      code,
    ]);
    return { dz, ...(dbias ? { dbias } : {}) };
  });
}
