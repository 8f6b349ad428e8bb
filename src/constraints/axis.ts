import { ConfigError, ShapeError, describe } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A constraint's axis: an integer or a list of integers (negative counts from the end). */
export type ConstraintAxis = number | number[];

export function checkAxis(axis: unknown, where: string): ConstraintAxis {
  const ok = (a: unknown): boolean => Number.isInteger(a);
  if (ok(axis)) return axis as number;
  if (Array.isArray(axis) && axis.length > 0 && axis.every(ok)) return [...(axis as number[])];
  throw new ConfigError(
    `${where}: axis must be an integer or a non-empty list of integers, received ${describe(axis)}; ` +
      `e.g. sn.constraints.${where}({ axis: 0 })`,
  );
}

/** The axes of `w` that `axis` names, checked against its rank. */
export function resolveAxes(axis: ConstraintAxis, w: Tensor, where: string): number[] {
  const list = typeof axis === 'number' ? [axis] : axis;
  return list.map((a) => {
    if (a < -w.rank || a >= w.rank) {
      throw new ShapeError(
        `${where}: axis ${a} is out of range for a weight of shape ${formatShape(w.shape)} ` +
          `(rank ${w.rank}); use an axis in [${-w.rank}, ${w.rank - 1}].`,
      );
    }
    return a < 0 ? a + w.rank : a;
  });
}
