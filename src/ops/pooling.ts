import type { Conv2DInfo, PoolOp } from '../backends/backend.js';
import { ConfigError, DTypeError, ShapeError, describe } from '../errors.js';
import { tensor, type TensorLike } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionKeys } from '../validation.js';
import { cast } from './cast.js';
import {
  checkDataFormat,
  checkPadding,
  checkSizes,
  windowInfo,
  type DataFormat,
  type Padding,
} from './conv-geometry.js';
import { matmul } from './matmul.js';
import {
  backend,
  checkOptions,
  convert,
  defineGradients,
  makeTensor,
  type GradientRule,
} from './op.js';
import { broadcastTo, reshape, transpose } from './shape.js';

/**
 * Poolings and upsampling: max and average pooling over 2-D windows (and their 1-D forms, a
 * window of height 1), and upsampling by whole factors (nearest or bilinear). Window geometry
 * follows TensorFlow (src/ops/conv-geometry.ts); the backend kernels work on channels-last
 * tensors, so a channelsFirst input is transposed there and back.
 */

export interface PoolOptions {
  /** Window [height, width], or one number for both. Required. */
  poolSize: number | readonly [number, number];
  /** Step between windows [height, width] or one number (default: poolSize). */
  strides?: number | readonly [number, number];
  /** 'valid' (default): only windows inside the input; 'same': output ⌈in / stride⌉. */
  padding?: Padding;
  /** 'channelsLast' (default): [batch, height, width, channels]; 'channelsFirst': [batch, channels, height, width]. */
  dataFormat?: DataFormat;
}
const POOL_OPTION_KEYS = optionKeys<PoolOptions>()({
  poolSize: true,
  strides: true,
  padding: true,
  dataFormat: true,
});

export interface Pool1dOptions {
  /** Window length. Required. */
  poolSize: number;
  /** Step between windows (default: poolSize). */
  strides?: number;
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
  /** 'channelsLast' (default): [batch, steps, channels]; 'channelsFirst': [batch, channels, steps]. */
  dataFormat?: DataFormat;
}
const POOL1D_OPTION_KEYS = optionKeys<Pool1dOptions>()({
  poolSize: true,
  strides: true,
  padding: true,
  dataFormat: true,
});

export type Interpolation = 'nearest' | 'bilinear';
const INTERPOLATIONS: readonly Interpolation[] = ['nearest', 'bilinear'];

export interface UpSamplingOptions {
  /** Factor [height, width] or one number for both, whole numbers >= 1 (default 2). */
  size?: number | readonly [number, number];
  /** 'nearest' (default): each value repeated; 'bilinear': as Keras 3 (half-pixel centres). */
  interpolation?: Interpolation;
  /** 'channelsLast' (default) or 'channelsFirst'. */
  dataFormat?: DataFormat;
}
const UP_SAMPLING_OPTION_KEYS = optionKeys<UpSamplingOptions>()({
  size: true,
  interpolation: true,
  dataFormat: true,
});

/** The pooling ops, by the name each is recorded under (the 1-D forms run the 2-D kernel). */
type PoolName = 'maxPool' | 'avgPool' | 'maxPool1d' | 'avgPool1d';

/** What a pooling saves: its channels-last input, the kernel op and the window geometry. */
interface PoolSaved {
  op: PoolOp;
  x: Tensor;
  info: Conv2DInfo;
}
/** Every pooling's gradient is the backend's pool2dGrad kernel. */
const poolGradient: GradientRule<PoolSaved> = ([dy], { op, x, info }) => [
  makeTensor(backend().pool2dGrad(op, x, cast(dy, x.dtype), info), x.shape, x.dtype),
];
const recordPool = defineGradients<Record<PoolName, PoolSaved>>({
  maxPool: poolGradient,
  avgPool: poolGradient,
  maxPool1d: poolGradient,
  avgPool1d: poolGradient,
});

