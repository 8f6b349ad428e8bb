import { ConfigError, DTypeError, ShapeError, describe } from '../errors.js';
import { allocArray, checkDType, type DataArray, type DType } from './dtype.js';
import { randomFor } from './random.js';
import { checkShape, checkSize, formatShape, sizeOf, tooLarge, type Shape } from './shape.js';
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

/**
 * A zero-filled array for a tensor of `shape`: a ShapeError naming the shape and the limit
 * when it holds more than MAX_ELEMENTS, or when the memory cannot be had.
 */
function allocFor(shape: readonly number[], dtype: DType, where: string): DataArray {
  checkSize(shape, where);
  try {
    return allocArray(checkDType(dtype, where), sizeOf(shape));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const why = `the ${dtype} values could not be allocated (${e.message})`;
    throw Object.assign(tooLarge(shape, where, why), { cause: e });
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * How a number is stored as `dtype`. int32 takes finite numbers within its range and drops
 * the fraction (as TensorFlow.js); anything else (3e10, NaN, Infinity) is a DTypeError, not a
 * wrapped value. bool stores any nonzero value (NaN included) as 1, as NumPy does.
 */
function storable(dtype: DType, where: string): (v: number, i: number) => number {
  if (dtype === 'bool') return (v) => (v !== 0 ? 1 : 0);
  if (dtype !== 'int32') return (v) => v;
  return (v, i) => {
    if (v >= INT32_MIN && v < INT32_MAX + 1) return v;
    throw new DTypeError(
      `${where}: value ${describe(v)} at index ${i} does not fit dtype int32 (integers in ` +
        `[${INT32_MIN}, ${INT32_MAX}]); use dtype 'float32' or 'float64' for it.`,
    );
  };
}

/**
 * The dtype of values given without one: float64, int32 and bool follow Float64Array,
 * Int32Array and booleans; a Uint8Array (bytes, pixels) is int32, as TensorFlow.js.
 */
function inferDType(values: unknown): DType {
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array || values instanceof Uint8Array) return 'int32';
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
  if (dt === 'float32' || dt === 'float64') data.set(flat);
  else {
    // int32 and bool values are checked or mapped one by one (storable).
    const store = storable(dt, 'tensor()');
    for (let i = 0; i < flat.length; i++) data[i] = store(flat[i]!, i);
  }
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
  return filled(shape, value, dtype, 'fill()');
}

/** fill, with `where` naming the creator in errors. */
function filled(shape: readonly number[], value: number, dtype: DType, where: string): Tensor {
  const s = checkShape(shape, where);
  if (typeof value !== 'number') {
    throw new ConfigError(`${where}: value must be a number, received ${describe(value)}.`);
  }
  const data = allocFor(s, dtype, where);
  data.fill(storable(dtype, where)(value, 0));
  return fromArray(data, s, dtype);
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled(shape, 0, dtype, 'zeros()');
}

export function ones(shape: readonly number[], dtype: DType = 'float32'): Tensor {
  return filled(shape, 1, dtype, 'ones()');
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
  const data = allocFor([r!, c!], dtype, 'eye()');
  for (let i = 0; i < Math.min(r!, c!); i++) data[i * c! + i] = 1;
  return fromArray(data, [r!, c!], dtype);
}

export interface RangeOptions {
  step?: number;
  dtype?: DType;
}
const RANGE_OPTION_KEYS = optionKeys<RangeOptions>()({ step: true, dtype: true });

/**
 * Numbers from `start` (inclusive) to `stop` (exclusive) by `step` (default 1):
 * `range(0, 10, { step: 2 })`, or as TensorFlow.js spells it, `range(0, 10, 2, 'int32')`;
 * both give [0, 2, 4, 6, 8].
 */
export function range(start: number, stop: number, options?: RangeOptions): Tensor;
export function range(start: number, stop: number, step: number, dtype?: DType): Tensor;
export function range(
  start: number,
  stop: number,
  stepOrOptions: number | RangeOptions = {},
  dtypeArg?: DType,
): Tensor {
  let options: RangeOptions;
  if (typeof stepOrOptions === 'number') {
    options = { step: stepOrOptions, ...(dtypeArg === undefined ? {} : { dtype: dtypeArg }) };
  } else if (
    typeof stepOrOptions === 'object' &&
    stepOrOptions !== null &&
    !Array.isArray(stepOrOptions) &&
    dtypeArg === undefined
  ) {
    options = checkOptionKeys(stepOrOptions, 'range()', RANGE_OPTION_KEYS);
  } else {
    throw new ConfigError(
      `range(): the third argument must be a step (a number) or an options object { step, dtype }, ` +
        `received ${describe(stepOrOptions)}${dtypeArg === undefined ? '' : ` and ${describe(dtypeArg)}`}; ` +
        "e.g. sn.range(0, 10, 2) or sn.range(0, 10, { step: 2, dtype: 'int32' }).",
    );
  }
  const step = options.step ?? 1;
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw new ConfigError(
      `range(): start, stop and step must be finite numbers and step non-zero, received start ${describe(start)}, ` +
        `stop ${describe(stop)}, step ${describe(step)}.`,
    );
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = options.dtype ?? 'float32';
  const data = allocFor([n], dtype, 'range()');
  const store = storable(dtype, 'range()');
  for (let i = 0; i < n; i++) data[i] = store(start + i * step, i);
  return fromArray(data, [n], dtype);
}

/** `num` evenly spaced numbers from `start` to `stop`, both included. */
export function linspace(start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 1) {
    throw new ConfigError(`linspace(): num must be an integer >= 1, received ${describe(num)}.`);
  }
  const data = allocFor([num], 'float32', 'linspace()');
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
  const data = allocFor(s, dtype, where);
  for (let i = 0; i < data.length; i++) data[i] = draw(rng);
  return fromArray(data, s, dtype);
}

