import { allocArray, type DataArray, type DType } from '../../tensor/dtype.js';
import { isTrailing, sizeOf, stridesOf, type Shape } from '../../tensor/shape.js';
import type { BinaryOp, TensorInfo, UnaryOp } from '../backend.js';
import { valuesOf } from './storage.js';

// Reference kernels for elementwise ops: unary functions, broadcasting binary functions,
// where and cast. Each function of one value is written once, as a plain scalar function.

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** The error function, to near double precision: its Maclaurin series below |x| = 2, a
 * continued fraction for erfc(|x|) above. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2) {
    // Maclaurin series: converges fast for |x| < 2 (terms fall like x^(2n)/n!).
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc, accurate for |x| >= 2.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return x > 0 ? 1 - erfc : erfc - 1;
}

function sigmoid(x: number): number {
  // Stable for large |x|: never computes exp of a large positive number.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function softplus(x: number): number {
  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const UNARY: Record<UnaryOp, (x: number, p: number) => number> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : Number.NaN),
  square: (x) => x * x,
  sqrt: (x) => Math.sqrt(x),
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  exp: (x) => Math.exp(x),
  expm1: (x) => Math.expm1(x),
  log: (x) => Math.log(x),
  log1p: (x) => Math.log1p(x),
  erf: (x) => erf(x),
  floor: (x) => Math.floor(x),
  sigmoid,
  logSigmoid: (x) => -softplus(-x),
  tanh: (x) => Math.tanh(x),
  // NaN fails every comparison, so it is tested first to let it through.
  relu: (x) => (Number.isNaN(x) ? x : x > 0 ? x : 0),
  relu6: (x) => (Number.isNaN(x) ? x : x > 0 ? (x < 6 ? x : 6) : 0),
  leakyRelu: (x, alpha) => (x > 0 ? x : alpha * x),
  elu: (x, alpha) => (x > 0 ? x : alpha * Math.expm1(x)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  geluTanh: (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
  softplus,
  softsign: (x) => (Number.isFinite(x) ? x / (1 + Math.abs(x)) : Math.sign(x)),
  swish: (x) => x * sigmoid(x),
  logicalNot: (x) => (x === 0 ? 1 : 0),
};

export function unary(op: UnaryOp, x: DataArray, outDType: DType, param = 0): DataArray {
  const f = UNARY[op];
  const out = allocArray(outDType, x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!, param);
  return out;
}

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => Math.pow(a, b),
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : a >= b ? a : b),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : a <= b ? a : b),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
};

/**
 * Strides of `shape` seen from a broadcast output of rank `rank`: 0 along broadcast axes.
 */
function broadcastStrides(shape: Shape, rank: number): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] !== 1) out[rank - shape.length + i] = own[i]!;
  }
  return out;
}

/**
 * Visits every output position of a broadcast over `outShape` and calls `body(o, ia, ib)`
 * with the flat output index and the flat indices into each input.
 */
function forEachBroadcast(
  outShape: Shape,
  a: Shape,
  b: Shape,
  body: (o: number, ia: number, ib: number) => void,
): void {
  const rank = outShape.length;
  const size = sizeOf(outShape);
  if (size === 0) return;
  const sa = broadcastStrides(a, rank);
  const sb = broadcastStrides(b, rank);
  const index = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < size; o++) {
    body(o, ia, ib);
    // Odometer step over the output index, updating both input offsets.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (index[d]! < outShape[d]!) break;
      ia -= sa[d]! * outShape[d]!;
      ib -= sb[d]! * outShape[d]!;
      index[d] = 0;
    }
  }
}

/**
 * The common layouts, written as plain loops for the four arithmetic ops: `full` has the
 * output's size and `part` repeats along the leading axes (same shape, a scalar, or a bias
 * row). `partFirst` says `part` is the left operand. Returns false for other ops.
 */
function repeatingArithmetic(
  op: BinaryOp,
  full: DataArray,
  part: DataArray,
  out: DataArray,
  partFirst: boolean,
): boolean {
  const m = part.length;
  const n = out.length;
  switch (op) {
    case 'add':
      for (let s = 0; s < n; s += m)
        for (let j = 0; j < m; j++) out[s + j] = full[s + j]! + part[j]!;
      return true;
    case 'mul':
      for (let s = 0; s < n; s += m)
        for (let j = 0; j < m; j++) out[s + j] = full[s + j]! * part[j]!;
      return true;
    case 'sub':
      if (partFirst)
        for (let s = 0; s < n; s += m)
          for (let j = 0; j < m; j++) out[s + j] = part[j]! - full[s + j]!;
      else
        for (let s = 0; s < n; s += m)
          for (let j = 0; j < m; j++) out[s + j] = full[s + j]! - part[j]!;
      return true;
    case 'div':
      if (partFirst)
        for (let s = 0; s < n; s += m)
          for (let j = 0; j < m; j++) out[s + j] = part[j]! / full[s + j]!;
      else
        for (let s = 0; s < n; s += m)
          for (let j = 0; j < m; j++) out[s + j] = full[s + j]! / part[j]!;
      return true;
    default:
      return false;
  }
}

export function binary(
  op: BinaryOp,
  a: TensorInfo,
  b: TensorInfo,
  outShape: Shape,
  outDType: DType,
): DataArray {
  const f = BINARY[op];
  const av = valuesOf(a);
  const bv = valuesOf(b);
  const out = allocArray(outDType, sizeOf(outShape));
  if (out.length === 0) return out;
  if (av.length === out.length && isTrailing(b.shape, outShape)) {
    if (repeatingArithmetic(op, av, bv, out, false)) return out;
    const m = bv.length;
    for (let i = 0; i < out.length; i++) out[i] = f(av[i]!, bv[i % m]!);
  } else if (bv.length === out.length && isTrailing(a.shape, outShape)) {
    if (repeatingArithmetic(op, bv, av, out, true)) return out;
    const m = av.length;
    for (let i = 0; i < out.length; i++) out[i] = f(av[i % m]!, bv[i]!);
  } else {
    forEachBroadcast(outShape, a.shape, b.shape, (o, ia, ib) => {
      out[o] = f(av[ia]!, bv[ib]!);
    });
  }
  return out;
}

export function where(
  condition: TensorInfo,
  a: TensorInfo,
  b: TensorInfo,
  outShape: Shape,
): DataArray {
  const cv = valuesOf(condition);
  const av = valuesOf(a);
  const bv = valuesOf(b);
  const out = allocArray(a.dtype, sizeOf(outShape));
  const rank = outShape.length;
  const sc = broadcastStrides(condition.shape, rank);
  // Broadcast a against b first, then walk the condition's offsets alongside.
  const strides = stridesOf(outShape);
  forEachBroadcast(outShape, a.shape, b.shape, (o, ia, ib) => {
    let ic = 0;
    let rest = o;
    for (let d = 0; d < rank; d++) {
      const i = Math.floor(rest / strides[d]!);
      rest -= i * strides[d]!;
      ic += i * sc[d]!;
    }
    out[o] = cv[ic] !== 0 ? av[ia]! : bv[ib]!;
  });
  return out;
}

export function cast(x: DataArray, dtype: DType): DataArray {
  const out = allocArray(dtype, x.length);
  if (dtype === 'bool') {
    for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
  } else {
    // Int32Array truncates toward zero on store (NaN becomes 0 and values outside int32's
    // range wrap around, as any store into an Int32Array); floats copy (float64 → float32
    // rounds to nearest).
    for (let i = 0; i < x.length; i++) out[i] = x[i]!;
  }
  return out;
}