/**
 * Max pooling over 2-D windows: each output is the largest value of its window (positions
 * in 'same' padding are skipped). The gradient goes to the first maximum of each window.
 *
 * x [batch, height, width, channels] (channelsLast) → [batch, outHeight, outWidth, channels],
 * out = ⌈(in − poolSize + 1) / stride⌉ ('valid') or ⌈in / stride⌉ ('same').
 *
 *   sn.maxPool(x, { poolSize: 2 })                                  // [8, 28, 28, 16] → [8, 14, 14, 16]
 *   sn.maxPool(x, { poolSize: 3, strides: 2, padding: 'same' })
 */
export function maxPool(x: TensorLike, options: PoolOptions): Tensor {
  return pool2dOp('max', 'maxPool', x, options);
}

/**
 * Average pooling over 2-D windows: each output is the mean of its window's in-bounds values
 * (with 'same' padding, padded positions are not counted, as TensorFlow). Shapes as maxPool.
 *
 *   sn.avgPool(x, { poolSize: [2, 2], strides: 2 })
 */
export function avgPool(x: TensorLike, options: PoolOptions): Tensor {
  return pool2dOp('avg', 'avgPool', x, options);
}

/**
 * Max pooling along the steps of a sequence: x [batch, steps, channels] (channelsLast) →
 * [batch, outSteps, channels]. A maxPool with windows of height 1.
 *
 *   sn.maxPool1d(x, { poolSize: 2 })   // [4, 10, 8] → [4, 5, 8]
 */
export function maxPool1d(x: TensorLike, options: Pool1dOptions): Tensor {
  return pool1dOp('max', 'maxPool1d', x, options);
}

/**
 * Average pooling along the steps of a sequence (padded positions not counted), shapes as
 * maxPool1d.
 *
 *   sn.avgPool1d(x, { poolSize: 3, strides: 1, padding: 'same' })
 */
export function avgPool1d(x: TensorLike, options: Pool1dOptions): Tensor {
  return pool1dOp('avg', 'avgPool1d', x, options);
}

/**
 * Upsamples the two spatial axes by whole factors: x [batch, height, width, channels]
 * (channelsLast) → [batch, height·sh, width·sw, channels].
 *
 * - 'nearest': each value repeated sh × sw times.
 * - 'bilinear': as Keras 3's UpSampling2D (tf.image.resize, half-pixel centres): output
 *   position o along an axis reads the input at s = (o + ½) / factor − ½, clamped to
 *   [0, in − 1], interpolating linearly between ⌊s⌋ and ⌊s⌋ + 1. TensorFlow.js's
 *   UpSampling2D layer uses its resizeBilinear without half-pixel centres (s = o / factor),
 *   which gives other values; tf.image.resizeBilinear(x, size, false, true) agrees with this.
 *
 * Composed from reshapes and products with small interpolation matrices (the bilinear map
 * is linear and separable), so its gradient is theirs.
 *
 *   sn.upSampling(x, { size: 2 })                               // [1, 7, 7, 64] → [1, 14, 14, 64]
 *   sn.upSampling(x, { size: [2, 3], interpolation: 'bilinear' })
 */
