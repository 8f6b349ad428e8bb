import { readDataFormat, writeDataFormat } from './data-format.js';
import { ShapeError } from '../errors.js';
import { checkPadding, checkSizes, type DataFormat, type Padding } from '../ops/conv-geometry.js';
import { avgPool, avgPool1d, maxPool, maxPool1d } from '../ops/index.js';
import { withoutNulls, type ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionKeys, pickOptions } from '../validation.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';

/**
 * The window poolings as layers (Keras's MaxPooling1D/2D, AveragePooling1D/2D), and the
 * helpers the pooling and upsampling layers share: the data format in configs and the input
 * rank check.
 */

/**
 * The options in a config read from a file: nulls dropped, Keras's 'channels_last' spelling
 * of data_format accepted, one-element lists (Keras and TensorFlow.js write a 1-D pool_size
 * as [2]) unwrapped for `unwrap` keys, then only `keys` kept (pickOptions warns about others).
 */
export function layerOptionsFromConfig(
  config: ConfigDict,
  keys: readonly string[],
  unwrap: readonly string[] = [],
): Record<string, unknown> {
  const rest: Record<string, unknown> = withoutNulls(config);
  for (const key of unwrap) {
    const v = rest[key];
    if (Array.isArray(v) && v.length === 1) rest[key] = v[0];
  }
  return pickOptions(rest, keys);
}

/** '[batch, height, width, channels]' and the like, for messages. */
export function layout(spatialRank: 1 | 2, dataFormat: DataFormat): string {
  const space = spatialRank === 1 ? ['steps'] : ['height', 'width'];
  const axes =
    dataFormat === 'channelsFirst'
      ? ['batch', 'channels', ...space]
      : ['batch', ...space, 'channels'];
  return `[${axes.join(', ')}]`;
}

/**
 * A ShapeError unless `shape` has rank spatialRank + 2. `other` names the layer for the other
 * rank ('maxPooling1d'), suggested when the input has that rank.
 */
export function checkLayerRank(
  layer: Layer,
  shape: SymbolicShape,
  spatialRank: 1 | 2,
  dataFormat: DataFormat,
  other: string,
): void {
  const want = spatialRank + 2;
  if (shape.length === want) return;
  const otherRank = spatialRank === 1 ? 4 : 3;
  const fix =
    shape.length === otherRank
      ? `use ${other} for ${spatialRank === 1 ? 'images' : 'sequences'}`
      : shape.length === want - 1
        ? 'add a batch axis (sn.expandDims(x, 0) for one sample)'
        : `reshape the input to rank ${want}`;
  throw new ShapeError(
    `${layer.describeSelf()} expected rank ${want} ${layout(spatialRank, dataFormat)} input, ` +
      `received shape ${formatSymbolicShape(shape)}; ${fix}.`,
  );
}

export interface Pooling2DOptions extends LayerOptions {
  /** Window [height, width] or one number for both (default 2). */
  poolSize?: number | readonly [number, number];
  /** Step between windows (default: poolSize). */
  strides?: number | readonly [number, number];
  /** 'valid' (default): windows inside the input only; 'same': output ⌈in / stride⌉. */
  padding?: Padding;
  /** 'channelsLast' (default): [batch, height, width, channels]; or 'channelsFirst'. */
  dataFormat?: DataFormat;
}
export const POOLING_2D_OPTION_KEYS = optionKeys<Pooling2DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  poolSize: true,
  strides: true,
  padding: true,
  dataFormat: true,
});

export interface Pooling1DOptions extends LayerOptions {
  /** Window length (default 2). */
  poolSize?: number | readonly [number];
  /** Step between windows (default: poolSize). */
  strides?: number | readonly [number];
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
  /** 'channelsLast' (default): [batch, steps, channels]; or 'channelsFirst'. */
  dataFormat?: DataFormat;
}
export const POOLING_1D_OPTION_KEYS = optionKeys<Pooling1DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  poolSize: true,
  strides: true,
  padding: true,
  dataFormat: true,
});

/**
 * The shared part of the four window poolings: options, shapes, config. No weights.
 * Output length per spatial axis, as TensorFlow: ⌈(in − poolSize + 1) / stride⌉ ('valid') or
 * ⌈in / stride⌉ ('same'); an average leaves padded positions out of its count.
 */
abstract class Pooling extends Layer {
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly #spatialRank: 1 | 2;
  readonly #mode: 'max' | 'avg';

  constructor(
    options: Pooling1DOptions | Pooling2DOptions,
    spatialRank: 1 | 2,
    mode: 'max' | 'avg',
  ) {
    super(options);
    const where = this.describeSelf();
    const example = spatialRank === 1 ? 'poolSize: 2' : 'poolSize: 2 or poolSize: [2, 3]';
    this.poolSize = checkSizes(options?.poolSize ?? 2, spatialRank, 'poolSize', where, example);
    this.strides = checkSizes(
      options?.strides ?? this.poolSize,
      spatialRank,
      'strides',
      where,
      spatialRank === 1 ? 'strides: 2' : 'strides: 2 or strides: [1, 2]',
    );
    this.padding = checkPadding(options?.padding ?? 'valid', where);
    this.dataFormat = readDataFormat(options?.dataFormat, where);
    this.#spatialRank = spatialRank;
    this.#mode = mode;
  }

