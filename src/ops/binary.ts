import type { BinaryOp } from '../backends/backend.js';
import { DTypeError, ShapeError, describe } from '../errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { isFloat, upcast, type DType } from '../tensor/dtype.js';
import { broadcastShapes, broadcastedAxes, formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { backend, convert, defineGradients, makeTensor } from './op.js';
import { sum } from './reductions.js';
import { reshape } from './shape.js';
import { log, neg } from './unary.js';

/**
 * Elementwise ops of two tensors with NumPy broadcasting: arithmetic (differentiable),
 * comparisons and logical ops (masks, no gradient), and where.
 *
 * Dtype rules:
 * - Two tensors of different dtypes are promoted: bool < int32 < float32 < float64
 *   (int32 + float32 → float32).
 * - A plain number takes the dtype of the tensor on the other side when that dtype holds it
 *   exactly (`x.mul(2)` on float64 stays float64, `i.add(1)` on int32 stays int32, a 0 or 1
 *   beside a bool stays bool). Otherwise it becomes the smallest dtype that holds it: an
 *   integer beside a bool is int32, and a non-integer (or an integer outside int32's range,
 *   or NaN/±Infinity) beside an int32 or bool is float32, so `i.add(1.5)` gives float32 2.5
 *   rather than a silently truncated 2, and `sn.less(i, 1.5)` compares with 1.5, not 1.
 *   Two plain numbers give float32.
 * - Arithmetic on two bools is done in int32 (true + true = 2).
 * - div is true division: integer operands give float32 (7 / 2 = 3.5).
 * - pow, add, sub, mul, maximum and minimum keep int32 for int32 operands; as Int32Array,
 *   results out of range wrap around, and an int32 raised to a negative int32 power is
 *   truncated toward zero (2 ** -1 → 0): cast to float32 first for real powers.
 * - Comparisons give bool; logicalAnd/logicalOr read both operands as masks (non-zero is
 *   true) and give bool.
 * - where keeps the promoted dtype of its two branches (two bool branches give bool).
 *
 * Gradients are summed back over broadcast axes to each input's own shape. Ops on integer
 * or bool values have no useful gradient (cast to a float dtype to differentiate).
 */

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** The dtype a plain number takes beside a tensor of dtype `other` (see the rules above). */
function numberDType(value: number, other: DType): DType {
  if (isFloat(other)) return other;
  if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) return 'float32';
  if (other === 'bool') return value === 0 || value === 1 ? 'bool' : 'int32';
  return 'int32';
}

/** `x` as a tensor; a plain number gets its dtype from the other operand's dtype. */
function convertBeside(x: TensorLike, other: DType, op: string, arg: string): Tensor {
  return convert(x, op, arg, typeof x === 'number' ? numberDType(x, other) : undefined);
}

/** Sums a broadcast gradient back to the shape of the input it came from. */
export function unbroadcast(dy: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  return reshape(sum(dy, broadcastedAxes(shape, dy.shape)), shape);
}

type Kind = 'arithmetic' | 'compare' | 'logical';

function operands(a: TensorLike, b: TensorLike, op: string, kind: Kind): [Tensor, Tensor, DType] {
  // A plain number gets its dtype from the tensor on the other side (two numbers: float32).
  let ta: Tensor;
  let tb: Tensor;
  if (typeof a === 'number' && typeof b !== 'number') {
    tb = convert(b, op, 'b');
    ta = convertBeside(a, tb.dtype, op, 'a');
  } else {
    ta = convert(a, op, 'a');
    tb = convertBeside(b, ta.dtype, op, 'b');
  }
  let dtype = kind === 'logical' ? 'bool' : upcast(ta.dtype, tb.dtype);
  if (kind === 'arithmetic' && dtype === 'bool') dtype = 'int32';
  return [cast(ta, dtype), cast(tb, dtype), dtype];
}

function run(op: BinaryOp, a: Tensor, b: Tensor, outDType: DType): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  return makeTensor(backend().binary(op, a, b, shape, outDType), shape, outDType);
}

/** What an arithmetic op saves: its operands a and b (after promotion) and its output y. */
interface ArithmeticSaved {
  a: Tensor;
  b: Tensor;
  y: Tensor;
}
type ArithmeticOp = 'add' | 'sub' | 'mul' | 'pow' | 'maximum' | 'minimum' | 'div';

/** The gradients of a and b, each summed back over the axes it was broadcast along. */
function unbroadcastPair(da: Tensor, db: Tensor, { a, b }: ArithmeticSaved): [Tensor, Tensor] {
  return [unbroadcast(da, a.shape), unbroadcast(db, b.shape)];
}

/**
 * The gradient table of the differentiable binary ops (see defineGradients in op.ts);
 * comparisons and logical ops are masks and record nothing.
 */