export function upSampling(x: TensorLike, options?: UpSamplingOptions): Tensor {
  const o = checkOptions(
    options,
    'upSampling',
    'upSampling(x, { size: 2, interpolation: "bilinear" })',
    UP_SAMPLING_OPTION_KEYS,
  );
  const [sh, sw] = checkSizes(o.size ?? 2, 2, 'size', 'upSampling', 'size: 2 or size: [2, 3]') as [
    number,
    number,
  ];
  const interpolation = o.interpolation ?? 'nearest';
  if (!INTERPOLATIONS.includes(interpolation)) {
    throw new ConfigError(
      `upSampling: interpolation must be 'nearest' or 'bilinear', received ${describe(interpolation)}.`,
    );
  }
  const dataFormat = checkDataFormat(o.dataFormat ?? 'channelsLast', 'upSampling');
  const t = floatInput(x, 'upSampling', dataFormat, 'sn.layers.upSampling1d');
  const first = dataFormat === 'channelsFirst';
  const [b, d1, d2, d3] = t.shape as [number, number, number, number];
  const [h, w, c] = first ? [d2, d3, d1] : [d1, d2, d3];
  const outH = h * sh;
  const outW = w * sw;
  if (interpolation === 'nearest') {
    // Insert a length-1 axis after each spatial axis, broadcast it to the factor, merge.
    const spread = first ? [b, c, h, 1, w, 1] : [b, h, 1, w, 1, c];
    const wide = first ? [b, c, h, sh, w, sw] : [b, h, sh, w, sw, c];
    return reshape(
      broadcastTo(reshape(t, spread), wide),
      first ? [b, c, outH, outW] : [b, outH, outW, c],
    );
  }
  const rows = interpolationMatrix(h, sh, t);
  const cols = interpolationMatrix(w, sw, t);
  if (first) {
    // [b·c, h, w] → rows·x → [b·c, outH, w] → ·colsᵀ → [b·c, outH, outW].
    const y = matmul(matmul(rows, reshape(t, [b * c, h, w])), cols, { transposeB: true });
    return reshape(y, [b, c, outH, outW]);
  }
  // [b, h, w·c] → rows·x → [b, outH, w·c]; as [b·outH, w, c] → cols·x → [b·outH, outW, c].
  const tall = matmul(rows, reshape(t, [b, h, w * c]));
  return reshape(matmul(cols, reshape(tall, [b * outH, w, c])), [b, outH, outW, c]);
}

/**
 * The [in·factor, in] matrix of bilinear upsampling along one axis with half-pixel centres:
 * row o holds the weights (1 − t, t) of the two inputs around s = (o + ½) / factor − ½.
 */
function interpolationMatrix(size: number, factor: number, like: Tensor): Tensor {
  const out = size * factor;
  const m = new Float64Array(out * size);
  for (let o = 0; o < out; o++) {
    const s = Math.min(Math.max((o + 0.5) / factor - 0.5, 0), size - 1);
    const lo = Math.floor(s);
    const hi = Math.min(lo + 1, size - 1);
    const frac = s - lo;
    m[o * size + lo]! += 1 - frac;
    m[o * size + hi]! += frac;
  }
  return tensor(m, [out, size], like.dtype === 'float64' ? 'float64' : 'float32');
}

/** A 2-D pooling, checked; channelsFirst is transposed to channels-last and back. */
function pool2dOp(
  op: PoolOp,
  name: 'maxPool' | 'avgPool',
  x: TensorLike,
  options: PoolOptions,
): Tensor {
  const o = checkOptions(
    options,
    name,
    `${name}(x, { poolSize: 2, strides: 2, padding: 'same' })`,
    POOL_OPTION_KEYS,
  );
  requirePoolSize(o, name, 'poolSize: 2 or poolSize: [2, 3]');
  const example = 'e.g. poolSize: 2 or poolSize: [2, 3]';
  const poolSize = checkSizes(o.poolSize, 2, 'poolSize', name, example) as [number, number];
  const strides = checkSizes(
    o.strides ?? poolSize,
    2,
    'strides',
    name,
    'strides: 2 or strides: [1, 2]',
  );
  const padding = checkPadding(o.padding ?? 'valid', name);
  const dataFormat = checkDataFormat(o.dataFormat ?? 'channelsLast', name);
  const t = floatInput(x, name, dataFormat, `sn.${name}1d`);
  const first = dataFormat === 'channelsFirst';
  const last = first ? transpose(t, [0, 2, 3, 1]) : t;
  const y = poolChannelsLast(op, name, last, poolSize, strides as [number, number], padding);
  return first ? transpose(y, [0, 3, 1, 2]) : y;
}

