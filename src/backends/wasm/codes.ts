import type { BinaryOp, FusedActivation, ReduceOp, UnaryOp } from '../backend.js';

/** Op codes shared with the AssemblyScript kernels (assembly/elementwise.ts, reduce.ts). */

export const BINARY_CODES: Partial<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
};

/** Unary functions with a float32 wasm kernel; the rest (erf, gelu, ...) run on cpu. */
export const UNARY_CODES: Partial<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  square: 2,
  sqrt: 3,
  rsqrt: 4,
  reciprocal: 5,
  exp: 6,
  expm1: 7,
  log: 8,
  log1p: 9,
  floor: 10,
  sigmoid: 11,
  logSigmoid: 12,
  tanh: 13,
  relu: 14,
  relu6: 15,
  leakyRelu: 16,
  elu: 17,
  selu: 18,
  softplus: 19,
  softsign: 20,
  swish: 21,
  sign: 22,
};

/**
 * Activation codes of the fused dense kernels (assembly/dense.ts, which cannot import this:
 * the fused-vs-unfused and denseGrad tests of ./dense.test.ts check its codes against these
 * for every one of FUSED_ACTIVATIONS).
 */
export const FUSED_CODES: Record<FusedActivation, number> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  sigmoid: 3,
  tanh: 4,
};

export const REDUCE_CODES: Record<ReduceOp, number> = { sum: 0, prod: 1, max: 2, min: 3 };

/**
 * sgemm's arguments (assembly/matmul.ts): C[m×n] = op(A)·op(B), op(A)[i][p] at
 * a + 4·(i·ars + p·acs), op(B)[p][j] at b + 4·(p·brs + j·bcs), C's leading dimension ldc.
 */
type SgemmArgs = [
  m: number,
  n: number,
  k: number,
  a: number,
  ars: number,
  acs: number,
  b: number,
  brs: number,
  bcs: number,
  c: number,
  ldc: number,
  scratch: number,
];

/** The exports of the compiled kernels (byte offsets into the shared memory). */
export interface KernelExports {
  sgemm(...args: SgemmArgs): void;
  sgemmScratchBytes(): number;
  binaryRow(
    op: number,
    full: number,
    part: number,
    out: number,
    n: number,
    m: number,
    partFirst: boolean,
  ): void;
  binaryCol(
    op: number,
    full: number,
    part: number,
    out: number,
    outer: number,
    inner: number,
    partFirst: boolean,
  ): void;
  binaryStrided(op: number, a: number, b: number, out: number, rank: number, meta: number): void;
  unary(op: number, x: number, out: number, n: number, param: number): void;
  softmax(x: number, out: number, outer: number, n: number, inner: number, log: boolean): void;
  lstmGates(
    z: number,
    c: number,
    gates: number,
    cNext: number,
    h: number,
    batch: number,
    units: number,
  ): void;
  lstmGatesGrad(
    gates: number,
    c: number,
    cNext: number,
    dh: number,
    dcNext: number,
    dz: number,
    dc: number,
    batch: number,
    units: number,
  ): void;
  gruGates(
    x: number,
    inner: number,
    h: number,
    gates: number,
    hNext: number,
    batch: number,
    units: number,
  ): void;
  gruGatesGrad(
    gates: number,
    inner: number,
    h: number,
    dhNext: number,
    dx: number,
    dInner: number,
    dh: number,
    batch: number,
    units: number,
  ): void;
  reduce(op: number, x: number, out: number, outer: number, n: number, inner: number): void;
  /** sgemm, then in place on C (ldc == n): C = act(C + bias), bias 0 meaning none. */
  denseForward(...args: [...SgemmArgs, bias: number, act: number]): void;
  denseGradColumns(
    y: number,
    dy: number,
    dz: number,
    dbias: number,
    m: number,
    n: number,
    ld: number,
    act: number,
  ): void;
  adamUpdate(
    w: number,
    g: number,
    m: number,
    v: number,
    vhat: number,
    wOut: number,
    mOut: number,
    vOut: number,
    vhatOut: number,
    n: number,
    alpha: number,
    c1: number,
    c2: number,
    eps: number,
  ): void;
  // Convolution and pooling (assembly/conv.ts, pool.ts); `meta` is the geometry block.
  convScratchBytes(): number;
  conv2dForward(
    meta: number,
    x: number,
    f: number,
    y: number,
    mFrom: number,
    mTo: number,
    scratch: number,
  ): void;
  conv2dFilter(
    meta: number,
    x: number,
    dy: number,
    out: number,
    mFrom: number,
    mTo: number,
    scratch: number,
  ): void;
  conv2dInput(
    meta: number,
    dy: number,
    f: number,
    dx: number,
    bFrom: number,
    bTo: number,
    block: number,
    blockRows: number,
    scratch: number,
  ): void;
  pool2d(meta: number, op: number, x: number, y: number, bFrom: number, bTo: number): void;
  depthwiseForward(meta: number, x: number, f: number, y: number, from: number, to: number): void;
  depthwiseInput(meta: number, dy: number, f: number, dx: number, from: number, to: number): void;
  depthwiseFilter(meta: number, x: number, dy: number, out: number, from: number, to: number): void;
  pool2dGrad(
    meta: number,
    op: number,
    x: number,
    dy: number,
    dx: number,
    bFrom: number,
    bTo: number,
  ): void;
}

// Every export the backend calls, as a record so that a name missing here or not in
// KernelExports is a compile error; the loader checks a compiled module against it, so a
// dist/wasm/ built before the code changed is caught with a clear reason.
const EXPORT_SET: Record<keyof KernelExports, true> = {
  sgemm: true,
  sgemmScratchBytes: true,
  binaryRow: true,
  binaryCol: true,
  binaryStrided: true,
  unary: true,
  softmax: true,
  lstmGates: true,
  lstmGatesGrad: true,
  gruGates: true,
  gruGatesGrad: true,
  reduce: true,
  denseForward: true,
  denseGradColumns: true,
  adamUpdate: true,
  convScratchBytes: true,
  conv2dForward: true,
  conv2dFilter: true,
  conv2dInput: true,
  pool2d: true,
  depthwiseForward: true,
  depthwiseInput: true,
  depthwiseFilter: true,
  pool2dGrad: true,
};
export const KERNEL_EXPORT_NAMES: readonly string[] = Object.keys(EXPORT_SET);