/** A finite mean, a finite stddev >= 0 and a floating-point dtype, or a typed error. */
function checkNormal(mean: unknown, stddev: unknown, dtype: DType, where: string): void {
  if (typeof mean !== 'number' || !Number.isFinite(mean)) {
    throw new ConfigError(`${where}: mean must be a finite number, received ${describe(mean)}.`);
  }
  if (typeof stddev !== 'number' || !(stddev >= 0 && Number.isFinite(stddev))) {
    throw new ConfigError(
      `${where}: stddev must be a finite number >= 0, received ${describe(stddev)}; e.g. { stddev: 0.05 }.`,
    );
  }
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new DTypeError(
      `${where}: makes floating-point values, received dtype ${describe(dtype)}; use 'float32' or 'float64'.`,
    );
  }
}

/** Normal draws with `mean` (default 0) and `stddev` (default 1). */
export function randomNormal(shape: readonly number[], options: RandomNormalOptions = {}): Tensor {
  checkOptionKeys(options, 'randomNormal()', RANDOM_NORMAL_OPTION_KEYS);
  const { mean = 0, stddev = 1, seed, dtype = 'float32' } = options;
  checkNormal(mean, stddev, dtype, 'randomNormal()');
  return randomFill(shape, dtype, 'randomNormal()', seed, (r) => mean + stddev * r.nextNormal());
}

/** Normal draws, redrawn until within two standard deviations of the mean (as Keras). */
export function truncatedNormal(
  shape: readonly number[],
  options: RandomNormalOptions = {},
): Tensor {
  checkOptionKeys(options, 'truncatedNormal()', RANDOM_NORMAL_OPTION_KEYS);
  const { mean = 0, stddev = 1, seed, dtype = 'float32' } = options;
  checkNormal(mean, stddev, dtype, 'truncatedNormal()');
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
  const [lo, hi] = dtype === 'int32' ? [INT32_MIN, INT32_MAX + 1] : [-Infinity, Infinity];
  if (
    typeof minval !== 'number' ||
    typeof maxval !== 'number' ||
    !(maxval > minval && Number.isFinite(maxval - minval) && minval >= lo && maxval <= hi)
  ) {
    throw new ConfigError(
      `randomUniform(): minval and maxval must be finite numbers with maxval > minval` +
        `${dtype === 'int32' ? ` within the int32 range [${lo}, ${hi}]` : ''}, ` +
        `received minval ${describe(minval)}, maxval ${describe(maxval)}.`,
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
