import { record } from '../autograd/tape.js';
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
 * Helpers every op file uses: turning arguments into tensors on the active backend, and
 * wrapping a kernel's output handle into a Tensor.
 */

export { backend };
export type { Backend };

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
  record('copyToBackend', [source], [copy], ([dy]) => [dy]);
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
