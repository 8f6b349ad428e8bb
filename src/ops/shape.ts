import { ConfigError, ShapeError, describe } from '../errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { upcast } from '../tensor/dtype.js';
import {
  broadcastShapes,
  checkSize,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  sizeOf,
} from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { backend, checkOptions, convert, defineGradients, makeTensor } from './op.js';
import { optionKeys } from '../validation.js';
import { sum } from './reductions.js';

/**
 * Ops that change how values are laid out: reshape, expandDims, squeeze, broadcastTo,
 * transpose, concat, stack, split, slice, pad, tile. expandDims, squeeze, broadcastTo and
 * stack are compositions of the others and record nothing themselves.
 */

/** What each layout op saves for its gradient (`shape`: the input's shape). */
interface ShapeSaved {
  reshape: { shape: readonly number[] };
  transpose: { inverse: readonly number[] };
  concat: { xs: readonly Tensor[]; axis: number };
  split: { axis: number };
  slice: { shape: readonly number[]; starts: readonly number[]; sizes: readonly number[] };
  pad: { shape: readonly number[]; pads: readonly (readonly [number, number])[] };
  tile: { shape: readonly number[]; reps: readonly number[] };
}
const recordShape = defineGradients<ShapeSaved>({
  reshape: ([dy], { shape }) => [reshape(dy, shape)],
  transpose: ([dy], { inverse }) => [transpose(dy, inverse)],
  // Each input's part of dy, in order along the axis.
  concat: ([dy], { xs, axis }) => {
    let start = 0;
    return xs.map((t) => {
      const part = sliceAlong(dy, axis, start, t.shape[axis]!);
      start += t.shape[axis]!;
      return part;
    });
  },
  split: (dys, { axis }) => [concat(dys, axis)],
  // Pads dy with zeros back to the input's shape.
  slice: ([dy], { shape, starts, sizes }) => [
    pad(
      dy,
      shape.map((n, d) => [starts[d]!, n - starts[d]! - sizes[d]!] as const),
    ),
  ],
  // Slices the padding off.
  pad: ([dy], { shape, pads }) => [
    slice(
      dy,
      pads.map(([before]) => before),
      { size: shape },
    ),
  ],
  // Views dy as [r0, d0, r1, d1, ...] and sums over the repeat axes.
  tile: ([dy], { shape, reps }) => {
    const interleaved = shape.flatMap((n, d) => [reps[d]!, n]);
    const repeatAxes = shape.map((_, d) => 2 * d);
    return [reshape(sum(reshape(dy, interleaved), repeatAxes), shape)];
  },
});

/**
 * The same values with a new shape; one dimension may be -1 (inferred). Shares the values
 * with `x` (no copy).
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = convert(x, 'reshape', 'x');
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new ShapeError(
      `reshape: shape must be an array of non-negative integers with at most one -1, received ${describe(shape)}.`,
    );
  }
  const unknown = shape.indexOf(-1);
  if (unknown !== shape.lastIndexOf(-1)) {
    throw new ShapeError(
      `reshape: at most one dimension can be -1, received ${formatShape(shape)}.`,
    );
  }
  const out = shape.slice();
  if (unknown >= 0) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || t.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape a tensor of shape ${formatShape(t.shape)} (${t.size} values) into ${formatShape(shape)}: ` +
          `${t.size} is not a multiple of ${known}.`,
      );
    }
    out[unknown] = t.size / known;
  }
  if (sizeOf(out) !== t.size) {
    throw new ShapeError(
      `reshape: cannot reshape a tensor of shape ${formatShape(t.shape)} (${t.size} values) into ` +
        `${formatShape(shape)} (${sizeOf(out)} values); the sizes must match. Use -1 for one dimension to infer it.`,
    );
  }
  if (shapesEqual(out, t.shape)) return t;
  const y = new Tensor(t.dataId, out, t.dtype, t.store);
  recordShape('reshape', [t], [y], { shape: t.shape });
  return y;
}

/** Inserts an axis of length 1 at `axis` (default 0; negative counts from the end). */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = convert(x, 'expandDims', 'x');
  const a = normalizeAxis(axis, t.rank + 1, 'expandDims');
  const shape = t.shape.slice();
  shape.splice(a, 0, 1);
  return reshape(t, shape);
}

