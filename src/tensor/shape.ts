import { ConfigError, ShapeError, describe } from '../errors.js';

/** Shape helpers: sizes, strides, axes and NumPy broadcasting. No math on values here. */

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: strides[i] = product of shape[i+1..]. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** The most elements one tensor holds: offsets are 32-bit integers (and wasm addresses). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * The ShapeError for a tensor of `shape` that cannot be made (`why`); `where` names the
 * creator or op.
 */
export function tooLarge(shape: Shape, where: string, why: string): ShapeError {
  return new ShapeError(
    `${where}: shape ${formatShape(shape)} holds ${sizeOf(shape)} elements; ${why}. ` +
      'Use a smaller shape, or split the data into batches.',
  );
}

/** Throws a ShapeError naming `shape` and the limit when it holds more than MAX_ELEMENTS. */
export function checkSize(shape: Shape, where: string): void {
  if (sizeOf(shape) > MAX_ELEMENTS) {
    throw tooLarge(shape, where, `a tensor holds at most ${MAX_ELEMENTS} (2^31 - 1)`);
  }
}

/** Validates a user-given shape: an array of non-negative integers. */
export function checkShape(shape: unknown, where: string): number[] {
  if (
    !Array.isArray(shape) ||
    !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)
  ) {
    throw new ShapeError(
      `${where}: a shape must be an array of non-negative integers, received ${describe(shape)}.`,
    );
  }
  return shape.slice() as number[];
}

/**
 * Resolves a possibly negative axis against `rank`, throwing a ShapeError that names the op
 * and the valid range when it is out of range.
 */
export function normalizeAxis(axis: number, rank: number, where: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    const range =
      rank === 0 ? 'a rank-0 tensor has no axes' : `valid axes are ${-rank}..${rank - 1}`;
    throw new ShapeError(
      `${where}: axis ${describe(axis)} is out of range for a tensor of rank ${rank}; ${range}.`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Resolves `axis` (undefined = all axes, a number, or a list) into sorted unique axes.
 * Duplicates are an error.
 */
export function normalizeAxes(
  axis: number | readonly number[] | undefined,
  rank: number,
  where: string,
): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(list)) {
    throw new ConfigError(
      `${where}: axis must be a number or an array of numbers, received ${describe(axis)}.`,
    );
  }
  const axes = list.map((a) => normalizeAxis(a, rank, where));
  if (new Set(axes).size !== axes.length) {
    throw new ShapeError(`${where}: axis ${describe(axis)} names the same axis twice.`);
  }
  return axes.sort((a, b) => a - b);
}

/** The broadcast shape of `a` and `b` by NumPy's rules, or a ShapeError naming both. */
export function broadcastShapes(a: Shape, b: Shape, where: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${where}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(dimension ${da} vs ${db} at axis ${i - rank}); each pair of trailing dimensions must be ` +
          `equal or one of them 1. Reshape or expandDims one operand so they line up.`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * The axes of `outShape` along which an input of shape `inShape` was broadcast: summing a
 * gradient of shape `outShape` over these axes and reshaping gives the input's gradient.
 */
export function broadcastedAxes(inShape: Shape, outShape: Shape): number[] {
  const axes: number[] = [];
  const offset = outShape.length - inShape.length;
  for (let i = 0; i < outShape.length; i++) {
    if (i < offset || (inShape[i - offset] === 1 && outShape[i] !== 1)) axes.push(i);
  }
  return axes;
}

/** True when `shape`, without its leading 1s, is the trailing part of `outShape`. */
export function isTrailing(shape: Shape, outShape: Shape): boolean {
  let start = 0;
  while (start < shape.length && shape[start] === 1) start++;
  const rest = shape.length - start;
  for (let i = 0; i < rest; i++) {
    if (shape[start + i] !== outShape[outShape.length - rest + i]) return false;
  }
  return true;
}

/**
 * Element offset, for every output batch index, of the matrix an operand of shape `shape`
 * ([...batch, rows, cols]) contributes: batch axes broadcast (extent 1, or missing, stays put).
 */
export function batchOffsets(shape: Shape, batchShape: Shape): number[] {
  const r = shape.length;
  const matrix = shape[r - 2]! * shape[r - 1]!;
  const own = shape.slice(0, r - 2);
  const strides = stridesOf(own);
  const lead = batchShape.length - own.length;
  const offsets = new Array<number>(sizeOf(batchShape));
  for (let t = 0; t < offsets.length; t++) {
    let rest = t;
    let index = 0;
    for (let d = batchShape.length - 1; d >= 0; d--) {
      const size = batchShape[d]!;
      const i = rest % size;
      rest = (rest - i) / size;
      if (d >= lead && own[d - lead] !== 1) index += i * strides[d - lead]!;
    }
    offsets[t] = index * matrix;
  }
  return offsets;
}