interface BinarySaved extends Record<ArithmeticOp, ArithmeticSaved> {
  where: { condition: Tensor; a: Tensor; b: Tensor };
}
const recordBinary = defineGradients<BinarySaved>({
  add: ([dy], s) => unbroadcastPair(dy, dy, s),
  sub: ([dy], s) => unbroadcastPair(dy, neg(dy), s),
  mul: ([dy], s) => unbroadcastPair(mul(dy, s.b), mul(dy, s.a), s),
  // The gradient for b uses log(a) where a > 0 and 0 elsewhere.
  pow: ([dy], s) =>
    unbroadcastPair(
      mul(dy, mul(s.b, pow(s.a, sub(s.b, 1)))),
      mul(dy, mul(s.y, where(greater(s.a, 0), log(s.a), 0))),
      s,
    ),
  maximum: ([dy], s) => {
    const m = cast(greaterEqual(s.a, s.b), dy.dtype);
    return unbroadcastPair(mul(dy, m), mul(dy, sub(1, m)), s);
  },
  minimum: ([dy], s) => {
    const m = cast(lessEqual(s.a, s.b), dy.dtype);
    return unbroadcastPair(mul(dy, m), mul(dy, sub(1, m)), s);
  },
  div: ([dy], s) => unbroadcastPair(div(dy, s.b), neg(div(mul(dy, s.y), s.b)), s),
  where: ([dy], { condition, a, b }) => [
    undefined,
    unbroadcast(where(condition, dy, 0), a.shape),
    unbroadcast(where(condition, 0, dy), b.shape),
  ],
});

function arithmetic(op: Exclude<ArithmeticOp, 'div'>): (a: TensorLike, b: TensorLike) => Tensor {
  return (a, b) => {
    const [ta, tb, dtype] = operands(a, b, op, 'arithmetic');
    const y = run(op, ta, tb, dtype);
    recordBinary(op, [ta, tb], [y], { a: ta, b: tb, y });
    return y;
  };
}

/** a + b */
export const add = arithmetic('add');
/** a − b */
export const sub = arithmetic('sub');
/** a · b (elementwise) */
export const mul = arithmetic('mul');
/** a ^ b (elementwise). The gradient for b uses log(a) where a > 0 and 0 elsewhere. */
export const pow = arithmetic('pow');
/** max(a, b) elementwise; the gradient goes to a where a >= b, else to b. */
export const maximum = arithmetic('maximum');
/** min(a, b) elementwise; the gradient goes to a where a <= b, else to b. */
export const minimum = arithmetic('minimum');

/** a / b (true division: integer operands give float32). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  let [ta, tb, dtype] = operands(a, b, 'div', 'arithmetic');
  if (!isFloat(dtype)) {
    dtype = 'float32';
    ta = cast(ta, dtype);
    tb = cast(tb, dtype);
  }
  const y = run('div', ta, tb, dtype);
  recordBinary('div', [ta, tb], [y], { a: ta, b: tb, y });
  return y;
}

function comparison(op: BinaryOp, kind: Kind): (a: TensorLike, b: TensorLike) => Tensor {
  return (a, b) => {
    const [ta, tb] = operands(a, b, op, kind);
    return run(op, ta, tb, 'bool');
  };
}

export const equal = comparison('equal', 'compare');
export const notEqual = comparison('notEqual', 'compare');
export const greater = comparison('greater', 'compare');
export const greaterEqual = comparison('greaterEqual', 'compare');
export const less = comparison('less', 'compare');
export const lessEqual = comparison('lessEqual', 'compare');
export const logicalAnd = comparison('logicalAnd', 'logical');
export const logicalOr = comparison('logicalOr', 'logical');

/**
 * Picks `a` where `condition` is true and `b` elsewhere; all three broadcast together.
 * `condition` must be a bool tensor (make one with a comparison such as sn.greater(x, 0));
 * a JS boolean or nested arrays are read as a mask. The gradient flows to `a` where the
 * condition holds and to `b` elsewhere, and none to the condition.
 *
 * The NaN trap (as in TensorFlow): both branches are always computed, and a branch that is
 * not picked still gets a zero gradient through its own op. So
 * `sn.where(sn.greater(x, 0), sn.sqrt(x), 0)` has a NaN gradient wherever x <= 0, because
 * sqrt's gradient there is 0 / (2·sqrt(x)) = 0 / NaN (or 0 / 0). Make the unpicked inputs
 * safe instead: `sn.where(c, sn.sqrt(sn.where(c, x, 1)), 0)` has gradient 0 there.
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = convert(condition, 'where', 'condition', 'bool');
  if (c.dtype !== 'bool') {
    throw new DTypeError(
      `where: condition must have dtype bool, received ${c.dtype}. Make a mask with a comparison ` +
        '(sn.greater(x, 0)) or sn.cast(condition, "bool").',
    );
  }
  // 'compare' promotes without turning bool into int32: where on two masks stays a mask.
  const [ta, tb, dtype] = operands(a, b, 'where', 'compare');
  let shape: number[];
  try {
    shape = broadcastShapes(broadcastShapes(ta.shape, tb.shape, 'where'), c.shape, 'where');
  } catch (e) {
    throw new ShapeError(
      `where: condition ${formatShape(c.shape)}, a ${formatShape(ta.shape)} and b ${formatShape(tb.shape)} ` +
        'cannot be broadcast together; each pair of trailing dimensions must be equal or one of them 1. ' +
        'Reshape or expandDims the operands so they line up.',
      { cause: e },
    );
  }
  const y = makeTensor(backend().where(c, ta, tb, shape), shape, dtype);
  recordBinary('where', [c, ta, tb], [y], { condition: c, a: ta, b: tb });
  return y;
}

/** The elementwise sum of several tensors (broadcasting as add). */
export function addN(tensors: readonly TensorLike[]): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ShapeError(
      `addN: expected a non-empty list of tensors, received ${describe(tensors)}.`,
    );
  }
  let total = convert(tensors[0]!, 'addN', 'tensors[0]');
  for (let i = 1; i < tensors.length; i++) total = add(total, tensors[i]!);
  return total;
}
