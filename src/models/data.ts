import { ConfigError, ShapeError, describe } from '../errors.js';
import { gather } from '../ops/indexing.js';
import { tensor, type TensorLike } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Turning what users pass to fit/evaluate/predict into per-input lists of tensors, checking
 * sample counts, and cutting batches.
 */

/** x or y: a tensor, a list of tensors (one per model input/output), or plain nested arrays. */
export type DataLike = TensorLike | readonly Tensor[];

export function toTensorList(data: DataLike, what: string): Tensor[] {
  if (data instanceof Tensor) return [data];
  if (Array.isArray(data) && data.length > 0 && data.every((d) => d instanceof Tensor))
    return data as Tensor[];
  if (Array.isArray(data) && data.some((d) => d instanceof Tensor)) {
    throw new ConfigError(
      `${what}: a list must hold only Tensors (one per model input/output), received ${describe(data)}.`,
    );
  }
  try {
    return [tensor(data as TensorLike)];
  } catch (e) {
    throw new ConfigError(`${what} could not be made into a tensor: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** The common number of samples (first dimension) of every tensor, or a clear error. */
export function sampleCount(
  groups: readonly { name: string; tensors: readonly Tensor[] }[],
): number {
  let count: number | undefined;
  let first = '';
  for (const { name, tensors } of groups) {
    tensors.forEach((t, i) => {
      const label = tensors.length > 1 ? `${name}[${i}]` : name;
      if (t.rank === 0) {
        throw new ShapeError(`${label} must have a batch dimension, received a scalar.`);
      }
      const n = t.shape[0]!;
      if (count === undefined) {
        count = n;
        first = `${label} (shape ${formatShape(t.shape)})`;
      } else if (n !== count) {
        throw new ConfigError(
          `${first} has ${count} samples but ${label} (shape ${formatShape(t.shape)}) has ${n}; ` +
            'x and y must have the same number of samples (first dimension).',
        );
      }
    });
  }
  return count ?? 0;
}

/** The rows `indices` of every tensor. */
export function takeRows(tensors: readonly Tensor[], indices: Tensor): Tensor[] {
  return tensors.map((t) => gather(t, indices));
}

export function checkPositiveInteger(value: unknown, name: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      `${where}: ${name} must be a positive integer, received ${describe(value)}.`,
    );
  }
  return value;
}
