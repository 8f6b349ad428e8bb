import { ConfigError, ShapeError, describe } from '../errors.js';
import { allocArray, checkDType, type DataArray, type DType } from './dtype.js';
import { randomFor } from './random.js';
import { checkShape, formatShape, sizeOf, type Shape } from './shape.js';
import { activeStore } from './store.js';
import { Tensor, type NestedArray } from './tensor.js';
import { checkOptionKeys, optionKeys } from '../validation.js';

/** Anything that can become a tensor: a Tensor, a number, a boolean, nested arrays, a typed array. */
export type TensorLike = Tensor | number | boolean | NestedArray | DataArray;

/** Makes a tensor on the active backend from a flat array (copied). Internal building block. */
export function fromArray(values: DataArray, shape: Shape, dtype: DType): Tensor {
  const store = activeStore();
  return new Tensor(store.write(values, dtype), shape, dtype, store);
}

function inferDType(values: unknown): DType {
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  let v: unknown = values;
  while (Array.isArray(v)) v = v[0];
  return typeof v === 'boolean' ? 'bool' : 'float32';
}

/** Shape of nested arrays; throws a ShapeError at the first ragged or non-numeric entry. */
function inferShape(values: unknown): number[] {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  const check = (node: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof node !== 'number' && typeof node !== 'boolean') {
        throw new ShapeError(
          `tensor(): expected a number or boolean at ${path || 'the top level'}, received ${describe(node)}.`,
        );
      }
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      const got = Array.isArray(node) ? `an array of length ${node.length}` : describe(node);
      throw new ShapeError(
        `tensor(): ragged nested array: expected an array of length ${shape[dim]} at ${path || 'the top level'} ` +
          `(the shape so far is ${formatShape(shape)}), received ${got}. Every row must have the same length.`,
      );
    }
    node.forEach((child, i) => check(child, dim + 1, `${path}[${i}]`));
  };
  check(values, 0, '');
  return shape;
}

function flatten(values: unknown, out: number[]): void {
  if (Array.isArray(values)) for (const v of values) flatten(v, out);
  else out.push(typeof values === 'boolean' ? Number(values) : (values as number));
}

/**
 * A tensor from nested arrays, a flat typed array or a number.
 *   sn.tensor([[1, 2], [3, 4]])            // float32 [2, 2]
 *   sn.tensor(new Float32Array(6), [2, 3])  // flat values with a shape
 *   sn.tensor([0, 2, 1], undefined, 'int32')
 * Values are copied. `shape`, when given, must have as many elements as `values`.
 */
export function tensor(values: TensorLike, shape?: readonly number[], dtype?: DType): Tensor {
  if (values instanceof Tensor) {
    throw new ConfigError(
      'tensor(): received a Tensor; tensors are immutable, use it directly (or sn.reshape / sn.cast).',
    );
  }
  const dt = dtype === undefined ? inferDType(values) : checkDType(dtype, 'tensor()');
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (ArrayBuffer.isView(values)) {
    flat = values as DataArray;
    inferred = [flat.length];
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [Number(values)];
    inferred = [];
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    const out: number[] = [];
    flatten(values, out);
    flat = out;
  } else {
    throw new ConfigError(
      `tensor(): values must be a number, a boolean, nested arrays or a typed array, received ${describe(values)}.`,
    );
  }
  const finalShape = shape === undefined ? inferred : checkShape(shape, 'tensor()');
  if (sizeOf(finalShape) !== flat.length) {
    throw new ShapeError(
      `tensor(): shape ${formatShape(finalShape)} holds ${sizeOf(finalShape)} values, but ${flat.length} ` +
        `were given${shape && !ArrayBuffer.isView(values) ? ` (their own shape is ${formatShape(inferred)})` : ''}. ` +
        'Pass a shape whose dimensions multiply to the number of values.',
    );
  }
  const data = allocArray(dt, flat.length);
  for (let i = 0; i < flat.length; i++) data[i] = flat[i]!;
  return fromArray(data, finalShape, dt);
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

/** `value` as a tensor; numbers become scalars of `dtype` (the other operand's, in binary ops). */
export function toTensor(value: TensorLike, dtype?: DType): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number') return scalar(value, dtype ?? 'float32');
  return tensor(value, undefined, dtype);
}

