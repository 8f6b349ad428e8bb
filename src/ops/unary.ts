import type { UnaryOp } from '../backends/backend.js';
import type { TensorLike } from '../tensor/creation.js';
import { floatTypeOf, type DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { ConfigError, describe } from '../errors.js';
import {
  add,
  div,
  greater,
  less,
  logicalAnd,
  maximum,
  minimum,
  mul,
  sub,
  where,
} from './binary.js';
import { cast } from './cast.js';
import { backend, checkOptions, convert, defineGradients, makeTensor } from './op.js';
import { optionKeys } from '../validation.js';

/**
 * Elementwise ops of one tensor, math and activations alike. Each is one row of the two
 * tables below: what dtype it computes in (DTYPES), and its gradient given dy, the input x,
 * the output y and the op's parameter (alpha) (the gradient table, see defineGradients in
 * op.ts). Both are keyed by the backend's UnaryOp names, so an op without a gradient rule
 * does not compile (logicalNot, a mask, is the one op declared without one).
 *
 * Dtype rules:
 * - Float inputs keep their dtype (float32 stays float32, float64 stays float64).
 * - 'same' ops (neg, abs, sign, square, floor, relu, relu6) keep an int32 input int32, and
 *   compute a bool input as int32 (abs(true) = 1, neg(true) = -1).
 * - Every other math op or activation (sqrt, exp, log, sigmoid, leakyRelu, gelu, ...) gives
 *   float32 for int32 or bool input: exp of int32 is float32.
 * - logicalNot reads any input as a mask (non-zero is true) and gives bool.
 * - clip follows maximum/minimum: a non-integer bound on an int32 tensor gives float32.
 *
 * Values: NaN propagates through every op (relu(NaN) is NaN, sign(NaN) is NaN); sqrt, log,
 * rsqrt of a negative number are NaN. sigmoid, softplus and logSigmoid are computed without
 * overflow for any |x| (logSigmoid(-1000) = -1000); expm1 and log1p are accurate near 0.
 * Gradients at kinks: relu, relu6, abs and leakyRelu use the gradient of the side x <= 0
 * takes at 0 (relu'(0) = 0, abs'(0) = 0); sign and floor have gradient 0.
 */

/**
 * 'float': integer inputs are computed as float32; 'same': the input's dtype (bool as int32);
 * 'bool': a mask in, a mask out.
 */
type UnaryDType = 'float' | 'same' | 'bool';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const GELU_C = Math.sqrt(2 / Math.PI);

/** A float tensor of x's dtype that is 1 where `mask` holds and 0 elsewhere. */
function indicator(mask: Tensor, like: Tensor): Tensor {
  return cast(mask, like.dtype);
}

/** The ops without a gradient (masks). */
type MaskOp = 'logicalNot';
type DifferentiableOp = Exclude<UnaryOp, MaskOp>;

function isDifferentiable(op: UnaryOp): op is DifferentiableOp {
  return op !== 'logicalNot';
}

/** What every unary op saves: its input x, its output y and its parameter (alpha). */
interface UnarySaved {
  x: Tensor;
  y: Tensor;
  param: number;
}

const DTYPES: Record<UnaryOp, UnaryDType> = {
  neg: 'same',
  abs: 'same',
  sign: 'same',
  square: 'same',
  sqrt: 'float',
  rsqrt: 'float',
  reciprocal: 'float',
  exp: 'float',
  expm1: 'float',
  log: 'float',
  log1p: 'float',
  erf: 'float',
  floor: 'same',
  sigmoid: 'float',
  logSigmoid: 'float',
  tanh: 'float',
  relu: 'same',
  relu6: 'same',
  leakyRelu: 'float',
  elu: 'float',
  selu: 'float',
  gelu: 'float',
  geluTanh: 'float',
  softplus: 'float',
  softsign: 'float',
  swish: 'float',
  logicalNot: 'bool',
};

const recordUnary = defineGradients<Record<DifferentiableOp, UnarySaved>>({
  neg: ([dy]) => [neg(dy)],
  abs: ([dy], { x }) => [mul(dy, sign(x))],
  sign: ([dy]) => [mul(dy, 0)],
  square: ([dy], { x }) => [mul(dy, mul(x, 2))],
  sqrt: ([dy], { y }) => [div(dy, mul(y, 2))],
  rsqrt: ([dy], { y }) => [mul(dy, mul(mul(y, mul(y, y)), -0.5))],
  reciprocal: ([dy], { y }) => [neg(mul(dy, mul(y, y)))],
  exp: ([dy], { y }) => [mul(dy, y)],
  expm1: ([dy], { y }) => [mul(dy, add(y, 1))],
  log: ([dy], { x }) => [div(dy, x)],
  log1p: ([dy], { x }) => [div(dy, add(x, 1))],
  erf: ([dy], { x }) => [mul(dy, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI)))],
  floor: ([dy]) => [mul(dy, 0)],
  sigmoid: ([dy], { y }) => [mul(dy, mul(y, sub(1, y)))],
  logSigmoid: ([dy], { x }) => [mul(dy, sigmoid(neg(x)))],
  tanh: ([dy], { y }) => [mul(dy, sub(1, square(y)))],
  relu: ([dy], { x }) => [mul(dy, indicator(greater(x, 0), dy))],
  relu6: ([dy], { x }) => [mul(dy, indicator(logicalAnd(greater(x, 0), less(x, 6)), dy))],
  // The branches are written on dy so constants take dy's dtype (float64 stays exact).
  leakyRelu: ([dy], { x, param: alpha }) => [where(greater(x, 0), dy, mul(dy, alpha))],
  // For x <= 0, y = alpha·(e^x − 1), so dy/dx = alpha·e^x = y + alpha.
  elu: ([dy], { x, y, param: alpha }) => [where(greater(x, 0), dy, mul(dy, add(y, alpha)))],
  selu: ([dy], { x, y }) => [
    where(greater(x, 0), mul(dy, SELU_SCALE), mul(dy, add(y, SELU_SCALE * SELU_ALPHA))),
  ],
  // d/dx x·Φ(x) = Φ(x) + x·φ(x)
  gelu: ([dy], { x }) => {
    const cdf = mul(add(erf(mul(x, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(square(x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return [mul(dy, add(cdf, mul(x, pdf)))];
  },
  // y = ½x(1 + t), t = tanh(c(x + 0.044715x³)); dy/dx = ½(1 + t) + ½x(1 − t²)·c(1 + 3·0.044715x²)
  geluTanh: ([dy], { x }) => {
    const t = tanh(mul(add(x, mul(mul(x, square(x)), 0.044715)), GELU_C));
    const inner = mul(add(mul(square(x), 3 * 0.044715), 1), GELU_C);
    const d = add(mul(add(t, 1), 0.5), mul(mul(mul(x, 0.5), sub(1, square(t))), inner));
    return [mul(dy, d)];
  },
  softplus: ([dy], { x }) => [mul(dy, sigmoid(x))],
  softsign: ([dy], { x }) => [div(dy, square(add(abs(x), 1)))],
  // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x)))
  swish: ([dy], { x }) => {
    const s = sigmoid(x);
    return [mul(dy, mul(s, add(mul(x, sub(1, s)), 1)))];
  },
});

/** `value` if it is a finite number, else a ConfigError naming the op and option. */
function checkFinite(value: unknown, op: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(`${op}: ${name} must be a finite number, received ${describe(value)}.`);
  }
  return value;
}

function applyUnary(op: UnaryOp, x: TensorLike, param = 0): Tensor {
  const kind = DTYPES[op];
  const input = convert(x, op, 'x');
  const dtype: DType =
    kind === 'bool'
      ? 'bool'
      : kind === 'float'
        ? floatTypeOf(input.dtype)
        : input.dtype === 'bool'
          ? 'int32'
          : input.dtype;
  const t = cast(input, dtype);
  const y = makeTensor(backend().unary(op, t, dtype, param), t.shape, dtype);
  if (isDifferentiable(op)) recordUnary(op, [t], [y], { x: t, y, param });
  return y;
}

export const neg = (x: TensorLike): Tensor => applyUnary('neg', x);
export const abs = (x: TensorLike): Tensor => applyUnary('abs', x);
/** -1, 0 or 1 by the sign of each element (NaN stays NaN); its gradient is 0. */
export const sign = (x: TensorLike): Tensor => applyUnary('sign', x);
export const square = (x: TensorLike): Tensor => applyUnary('square', x);
export const sqrt = (x: TensorLike): Tensor => applyUnary('sqrt', x);
/** 1 / sqrt(x) */
export const rsqrt = (x: TensorLike): Tensor => applyUnary('rsqrt', x);
/** 1 / x */
export const reciprocal = (x: TensorLike): Tensor => applyUnary('reciprocal', x);
export const exp = (x: TensorLike): Tensor => applyUnary('exp', x);
/** exp(x) − 1, accurate near 0. */
export const expm1 = (x: TensorLike): Tensor => applyUnary('expm1', x);
export const log = (x: TensorLike): Tensor => applyUnary('log', x);
/** log(1 + x), accurate near 0. */
export const log1p = (x: TensorLike): Tensor => applyUnary('log1p', x);
/** The Gauss error function. */
export const erf = (x: TensorLike): Tensor => applyUnary('erf', x);
export const floor = (x: TensorLike): Tensor => applyUnary('floor', x);
/** 1 / (1 + e^−x), computed without overflow. */
export const sigmoid = (x: TensorLike): Tensor => applyUnary('sigmoid', x);
/** log σ(x) = −softplus(−x), stable for large |x|. */
export const logSigmoid = (x: TensorLike): Tensor => applyUnary('logSigmoid', x);
export const tanh = (x: TensorLike): Tensor => applyUnary('tanh', x);
/** max(x, 0) (NaN stays NaN); the gradient at 0 is 0. */
export const relu = (x: TensorLike): Tensor => applyUnary('relu', x);
/** min(max(x, 0), 6) (NaN stays NaN); the gradient is 1 for 0 < x < 6, else 0. */
export const relu6 = (x: TensorLike): Tensor => applyUnary('relu6', x);
/**
 * scale·x for x > 0, scale·alpha·(e^x − 1) otherwise, with the self-normalizing constants
 * alpha ≈ 1.6733 and scale ≈ 1.0507 (Klambauer et al., 2017).
 */
export const selu = (x: TensorLike): Tensor => applyUnary('selu', x);
/** log(1 + e^x), stable for large |x|. */
export const softplus = (x: TensorLike): Tensor => applyUnary('softplus', x);
/** x / (1 + |x|) (±1 at ±Infinity) */
export const softsign = (x: TensorLike): Tensor => applyUnary('softsign', x);
/** x · σ(x) (also called SiLU). */
export const swish = (x: TensorLike): Tensor => applyUnary('swish', x);
/** true where x is false (x is read as a mask). */
export const logicalNot = (x: TensorLike): Tensor => applyUnary('logicalNot', x);

export interface LeakyReluOptions {
  /** Slope for x < 0 (default 0.2, as TensorFlow.js's op; Keras's LeakyReLU layer uses 0.3). */
  alpha?: number;
}
const LEAKY_RELU_OPTION_KEYS = optionKeys<LeakyReluOptions>()({ alpha: true });
/** x for x > 0, alpha·x otherwise. */
export function leakyRelu(x: TensorLike, options?: LeakyReluOptions): Tensor {
  const { alpha = 0.2 } = checkOptions(
    options,
    'leakyRelu',
    'leakyRelu(x, { alpha: 0.2 })',
    LEAKY_RELU_OPTION_KEYS,
  );
  return applyUnary('leakyRelu', x, checkFinite(alpha, 'leakyRelu', 'alpha'));
}

export interface EluOptions {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}
const ELU_OPTION_KEYS = optionKeys<EluOptions>()({ alpha: true });
/** x for x > 0, alpha·(e^x − 1) otherwise. */
export function elu(x: TensorLike, options?: EluOptions): Tensor {
  const { alpha = 1 } = checkOptions(options, 'elu', 'elu(x, { alpha: 1 })', ELU_OPTION_KEYS);
  return applyUnary('elu', x, checkFinite(alpha, 'elu', 'alpha'));
}

export interface GeluOptions {
  /** Use the tanh approximation instead of the exact erf form (default false, as Keras). */
  approximate?: boolean;
}
const GELU_OPTION_KEYS = optionKeys<GeluOptions>()({ approximate: true });
/** x·Φ(x), Φ the standard normal CDF (exact by default). */
export function gelu(x: TensorLike, options?: GeluOptions): Tensor {
  const { approximate = false } = checkOptions(
    options,
    'gelu',
    'gelu(x, { approximate: true })',
    GELU_OPTION_KEYS,
  );
  if (typeof approximate !== 'boolean') {
    throw new ConfigError(
      `gelu: approximate must be true or false, received ${describe(approximate)}. ` +
        "Write gelu(x, { approximate: true }) for the tanh form (PyTorch's approximate: 'tanh').",
    );
  }
  return applyUnary(approximate ? 'geluTanh' : 'gelu', x);
}

export interface ClipOptions {
  /** Lower bound (default: none). */
  min?: number;
  /** Upper bound (default: none). */
  max?: number;
}
const CLIP_OPTION_KEYS = optionKeys<ClipOptions>()({ min: true, max: true });

/** Limits values to [min, max]; the gradient passes where min <= x <= max. */
export function clip(x: TensorLike, options?: ClipOptions): Tensor {
  const { min, max } = checkOptions(
    options,
    'clip',
    'clip(x, { min: 0, max: 1 })',
    CLIP_OPTION_KEYS,
  );
  for (const [name, bound] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (bound !== undefined && (typeof bound !== 'number' || Number.isNaN(bound))) {
      throw new ConfigError(
        `clip: ${name} must be a number, received ${describe(bound)}; leave it out for no bound.`,
      );
    }
  }
  if (min !== undefined && max !== undefined && !(min <= max)) {
    throw new ConfigError(
      `clip: min must be <= max, received min ${describe(min)} and max ${describe(max)}.`,
    );
  }
  let y = convert(x, 'clip', 'x');
  if (min !== undefined) y = maximum(y, min);
  if (max !== undefined) y = minimum(y, max);
  return y;
}
