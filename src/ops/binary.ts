import type { BinaryOp } from '../backends/backend.js';
import { DTypeError } from '../errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { isFloat, upcast, type DType } from '../tensor/dtype.js';
import { broadcastShapes, broadcastedAxes, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/tape.js';
import { cast } from './cast.js';
import { backend, convert, makeTensor } from './op.js';
import { sum } from './reductions.js';
import { reshape } from './shape.js';
import { log, neg } from './unary.js';

/**
 * Elementwise ops of two tensors with NumPy broadcasting: arithmetic (differentiable),
 * comparisons and logical ops (masks, no gradient). Numbers are accepted for either operand
 * and take the other operand's dtype; two tensors of different dtypes are promoted
 * (bool < int32 < float32 < float64).
 */

/** Sums a broadcast gradient back to the shape of the input it came from. */
export function unbroadcast(dy: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  return reshape(sum(dy, broadcastedAxes(shape, dy.shape)), shape);
}

type Kind = 'arithmetic' | 'compare' | 'logical';

function operands(a: TensorLike, b: TensorLike, op: string, kind: Kind): [Tensor, Tensor, DType] {
  // A plain number takes the dtype of the tensor on the other side.
  const ta = typeof a === 'number' && typeof b !== 'number' ? undefined : convert(a, op, 'a');
  const tb = convert(b, op, 'b', ta?.dtype);
  const tA = ta ?? convert(a, op, 'a', tb.dtype);
  let dtype = kind === 'logical' ? 'bool' : upcast(tA.dtype, tb.dtype);
  if (kind === 'arithmetic' && dtype === 'bool') dtype = 'int32';
  return [cast(tA, dtype), cast(tb, dtype), dtype];
}

function run(op: BinaryOp, a: Tensor, b: Tensor, outDType: DType): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  return makeTensor(backend().binary(op, a, b, shape, outDType), shape, outDType);
}

function arithmetic(
  op: BinaryOp,
  gradient: (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor, Tensor],
): (a: TensorLike, b: TensorLike) => Tensor {
  return (a, b) => {
    const [ta, tb, dtype] = operands(a, b, op, 'arithmetic');
    const y = run(op, ta, tb, dtype);
    record(op, [ta, tb], [y], ([dy]) => {
      const [da, db] = gradient(dy!, ta, tb, y);
      return [unbroadcast(da, ta.shape), unbroadcast(db, tb.shape)];
    });
    return y;
  };
}

/** a + b */
export const add = arithmetic('add', (dy) => [dy, dy]);
/** a − b */
export const sub = arithmetic('sub', (dy) => [dy, neg(dy)]);
/** a · b (elementwise) */
export const mul = arithmetic('mul', (dy, a, b) => [mul(dy, b), mul(dy, a)]);
/** a ^ b (elementwise). The gradient for b uses log(a) where a > 0 and 0 elsewhere. */
export const pow = arithmetic('pow', (dy, a, b, y) => [
  mul(dy, mul(b, pow(a, sub(b, 1)))),
  mul(dy, mul(y, where(greater(a, 0), log(a), 0))),
]);
/** max(a, b) elementwise; the gradient goes to a where a >= b, else to b. */
export const maximum = arithmetic('maximum', (dy, a, b) => {
  const m = cast(greaterEqual(a, b), dy.dtype);
  return [mul(dy, m), mul(dy, sub(1, m))];
});
/** min(a, b) elementwise; the gradient goes to a where a <= b, else to b. */
export const minimum = arithmetic('minimum', (dy, a, b) => {
  const m = cast(lessEqual(a, b), dy.dtype);
  return [mul(dy, m), mul(dy, sub(1, m))];
});

/** a / b (true division: integer operands give float32). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  let [ta, tb, dtype] = operands(a, b, 'div', 'arithmetic');
  if (!isFloat(dtype)) {
    dtype = 'float32';
    ta = cast(ta, dtype);
    tb = cast(tb, dtype);
  }
  const y = run('div', ta, tb, dtype);
  record('div', [ta, tb], [y], ([dy]) => [
    unbroadcast(div(dy!, tb), ta.shape),
    unbroadcast(neg(div(mul(dy!, y), tb)), tb.shape),
  ]);
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
 * `condition` must be bool (make one with a comparison such as sn.greater(x, 0)).
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
  const shape = broadcastShapes(broadcastShapes(ta.shape, tb.shape, 'where'), c.shape, 'where');
  const y = makeTensor(backend().where(c, ta, tb, shape), shape, dtype);
  record('where', [c, ta, tb], [y], ([dy]) => [
    undefined,
    unbroadcast(where(c, dy!, 0), ta.shape),
    unbroadcast(where(c, 0, dy!), tb.shape),
  ]);
  return y;
}