/** A tensor of `shape` with every element equal to `value`. */
export function fill(shape: readonly number[], value: number, dtype: DType = 'float32'): Tensor {
  const s = checkShape(shape, 'fill()');
  const data = allocArray(checkDType(dtype, 'fill()'), sizeOf(s));
  data.fill(value);
  return fromArray(data, s, dtype);
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

export function zerosLike(t: Tensor): Tensor {
  return fill(t.shape, 0, t.dtype);
}

export function onesLike(t: Tensor): Tensor {
  return fill(t.shape, 1, t.dtype);
}

export interface EyeOptions {
  /** Number of columns (default: the number of rows). */
  numColumns?: number;
  dtype?: DType;
}
const EYE_OPTION_KEYS = optionKeys<EyeOptions>()({ numColumns: true, dtype: true });

/** The identity matrix (ones on the main diagonal). */
export function eye(numRows: number, options: EyeOptions = {}): Tensor {
  checkOptionKeys(options, 'eye()', EYE_OPTION_KEYS);
  const cols = options.numColumns ?? numRows;
  const [r, c] = checkShape([numRows, cols], 'eye()');
  const dtype = options.dtype ?? 'float32';
  const data = allocArray(checkDType(dtype, 'eye()'), r! * c!);
  for (let i = 0; i < Math.min(r!, c!); i++) data[i * c! + i] = 1;
  return fromArray(data, [r!, c!], dtype);
}

export interface RangeOptions {
  step?: number;
  dtype?: DType;
}
const RANGE_OPTION_KEYS = optionKeys<RangeOptions>()({ step: true, dtype: true });

/** Numbers from `start` (inclusive) to `stop` (exclusive) by `step` (default 1). */
export function range(start: number, stop: number, options: RangeOptions = {}): Tensor {
  checkOptionKeys(options, 'range()', RANGE_OPTION_KEYS);
  const step = options.step ?? 1;
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw new ConfigError(
      `range(): start, stop and step must be finite numbers and step non-zero, received start ${describe(start)}, ` +
        `stop ${describe(stop)}, step ${describe(step)}.`,
    );
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = options.dtype ?? 'float32';
  const data = allocArray(checkDType(dtype, 'range()'), n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return fromArray(data, [n], dtype);
}

/** `num` evenly spaced numbers from `start` to `stop`, both included. */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 1) {
    throw new ConfigError(`linspace(): num must be an integer >= 1, received ${describe(num)}.`);
  }
  const data = new Float32Array(num);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  return fromArray(data, [num], 'float32');
}

export interface RandomNormalOptions {
  mean?: number;
  stddev?: number;
  seed?: number;
  dtype?: 'float32' | 'float64';
}
const RANDOM_NORMAL_OPTION_KEYS = optionKeys<RandomNormalOptions>()({
  mean: true,
  stddev: true,
  seed: true,
  dtype: true,
});

function randomFill(
  shape: readonly number[],
  dtype: DType,
  where: string,
  seed: number | undefined,
  draw: (rng: ReturnType<typeof randomFor>) => number,
): Tensor {
  const s = checkShape(shape, where);
  const rng = randomFor(seed, where);
  const data = allocArray(checkDType(dtype, where), sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return fromArray(data, s, dtype);
}

/** Normal draws with `mean` (default 0) and `stddev` (default 1). */
export function randomNormal(shape: readonly number[], options: RandomNormalOptions = {}): Tensor {
  checkOptionKeys(options, 'randomNormal()', RANDOM_NORMAL_OPTION_KEYS);
  const { mean = 0, stddev = 1, seed, dtype = 'float32' } = options;
  return randomFill(shape, dtype, 'randomNormal()', seed, (r) => mean + stddev * r.nextNormal());
}

/** Normal draws, redrawn until within two standard deviations of the mean (as Keras). */
export function truncatedNormal(
  shape: readonly number[],
  options: RandomNormalOptions = {},
): Tensor {
  checkOptionKeys(options, 'truncatedNormal()', RANDOM_NORMAL_OPTION_KEYS);
  const { mean = 0, stddev = 1, seed, dtype = 'float32' } = options;
  return randomFill(shape, dtype, 'truncatedNormal()', seed, (r) => {
    let z: number;
    do z = r.nextNormal();
    while (Math.abs(z) > 2);
    return mean + stddev * z;
  });
}

export interface RandomUniformOptions {
  minval?: number;
  maxval?: number;
  seed?: number;
  dtype?: 'float32' | 'float64' | 'int32';
}
const RANDOM_UNIFORM_OPTION_KEYS = optionKeys<RandomUniformOptions>()({
  minval: true,
  maxval: true,
  seed: true,
  dtype: true,
});

/** Uniform draws in [minval, maxval) (defaults 0 and 1); for int32, integers in that range. */
export function randomUniform(
  shape: readonly number[],
  options: RandomUniformOptions = {},
): Tensor {
  checkOptionKeys(options, 'randomUniform()', RANDOM_UNIFORM_OPTION_KEYS);
  const { minval = 0, maxval = 1, seed, dtype = 'float32' } = options;
  if (!(maxval > minval)) {
    throw new ConfigError(
      `randomUniform(): maxval must be greater than minval, received minval ${describe(minval)}, maxval ${describe(maxval)}.`,
    );
  }
  return randomFill(shape, dtype, 'randomUniform()', seed, (r) =>
    dtype === 'int32'
      ? Math.floor(minval + (maxval - minval) * r.nextFloat())
      : minval + (maxval - minval) * r.nextFloat(),
  );
}

export interface RandomBernoulliOptions {
  /** Probability of a 1 (default 0.5). */
  p?: number;
  seed?: number;
  dtype?: DType;
}
const RANDOM_BERNOULLI_OPTION_KEYS = optionKeys<RandomBernoulliOptions>()({
  p: true,
  seed: true,
  dtype: true,
});

/** 0/1 draws, 1 with probability `p` (masks for dropout and k-sparse). */
export function randomBernoulli(
  shape: readonly number[],
  options: RandomBernoulliOptions = {},
): Tensor {
  checkOptionKeys(options, 'randomBernoulli()', RANDOM_BERNOULLI_OPTION_KEYS);
  const { p = 0.5, seed, dtype = 'float32' } = options;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ConfigError(
      `randomBernoulli(): p must be a probability in [0, 1], received ${describe(p)}.`,
    );
  }
  return randomFill(shape, dtype, 'randomBernoulli()', seed, (r) => (r.nextFloat() < p ? 1 : 0));
}
