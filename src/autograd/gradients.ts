import { backend } from '../backends/index.js';
import { GradientError, describe } from '../errors.js';
import { fill, onesLike, zerosLike } from '../tensor/creation.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { withScope } from '../tensor/scope.js';
import { Variable } from '../tensor/variable.js';
import { Tape, backward, withTape } from './tape.js';

/** Sums two gradients of the same shape and dtype (the tape's accumulation). */
function accumulate(a: Tensor, b: Tensor): Tensor {
  const be = backend();
  return new Tensor(be.binary('add', a, b, a.shape, a.dtype), a.shape, a.dtype, be);
}

/** Gradients keyed by variable; `get` throws instead of returning undefined. */
export class Gradients extends Map<Variable, Tensor> {
  override get(v: Variable): Tensor {
    const g = super.get(v);
    if (g === undefined) {
      throw new GradientError(
        `No gradient for variable '${v.name}': it was not among the variables differentiated. ` +
          'Pass it in the list of variables, or make sure the function uses it and it is trainable.',
      );
    }
    return g;
  }
}

export interface ValueAndGrads {
  value: Tensor;
  grads: Gradients;
}

function checkScalar(value: unknown, where: string): Tensor {
  if (!(value instanceof Tensor)) {
    throw new GradientError(
      `${where}: the function must return a Tensor, received ${describe(value)}.`,
    );
  }
  if (value.size !== 1) {
    throw new GradientError(
      `${where}: the function must return a scalar (one element), received shape ${formatShape(value.shape)}. ` +
        'Reduce it to a scalar first, for example with sn.mean(...) or sn.sum(...).',
    );
  }
  return value;
}

/**
 * The value of a scalar function `f` and its gradient with respect to variables:
 * `vars` when given (in that order; a variable f does not use gets zeros), otherwise every
 * trainable variable f touched (in order of first use). Tensors made inside f are released
 * when it returns (tensor/scope.ts) except the value, the gradients, Variables, layers' call
 * losses and tensors marked with sn.keep.
 *
 *   const { value, grads } = sn.valueAndGrads(() => sn.mean(sn.square(sn.sub(sn.matmul(x, w), y))));
 *   w.assign(w.sub(grads.get(w).mul(0.1)));
 */
export function valueAndGrads(f: () => Tensor, vars?: readonly Variable[]): ValueAndGrads {
  if (typeof f !== 'function') {
    throw new GradientError(
      `valueAndGrads: the first argument must be a function, received ${describe(f)}.`,
    );
  }
  if (vars !== undefined) {
    if (!Array.isArray(vars) || !vars.every((v) => v instanceof Variable)) {
      throw new GradientError(
        `valueAndGrads: vars must be an array of Variables (made with sn.variable), received ${describe(vars)}.`,
      );
    }
  }
  return withScope(
    'valueAndGrads',
    () => {
      const tape = new Tape(vars === undefined);
      if (vars) for (const v of vars) tape.watch(v);
      const value = checkScalar(withTape(tape, f), 'valueAndGrads');
      const all = backward(tape, value, onesLike(value), accumulate, zerosLike);
      const grads = new Gradients();
      for (const v of vars ?? tape.touched) grads.set(v, all.get(v) ?? zerosLike(v));
      return { value, grads };
    },
    ({ value, grads }) => keepOnly([value, ...grads.values()]),
  );
}

/** What a gradient scope keeps besides Variables and sn.keep'd tensors: its results. */
function keepOnly(results: readonly Tensor[]): (t: Tensor) => boolean {
  const set = new Set(results);
  return (t) => set.has(t);
}

/**
 * The gradients of `f` with respect to each of its tensor arguments, as a function:
 * `sn.grads((a, b) => sn.sum(sn.mul(a, b)))([a, b])` → [b, a]. `dy` weights a non-scalar
 * output (default all ones, so the gradient of the sum).
 */
export function grads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: readonly Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => {
    xs.forEach((x, i) => {
      if (!(x instanceof Tensor)) {
        throw new GradientError(`grads: argument ${i} must be a Tensor, received ${describe(x)}.`);
      }
    });
    return withScope(
      'grads',
      () => {
        const tape = new Tape(false);
        for (const x of xs) tape.watch(x);
        const y = withTape(tape, () => f(...xs));
        if (!(y instanceof Tensor)) {
          throw new GradientError(
            `grads: the function must return a Tensor, received ${describe(y)}.`,
          );
        }
        if (dy !== undefined && !shapesEqual(dy.shape, y.shape)) {
          throw new GradientError(
            `grads: dy has shape ${formatShape(dy.shape)} but the function's output has shape ${formatShape(y.shape)}; they must match.`,
          );
        }
        const all = backward(tape, y, dy ?? fill(y.shape, 1, y.dtype), accumulate, zerosLike);
        return xs.map((x) => all.get(x) ?? zerosLike(x));
      },
      keepOnly,
    );
  };
}

/** The gradient of a function of one tensor: `sn.grad((x) => sn.sum(sn.square(x)))(x)` → 2x. */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  const g = grads((x) => f(x!));
  return (x, dy) => g([x], dy)[0]!;
}