/** Removes axes of length 1: the listed ones (an error if one is not 1), or all of them. */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = convert(x, 'squeeze', 'x');
  const axes =
    axis === undefined
      ? t.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes(axis, t.rank, 'squeeze');
  for (const a of axes) {
    if (t.shape[a] !== 1) {
      throw new ShapeError(
        `squeeze: axis ${a} of shape ${formatShape(t.shape)} has length ${t.shape[a]}, not 1; only axes of length 1 can be squeezed.`,
      );
    }
  }
  return reshape(
    t,
    t.shape.filter((_, i) => !axes.includes(i)),
  );
}

/**
 * Repeats `x` along broadcast axes to `shape` (NumPy broadcasting rules). A tile of x with
 * leading axes of length 1 added, so its gradient is tile's (a sum over the repeats).
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = convert(x, 'broadcastTo', 'x');
  const target = broadcastShapes(t.shape, shape, 'broadcastTo');
  if (!shapesEqual(target, shape)) {
    throw new ShapeError(
      `broadcastTo: a tensor of shape ${formatShape(t.shape)} cannot be broadcast to ${formatShape(shape)}; ` +
        `it would need shape ${formatShape(target)}.`,
    );
  }
  if (shapesEqual(t.shape, shape)) return t;
  checkSize(shape, 'broadcastTo');
  const padded = [...new Array<number>(shape.length - t.rank).fill(1), ...t.shape];
  return tile(
    reshape(t, padded),
    shape.map((d, i) => (padded[i] === d ? 1 : d)),
  );
}

/** `value` as an array of integers, or a ConfigError naming the op and the argument. */
function integers(value: unknown, op: string, what: string, example: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw new ConfigError(
      `${op}: ${what} must be an array of integers such as ${example}, received ${describe(value)}.`,
    );
  }
  return value.slice() as number[];
}

function checkPerm(perm: readonly number[], shape: readonly number[]): number[] {
  const p = integers(perm, 'transpose', 'perm', '[1, 0]');
  const rank = shape.length;
  const problem =
    p.length !== rank
      ? `it has ${p.length} entries, not ${rank}`
      : p.some((a) => a < 0 || a >= rank)
        ? `${p.find((a) => a < 0 || a >= rank)} is not an axis (negative axes are not accepted here)`
        : new Set(p).size !== rank
          ? `axis ${p.find((a, i) => p.indexOf(a) !== i)} appears twice`
          : undefined;
  if (problem !== undefined) {
    throw new ShapeError(
      `transpose: perm ${formatShape(p)} is not a permutation of the axes 0..${rank - 1} of x with shape ` +
        `${formatShape(shape)}: ${problem}. List every axis once, e.g. ${formatShape(shape.map((_, i) => rank - 1 - i))}.`,
    );
  }
  return p;
}

/**
 * Permutes axes: output axis i is input axis perm[i] (default: reversed axes, so a matrix is
 * transposed). `perm` lists every axis 0..rank-1 once; negative axes are not accepted.
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = convert(x, 'transpose', 'x');
  const p = perm === undefined ? t.shape.map((_, i) => t.rank - 1 - i) : checkPerm(perm, t.shape);
  if (p.every((a, i) => a === i)) return t;
  const shape = p.map((a) => t.shape[a]!);
  const y = makeTensor(backend().transpose(t, p), shape, t.dtype);
  const inverse = new Array<number>(p.length);
  p.forEach((a, i) => (inverse[a] = i));
  recordShape('transpose', [t], [y], { inverse });
  return y;
}

function nonEmptyList(xs: unknown, op: string): readonly TensorLike[] {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new ConfigError(
      `${op}: xs must be a non-empty array of tensors, received ${describe(xs)}.`,
    );
  }
  return xs as readonly TensorLike[];
}

/** The part of `t` from `start` with `length` entries along `axis`: the gradient of a join. */
function sliceAlong(t: Tensor, axis: number, start: number, length: number): Tensor {
  return slice(
    t,
    t.shape.map((_, d) => (d === axis ? start : 0)),
    { size: t.shape.map((n, d) => (d === axis ? length : n)) },
  );
}

