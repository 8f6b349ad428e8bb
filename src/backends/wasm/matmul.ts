import { batchOffsets, type Shape } from '../../tensor/shape.js';
import type { KernelExports } from './codes.js';
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
