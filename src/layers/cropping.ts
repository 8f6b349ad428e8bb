import { readDataFormat, writeDataFormat } from './data-format.js';
import { ShapeError } from '../errors.js';
import { slice } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import {
  STEPS_LAYOUT,
  checkRank,
  layoutOf,
  pairOf,
  pairsOf,
  spatialAxes,
  type DataFormat,
  type Spatial1DAmount,
  type Spatial2DAmount,
} from './padding.js';
import { optionKeys } from '../validation.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';

/**
 * Cropping layers (Cropping1D, Cropping2D): remove entries from the ends of the spatial axes,
 * the inverse of the zero-padding layers, with the same argument forms (padding.ts).
 */

/**
 * The size left on `axis` after cropping [before, after] from it; a ShapeError (naming the
 * layer, the shape and the crop) when nothing would be left, as Keras refuses it.
 */
function cropped(
  layer: Layer,
  shape: SymbolicShape,
  axis: number,
  crop: readonly [number, number],
  what: string,
): number | null {
  const n = shape[axis] ?? null;
  if (n === null) return null;
  if (crop[0] + crop[1] >= n) {
    throw new ShapeError(
      `${layer.describeSelf()} cannot crop ${crop[0]} + ${crop[1]} ${what} from input of shape ` +
        `${formatSymbolicShape(shape)}, which has ${n} ${what} (axis ${axis}); the cropping must ` +
        `leave at least one: make it smaller, or the input larger.`,
    );
  }
  return n - crop[0] - crop[1];
}

/** x with [before, after] entries removed from each axis in `crops` (axis → crop). */
function crop(x: Tensor, crops: ReadonlyMap<number, readonly [number, number]>): Tensor {
  const begin = x.shape.map((_, d) => crops.get(d)?.[0] ?? 0);
  const size = x.shape.map((n, d) => {
    const c = crops.get(d);
    return c === undefined ? n : n - c[0] - c[1];
  });
  return slice(x, begin, { size });
}

export interface Cropping1DOptions extends LayerOptions {
  /** Entries removed from the start and end of the steps axis: n for both, or [before, after] (default 1). */
  cropping?: Spatial1DAmount;
}
export const CROPPING_1D_OPTION_KEYS = optionKeys<Cropping1DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  cropping: true,
});

/**
 * Crops the steps axis of a sequence (as Keras's Cropping1D):
 * [batch, steps, features] → [batch, steps − before − after, features]. No weights.
 *
 *   sn.layers.cropping1d({ cropping: [1, 2] })   // [8, 10, 3] → [8, 7, 3]
 */
export class Cropping1D extends Layer {
  static override readonly className: string = 'Cropping1D';
  static override readonly optionKeys: readonly string[] = CROPPING_1D_OPTION_KEYS;

  readonly cropping: readonly [number, number];

  constructor(options: Cropping1DOptions = {}) {
    super(options);
    this.cropping = Object.freeze(pairOf(options.cropping ?? 1, this.describeSelf(), 'cropping'));
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    this.computeOutputShape(x.shape);
    return crop(x, new Map([[1, this.cropping]]));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkRank(this, inputShape, 3, STEPS_LAYOUT);
    const steps = cropped(this, inputShape, 1, this.cropping, 'steps');
    return [inputShape[0] ?? null, steps, inputShape[2] ?? null];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), cropping: [...this.cropping] };
  }
}

export interface Cropping2DOptions extends LayerOptions {
  /**
   * Entries removed around each image: n on every side, [rows, cols] (each on both sides), or
   * [[top, bottom], [left, right]] (default 0, as Keras).
   */
  cropping?: Spatial2DAmount;
  /** 'channelsLast' ([batch, height, width, channels], default) or 'channelsFirst'. */
  dataFormat?: DataFormat;
}
export const CROPPING_2D_OPTION_KEYS = optionKeys<Cropping2DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  cropping: true,
  dataFormat: true,
});

/**
 * Crops the height and width of images (as Keras's Cropping2D):
 * [batch, h, w, c] → [batch, h − top − bottom, w − left − right, c] (channelsLast). No weights.
 *
 *   sn.layers.cropping2d({ cropping: [[2, 2], [4, 4]] })   // [8, 32, 32, 3] → [8, 28, 24, 3]
 */
export class Cropping2D extends Layer {
  static override readonly className: string = 'Cropping2D';
  static override readonly optionKeys: readonly string[] = CROPPING_2D_OPTION_KEYS;

  readonly cropping: readonly [readonly [number, number], readonly [number, number]];
  readonly dataFormat: DataFormat;

  constructor(options: Cropping2DOptions = {}) {
    super(options);
    const [rows, cols] = pairsOf(options.cropping ?? 0, this.describeSelf(), 'cropping');
    this.cropping = Object.freeze([Object.freeze(rows), Object.freeze(cols)] as const);
    this.dataFormat = readDataFormat(options.dataFormat, this.describeSelf());
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    this.computeOutputShape(x.shape);
    const [h, w] = spatialAxes(this.dataFormat);
    return crop(
      x,
      new Map([
        [h, this.cropping[0]],
        [w, this.cropping[1]],
      ]),
    );
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkRank(this, inputShape, 4, layoutOf(this.dataFormat));
    const [h, w] = spatialAxes(this.dataFormat);
    const out = inputShape.slice();
    out[h] = cropped(this, inputShape, h, this.cropping[0], 'rows');
    out[w] = cropped(this, inputShape, w, this.cropping[1], 'columns');
    return out;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      cropping: this.cropping.map((c) => [...c]),
      dataFormat: writeDataFormat(this.dataFormat),
    };
  }
}