/**
 * Joins tensors along an existing `axis` (default 0; negative counts from the end). They
 * must have one rank and match in every dimension except `axis`. Dtypes are promoted as in
 * binary ops (bool < int32 < float32 < float64), so joining int32 and float32 gives float32.
 */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  const list = nonEmptyList(xs, 'concat');
  const converted = list.map((x, i) => convert(x, 'concat', `xs[${i}]`));
  const dtype = converted.map((t) => t.dtype).reduce(upcast);
  const ts = converted.map((t) => cast(t, dtype));
  const first = ts[0]!;
  if (first.rank === 0) {
    throw new ShapeError(
      'concat: cannot join scalars (rank 0) along an axis; use sn.stack(xs) to join them along a new axis.',
    );
  }
  const a = normalizeAxis(axis, first.rank, 'concat');
  ts.forEach((t, i) => {
    if (t.rank !== first.rank) {
      throw new ShapeError(
        `concat: xs[${i}] has shape ${formatShape(t.shape)} (rank ${t.rank}) but xs[0] has shape ` +
          `${formatShape(first.shape)} (rank ${first.rank}); tensors joined along axis ${axis} must have the same rank.`,
      );
    }
    const d = t.shape.findIndex((n, j) => j !== a && n !== first.shape[j]);
    if (d >= 0) {
      throw new ShapeError(
        `concat: cannot join along axis ${axis}: xs[${i}] has shape ${formatShape(t.shape)} and xs[0] has shape ` +
          `${formatShape(first.shape)}, which differ at axis ${d} (${t.shape[d]} vs ${first.shape[d]}). ` +
          `Every dimension except axis ${a} must match.`,
      );
    }
  });
  if (ts.length === 1) return first;
  const shape = first.shape.slice();
  shape[a] = ts.reduce((n, t) => n + t.shape[a]!, 0);
  const y = makeTensor(backend().concat(ts, a, shape), shape, dtype);
  recordShape('concat', ts, [y], { xs: ts, axis: a });
  return y;
}