  /** The spatial axes of the input, in order. */
  #spatialAxes(): number[] {
    const start = this.dataFormat === 'channelsFirst' ? 2 : 1;
    return Array.from({ length: this.#spatialRank }, (_, i) => start + i);
  }

  #checkRank(shape: SymbolicShape): void {
    const name = this.#mode === 'max' ? 'maxPooling' : 'averagePooling';
    checkLayerRank(
      this,
      shape,
      this.#spatialRank,
      this.dataFormat,
      `${name}${3 - this.#spatialRank}d`,
    );
  }

  call(inputs: LayerInput): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : (inputs as Tensor);
    this.#checkRank(x.shape);
    const common = { padding: this.padding, dataFormat: this.dataFormat };
    if (this.#spatialRank === 1) {
      const options = { ...common, poolSize: this.poolSize[0]!, strides: this.strides[0]! };
      return this.#mode === 'max' ? maxPool1d(x, options) : avgPool1d(x, options);
    }
    const options = {
      ...common,
      poolSize: this.poolSize as [number, number],
      strides: this.strides as [number, number],
    };
    return this.#mode === 'max' ? maxPool(x, options) : avgPool(x, options);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    const out = inputShape.slice();
    this.#spatialAxes().forEach((axis, i) => {
      const size = inputShape[axis] ?? null;
      if (size === null) return;
      const k = this.poolSize[i]!;
      const s = this.strides[i]!;
      const n = this.padding === 'same' ? Math.ceil(size / s) : Math.ceil((size - k + 1) / s);
      if (n <= 0) {
        throw new ShapeError(
          `${this.describeSelf()}: the window (poolSize ${this.poolSize.join('×')}) is larger ` +
            `than the input (shape ${formatSymbolicShape(inputShape)}) with padding 'valid'; use ` +
            "padding: 'same', a smaller poolSize or a larger input.",
        );
      }
      out[axis] = n;
    });
    return out;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      poolSize: this.poolSize.slice(),
      padding: this.padding,
      strides: this.strides.slice(),
      dataFormat: writeDataFormat(this.dataFormat),
    };
  }
}

/**
 * Max pooling over windows of a sequence, as Keras's MaxPooling1D: each output step is the
 * largest value of its window, per channel.
 *
 * Input [batch, steps, channels] (channelsLast) → [batch, outSteps, channels]. No weights.
 *
 *   sn.layers.maxPooling1d({ poolSize: 2 })   // [32, 100, 16] → [32, 50, 16]
 */
export class MaxPooling1D extends Pooling {
  static override readonly className: string = 'MaxPooling1D';
  static override readonly optionKeys: readonly string[] = POOLING_1D_OPTION_KEYS;

  constructor(options: Pooling1DOptions = {}) {
    super(options, 1, 'max');
  }

  static override fromConfig(config: ConfigDict): MaxPooling1D {
    return new MaxPooling1D(
      layerOptionsFromConfig(config, POOLING_1D_OPTION_KEYS, ['poolSize', 'strides']),
    );
  }
}

/**
 * Average pooling over windows of a sequence, as Keras's AveragePooling1D: each output step
 * is the mean of its window's in-bounds values, per channel.
 *
 * Input [batch, steps, channels] (channelsLast) → [batch, outSteps, channels]. No weights.
 *
 *   sn.layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' })
 */
export class AveragePooling1D extends Pooling {
  static override readonly className: string = 'AveragePooling1D';
  static override readonly optionKeys: readonly string[] = POOLING_1D_OPTION_KEYS;

  constructor(options: Pooling1DOptions = {}) {
    super(options, 1, 'avg');
  }

  static override fromConfig(config: ConfigDict): AveragePooling1D {
    return new AveragePooling1D(
      layerOptionsFromConfig(config, POOLING_1D_OPTION_KEYS, ['poolSize', 'strides']),
    );
  }
}

/**
 * Max pooling over 2-D windows, as Keras's MaxPooling2D: each output is the largest value of
 * its poolSize window, per channel; the gradient flows to that maximum.
 *
 * Input [batch, height, width, channels] (channelsLast) → [batch, outHeight, outWidth,
 * channels]. No weights.
 *
 *   sn.layers.maxPooling2d({ poolSize: 2 })   // [32, 28, 28, 8] → [32, 14, 14, 8]
 */
export class MaxPooling2D extends Pooling {
  static override readonly className: string = 'MaxPooling2D';
  static override readonly optionKeys: readonly string[] = POOLING_2D_OPTION_KEYS;

  constructor(options: Pooling2DOptions = {}) {
    super(options, 2, 'max');
  }

  static override fromConfig(config: ConfigDict): MaxPooling2D {
    return new MaxPooling2D(layerOptionsFromConfig(config, POOLING_2D_OPTION_KEYS));
  }
}

/**
 * Average pooling over 2-D windows, as Keras's AveragePooling2D: each output is the mean of
 * its window's in-bounds values ('same' padding is not counted), per channel.
 *
 * Input [batch, height, width, channels] (channelsLast) → [batch, outHeight, outWidth,
 * channels]. No weights.
 *
 *   sn.layers.averagePooling2d({ poolSize: [2, 2], strides: 2 })
 */
export class AveragePooling2D extends Pooling {
  static override readonly className: string = 'AveragePooling2D';
  static override readonly optionKeys: readonly string[] = POOLING_2D_OPTION_KEYS;

  constructor(options: Pooling2DOptions = {}) {
    super(options, 2, 'avg');
  }

  static override fromConfig(config: ConfigDict): AveragePooling2D {
    return new AveragePooling2D(layerOptionsFromConfig(config, POOLING_2D_OPTION_KEYS));
  }
}
