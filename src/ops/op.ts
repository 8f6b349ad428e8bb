import { record, type GradientFn } from '../autograd/tape.js';
import { backend } from '../backends/index.js';
import type { Backend } from '../backends/backend.js';
import { ConfigError, describe } from '../errors.js';
import { fromArray, toTensor, type TensorLike } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import type { DataId } from '../tensor/store.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { unknownOption, unknownOptionError } from '../validation.js';

/**
 * Helpers every op file uses: turning arguments into tensors on the active backend, wrapping
 * a kernel's output handle into a Tensor, and recording an op's gradient (defineGradients).
 */

export { backend };
export type { Backend };

/**
 * The gradients of an op's outputs, one per output in order (an output nothing downstream
 * used gets zeros). A rule runs only for an op with an output, so `([dy]) => ...` reads a
 * Tensor.
 */
export type OutputGradients = readonly [Tensor, ...Tensor[]];

/**
 * One op's gradient rule: the gradients of its inputs (undefined: none, e.g. for indices)
 * from the gradients of its outputs and what its forward saved. `needed[i]` says whether
 * input i leads to anything being differentiated, so a rule may skip work for the others.
 */
export type GradientRule<Saved> = (
  dys: OutputGradients,
  saved: Saved,
  needed: readonly boolean[],
) => readonly (Tensor | undefined)[];

/**
 * A family's gradient table: for every op name of the family (the keys of `Saved`, which maps
 * each name to what its forward saves for the backward pass) exactly one rule. A name
 * without a rule, or a rule for an undeclared name, does not compile.
 */
export type GradientTable<Saved> = {
  readonly [Op in keyof Saved & string]: GradientRule<Saved[Op]>;
};

/**
 * Records `op` on the tape (when one is open and an input is watched): its inputs, its
 * outputs and what its forward saved, with the family's rule for `op` as its gradient.
 */
export type RecordOp<Saved> = <Op extends keyof Saved & string>(
  op: Op,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  saved: Saved[Op],
) => void;

/**
 * The one way an op records its gradient. Each op family (one file of ops/) declares an
 * interface naming its differentiable ops and what each saves, and passes its table of rules:
 *
 *   interface ShapeSaved { reshape: { x: Tensor }; transpose: { inverse: number[] } }
 *   const recordShape = defineGradients<ShapeSaved>({
 *     reshape: ([dy], { x }) => [reshape(dy, x.shape)],
 *     transpose: ([dy], { inverse }) => [transpose(dy, inverse)],
 *   });
 *   ...
 *   recordShape('reshape', [t], [y], { x: t });
 *
 * The op name is recorded on the tape as given (error messages name it). Every family with a
 * differentiable kernel call has such a table: unary, binary, cast, reductions, shape,
 * indexing, matmul, dense (fusedDense), softmax, conv-core (the three convolution kernels),
 * pooling, lstm-gates, gru-gates, and copyToBackend below. Two files have none, by design:
 * conv.ts records nothing itself (its ops are conv-core's kernels and compositions of other
 * ops), and optimizer.ts is not differentiable (its fused updates run under noGrad). An op
 * that records nothing has no gradient (comparisons, argMax, oneHot): its doc comment says so.
 * Files under ops/ do not call the tape's `record` themselves (a lint rule,
 * no-restricted-imports in eslint.config.js, keeps it so).
 */
export function defineGradients<Saved>(table: GradientTable<Saved>): RecordOp<Saved> {
  return (op, inputs, outputs, saved) => {
    const rule: GradientRule<typeof saved> = table[op];
    // The tape hands back one gradient per output, and runs a node only when one of its
    // outputs has a gradient: so there is at least one.
    const gradient: GradientFn = (dys, needed) => rule(dys as OutputGradients, saved, needed);
    record(op, inputs, outputs, gradient);
  };
}

/** The gradient of copyToBackend (convert's copy of a tensor made on another backend). */
interface CopySaved {
  copyToBackend: object;
}
const recordCopy = defineGradients<CopySaved>({ copyToBackend: ([dy]) => [dy] });

/** A Tensor for a kernel's output on the active backend. */
export function makeTensor(dataId: DataId, shape: Shape, dtype: DType): Tensor {
  return new Tensor(dataId, shape, dtype, backend());
}

/**
 * `x` as a tensor on the active backend. Numbers become scalars of `dtype` (default float32);
 * arrays become tensors. `op` and `arg` name the call in error messages.
 *
 * A tensor made on another backend (before a setBackend) is copied; a Variable moves its
 * values instead and stays itself, so gradients and optimizer updates still reach it. A copy
 * of a watched tensor is recorded on the tape (gradient passed through), so grads() of a
 * tensor from the other backend is its true gradient, not zeros.
 */
export function convert(x: TensorLike, op: string, arg: string, dtype?: DType): Tensor {
  if (x === undefined || x === null) {
    throw new ConfigError(`${op}: argument '${arg}' is required, received ${describe(x)}.`);
  }
  let t: Tensor;
  try {
    t = toTensor(x, dtype);
  } catch (e) {
    throw new ConfigError(
      `${op}: argument '${arg}' could not be made into a tensor: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  const be = backend();
  if (t.store === be) return t;
  if (t instanceof Variable) {
    t.moveTo(be);
    return t;
  }
  const source = t;
  const copy = fromArray(source.store.readSync(source.dataId), source.shape, source.dtype);
  recordCopy('copyToBackend', [source], [copy], {});
  return copy;
}

/**
 * Checks that `options` is an options object (catches tfjs-style extra positional args) with
 * only the keys in `keys`, the op's list made with optionKeys (see src/validation.ts):
 * `sum(x, 0, { keepdims: true })` is an error pointing to keepDims, not a dropped axis.
 */
export function checkOptions<T extends object>(
  options: T | undefined,
  op: string,
  example: string,
  keys: readonly (keyof T & string)[],
): T {
  if (options === undefined) return {} as T;
  if (
    typeof options !== 'object' ||
    options === null ||
    Array.isArray(options) ||
    options instanceof Tensor
  ) {
    throw new ConfigError(
      `${op}: the last argument must be an options object, received ${describe(options)}. ` +
        `Write it as ${example}.`,
    );
  }
  const key = unknownOption(options as Record<string, unknown>, keys);
  if (key !== undefined) throw unknownOptionError(op, key, keys);
  return options;
}