/**
 * Joins tensors of one shape along a new `axis` (default 0; negative counts from the end of
 * the output's axes): stacking n tensors of shape [a, b] on axis 1 gives [a, n, b].
 */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  const ts = nonEmptyList(xs, 'stack').map((x, i) => convert(x, 'stack', `xs[${i}]`));
  const first = ts[0]!;
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: xs[${i}] has shape ${formatShape(t.shape)} but xs[0] has shape ${formatShape(first.shape)}; ` +
          'stack joins tensors of one shape (use sn.concat to join along an existing axis).',
      );
    }
  });
  const a = normalizeAxis(axis, first.rank + 1, 'stack');
  return concat(
    ts.map((t) => expandDims(t, a)),
    a,
  );
}

export interface SplitOptions {
  /** Axis to split along (default 0; negative counts from the end). */
  axis?: number;
}
const SPLIT_OPTION_KEYS = optionKeys<SplitOptions>()({ axis: true });

function splitSizes(
  numOrSizes: number | readonly number[],
  shape: readonly number[],
  axis: number,
): number[] {
  const length = shape[axis]!;
  const where = `axis ${axis} of x with shape ${formatShape(shape)} (length ${length})`;
  if (typeof numOrSizes === 'number') {
    if (!Number.isInteger(numOrSizes) || numOrSizes < 1) {
      throw new ConfigError(
        `split: the number of parts must be a positive integer, received ${describe(numOrSizes)}.`,
      );
    }
    if (length % numOrSizes !== 0) {
      throw new ShapeError(
        `split: cannot split ${where} into ${numOrSizes} equal parts, as ${numOrSizes} does not divide ${length}. ` +
          `Pass a list of sizes that add up to ${length} instead.`,
      );
    }
    return new Array<number>(numOrSizes).fill(length / numOrSizes);
  }
  const sizes = integers(
    numOrSizes,
    'split',
    'numOrSizes (a number of parts or a list of sizes)',
    '[2, -1]',
  );
  if (
    sizes.length === 0 ||
    sizes.some((s) => s < -1) ||
    sizes.indexOf(-1) !== sizes.lastIndexOf(-1)
  ) {
    throw new ConfigError(
      `split: sizes must be a non-empty list of non-negative integers with at most one -1 (inferred), ` +
        `received ${formatShape(sizes)}.`,
    );
  }
  const known = sizes.reduce((n, s) => (s === -1 ? n : n + s), 0);
  const unknown = sizes.indexOf(-1);
  if (unknown >= 0 ? known > length : known !== length) {
    throw new ShapeError(
      `split: sizes ${formatShape(sizes)} add up to ${known}, but ${where} ` +
        (unknown >= 0
          ? `is shorter, leaving nothing for the -1.`
          : `needs sizes adding up to ${length}.`) +
        ' Use -1 for one size to infer it.',
    );
  }
  if (unknown >= 0) sizes[unknown] = length - known;
  return sizes;
}

/**
 * Splits along `axis` into `numOrSizes` equal parts (a number that divides the length) or
 * into parts of the given sizes (one may be -1, inferred). The gradient of the parts is
 * their concatenation (parts not used downstream contribute zeros).
 */
export function split(
  x: TensorLike,
  numOrSizes: number | readonly number[],
  options?: SplitOptions,
): Tensor[] {
  const { axis = 0 } = checkOptions(
    options,
    'split',
    'split(x, [2, -1], { axis: 1 })',
    SPLIT_OPTION_KEYS,
  );
  const t = convert(x, 'split', 'x');
  const a = normalizeAxis(axis, t.rank, 'split');
  const sizes = splitSizes(numOrSizes, t.shape, a);
  const parts: Tensor[] = [];
  let start = 0;
  for (const length of sizes) {
    const begin = t.shape.map((_, d) => (d === a ? start : 0));
    const size = t.shape.map((n, d) => (d === a ? length : n));
    parts.push(makeTensor(backend().slice(t, begin, size), size, t.dtype));
    start += length;
  }
  recordShape('split', [t], parts, { axis: a });
  return parts;
}

export interface SliceOptions {
  /** Extent on each axis; -1 or a missing entry means "to the end" (default: all to the end). */
  size?: readonly number[];
}
const SLICE_OPTION_KEYS = optionKeys<SliceOptions>()({ size: true });

/**
 * The block of x starting at `begin` (a number is the start on axis 0; missing entries are
 * 0) with extent `size`. Starts are non-negative: counting from the end is not supported, so
 * write x.shape[axis] - k for the k-th entry from the end. Its gradient pads with zeros.
 */
export function slice(
  x: TensorLike,
  begin: number | readonly number[],
  options?: SliceOptions,
): Tensor {
  const { size } = checkOptions(
    options,
    'slice',
    'slice(x, [0, 1], { size: [2, -1] })',
    SLICE_OPTION_KEYS,
  );
  const t = convert(x, 'slice', 'x');
  const b = integers(typeof begin === 'number' ? [begin] : begin, 'slice', 'begin', '[0, 1]');
  const s = size === undefined ? [] : integers(size, 'slice', 'size', '[2, -1]');
  if (b.length > t.rank || s.length > t.rank) {
    throw new ShapeError(
      `slice: begin ${formatShape(b)}${size === undefined ? '' : ` and size ${formatShape(s)}`} must have at most ` +
        `one entry per axis of x with shape ${formatShape(t.shape)} (rank ${t.rank}).`,
    );
  }
  const starts = t.shape.map((_, d) => b[d] ?? 0);
  const sizes = t.shape.map((n, d) => (s[d] === undefined || s[d] === -1 ? n - starts[d]! : s[d]!));
  t.shape.forEach((n, d) => {
    const start = starts[d]!;
    const extent = sizes[d]!;
    if (start < 0 || start > n || s[d]! < -1 || extent < 0 || start + extent > n) {
      const hint =
        start < 0
          ? ' Negative starts are not supported; use x.shape[axis] - k.'
          : s[d]! < -1
            ? ' A size is >= 0, or -1 for "to the end".'
            : '';
      throw new ShapeError(
        `slice: on axis ${d} of x with shape ${formatShape(t.shape)}, begin ${start} with size ${s[d] ?? -1} ` +
          `does not fit in 0..${n}.${hint}`,
      );
    }
  });
  if (starts.every((v) => v === 0) && shapesEqual(sizes, t.shape)) return t;
  const y = makeTensor(backend().slice(t, starts, sizes), sizes, t.dtype);
  recordShape('slice', [t], [y], { shape: t.shape, starts, sizes });
  return y;
}

export interface PadOptions {
  /** Value written into the padding (default 0; stored in x's dtype, so truncated for int32). */
  constantValue?: number;
}
const PAD_OPTION_KEYS = optionKeys<PadOptions>()({ constantValue: true });

/**
 * Pads axis i with paddings[i] = [before, after] entries (one pair per axis, non-negative).
 * Its gradient slices the padding off.
 */
export function pad(
  x: TensorLike,
  paddings: readonly (readonly [number, number])[],
  options?: PadOptions,
): Tensor {
  const { constantValue = 0 } = checkOptions(
    options,
    'pad',
    'pad(x, [[1, 1], [2, 2]], { constantValue: 0 })',
    PAD_OPTION_KEYS,
  );
  const t = convert(x, 'pad', 'x');
  if (
    !Array.isArray(paddings) ||
    !paddings.every(
      (p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n) && n >= 0),
    )
  ) {
    throw new ConfigError(
      `pad: paddings must be a list of [before, after] pairs of non-negative integers, such as [[1, 1], [0, 2]], ` +
        `received ${describe(paddings)}.`,
    );
  }
  if (paddings.length !== t.rank) {
    throw new ShapeError(
      `pad: paddings has ${paddings.length} pairs but x has shape ${formatShape(t.shape)} (rank ${t.rank}); ` +
        'give one [before, after] pair per axis ([0, 0] leaves an axis alone).',
    );
  }
  if (typeof constantValue !== 'number') {
    throw new ConfigError(
      `pad: constantValue must be a number, received ${describe(constantValue)}.`,
    );
  }
  const pads = paddings.map(([before, after]) => [before, after] as const);
  if (pads.every(([before, after]) => before === 0 && after === 0)) return t;
  const shape = t.shape.map((n, d) => pads[d]![0] + n + pads[d]![1]);
  checkSize(shape, 'pad');
  const y = makeTensor(backend().pad(t, pads, constantValue), shape, t.dtype);
  recordShape('pad', [t], [y], { shape: t.shape, pads });
  return y;
}

/**
 * Repeats x reps[i] times along axis i (one non-negative integer per axis). Its gradient
 * views dy as [r0, d0, r1, d1, ...] and sums over the repeat axes.
 */
export function tile(x: TensorLike, reps: readonly number[]): Tensor {
  const t = convert(x, 'tile', 'x');
  const r = integers(reps, 'tile', 'reps', '[2, 1]');
  if (r.some((n) => n < 0)) {
    throw new ConfigError(`tile: reps must be non-negative, received ${formatShape(r)}.`);
  }
  if (r.length !== t.rank) {
    throw new ShapeError(
      `tile: reps ${formatShape(r)} has ${r.length} entries but x has shape ${formatShape(t.shape)} (rank ${t.rank}); ` +
        'give one repeat count per axis (1 leaves an axis alone).',
    );
  }
  if (r.every((n) => n === 1)) return t;
  const shape = t.shape.map((n, d) => n * r[d]!);
  checkSize(shape, 'tile');
  const y = makeTensor(backend().tile(t, r), shape, t.dtype);
  recordShape('tile', [t], [y], { shape: t.shape, reps: r });
  return y;
}