/** A 1-D pooling: a 2-D one over [batch, 1, steps, channels] with windows [1, poolSize]. */
function pool1dOp(
  op: PoolOp,
  name: 'maxPool1d' | 'avgPool1d',
  x: TensorLike,
  options: Pool1dOptions,
): Tensor {
  const o = checkOptions(
    options,
    name,
    `${name}(x, { poolSize: 2, strides: 2, padding: 'same' })`,
    POOL1D_OPTION_KEYS,
  );
  requirePoolSize(o, name, 'poolSize: 2');
  const [poolSize] = checkSizes(o.poolSize, 1, 'poolSize', name, 'poolSize: 2') as [number];
  const [stride] = checkSizes(o.strides ?? poolSize, 1, 'strides', name, 'strides: 2') as [number];
  const padding = checkPadding(o.padding ?? 'valid', name);
  const dataFormat = checkDataFormat(o.dataFormat ?? 'channelsLast', name);
  const t = convert(x, name, 'x');
  if (t.rank !== 3) {
    const layout =
      dataFormat === 'channelsFirst' ? '[batch, channels, steps]' : '[batch, steps, channels]';
    const fix =
      t.rank === 4 ? `use ${name.slice(0, -2)} for images` : 'add a batch axis with sn.expandDims';
    throw new ShapeError(
      `${name}: expected rank 3 ${layout}, received shape ${formatShape(t.shape)}; ${fix}.`,
    );
  }
  const xf = floatDType(t, name);
  const first = dataFormat === 'channelsFirst';
  const last = first ? transpose(xf, [0, 2, 1]) : xf;
  const [b, steps, c] = last.shape as [number, number, number];
  if (padding === 'valid' && poolSize > steps) {
    throw new ShapeError(
      `${name}: the window (poolSize ${poolSize}) is longer than the ${steps} steps of the ` +
        `input (shape ${formatShape(t.shape)}) with padding 'valid'; use padding: 'same', a ` +
        'smaller poolSize or a longer input.',
    );
  }
  const y4 = poolChannelsLast(
    op,
    name,
    reshape(last, [b, 1, steps, c]),
    [1, poolSize],
    [1, stride],
    padding,
  );
  const y = reshape(y4, [b, y4.shape[2]!, c]);
  return first ? transpose(y, [0, 2, 1]) : y;
}

/** The kernel call on x [b, h, w, c] and its gradient, recorded beside it. */
function poolChannelsLast(
  op: PoolOp,
  name: PoolName,
  x: Tensor,
  poolSize: [number, number],
  strides: [number, number],
  padding: Padding,
): Tensor {
  const info = windowInfo(
    x.shape,
    { filter: poolSize, strides, dilations: [1, 1], padding, outChannels: x.shape[3]! },
    name,
  );
  const shape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
  const y = makeTensor(backend().pool2d(op, x, info), shape, x.dtype);
  recordPool(name, [x], [y], { op, x, info });
  return y;
}

function requirePoolSize(o: { poolSize?: unknown }, name: string, example: string): void {
  if (o.poolSize === undefined) {
    throw new ConfigError(`${name}: poolSize is required (the window size); e.g. ${example}.`);
  }
}

/** x as a rank-4 float tensor, or a ShapeError naming the layout expected. */
function floatInput(x: TensorLike, name: string, dataFormat: DataFormat, oneD: string): Tensor {
  const t = convert(x, name, 'x');
  if (t.rank !== 4) {
    const layout =
      dataFormat === 'channelsFirst'
        ? '[batch, channels, height, width]'
        : '[batch, height, width, channels]';
    throw new ShapeError(
      `${name}: expected rank 4 ${layout}, received shape ${formatShape(t.shape)}; add a ` +
        `batch axis with sn.expandDims, or for sequences use ${oneD}.`,
    );
  }
  return floatDType(t, name);
}

/** Floats pass; int32 becomes float32 (an average needs fractions); bool is refused. */
function floatDType(t: Tensor, name: string): Tensor {
  if (t.dtype === 'bool') {
    throw new DTypeError(
      `${name}: x must be numeric, received dtype bool. Cast masks first, e.g. sn.cast(mask, 'float32').`,
    );
  }
  return t.dtype === 'int32' ? cast(t, 'float32') : t;
}
