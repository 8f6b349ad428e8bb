import { ConfigError, ShapeError, describe } from '../errors.js';
import { pad } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { optionKeys } from '../validation.js';
import { readDataFormat, writeDataFormat } from './data-format.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';

/**
 * Zero-padding layers (ZeroPadding1D, ZeroPadding2D) and the argument forms they share with
 * the cropping layers (cropping.ts): an amount per side of each spatial axis, given as Keras
 * takes it, and the image layout `dataFormat`.
 */

import type { DataFormat } from '../ops/conv-geometry.js';

/** Where the channels are: [batch, height, width, channels] or [batch, channels, height, width]. */
export type { DataFormat };

/** An amount for both sides of both axes, per axis [rows, cols], or per side [[top, bottom], [left, right]]. */
export type Spatial2DAmount =
  | number
  | readonly [number, number]
  | readonly [readonly [number, number], readonly [number, number]];

/** An amount for both sides, or per side [before, after]. */
export type Spatial1DAmount = number | readonly [number, number];

const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
const isPair = (p: unknown): p is readonly [number, number] =>
  Array.isArray(p) && p.length === 2 && p.every(isCount);

/** Spatial1DAmount → [before, after], or a ConfigError naming the layer, the option and the forms. */
export function pairOf(value: unknown, where: string, arg: string): [number, number] {
  if (isCount(value)) return [value, value];
  if (isPair(value)) return [value[0], value[1]];
  throw new ConfigError(
    `${where}: ${arg} must be an integer >= 0 or a pair [before, after] of them, received ` +
      `${describe(value)}; e.g. ${arg}: 1 or ${arg}: [1, 2]`,
  );
}

/** Spatial2DAmount → [[top, bottom], [left, right]], or a ConfigError listing the three forms. */
export function pairsOf(
  value: unknown,
  where: string,
  arg: string,
): [[number, number], [number, number]] {
  if (isCount(value)) {
    return [
      [value, value],
      [value, value],
    ];
  }
  if (isPair(value)) {
    return [
      [value[0], value[0]],
      [value[1], value[1]],
    ];
  }
  if (Array.isArray(value) && value.length === 2 && value.every(isPair)) {
    const [[a, b], [c, d]] = value as [[number, number], [number, number]];
    return [
      [a, b],
      [c, d],
    ];
  }
  throw new ConfigError(
    `${where}: ${arg} must be an integer >= 0, a pair [rows, cols] or a pair of pairs ` +
      `[[top, bottom], [left, right]] of them, received ${describe(value)}; e.g. ${arg}: 1, ` +
      `${arg}: [1, 2] or ${arg}: [[1, 0], [2, 2]]`,
  );
}

/** The layout the 1-D layers read, for messages. */
export const STEPS_LAYOUT = '[batch, steps, features]';

/** The height and width axes of a rank-4 input. */
export function spatialAxes(format: DataFormat): [number, number] {
  return format === 'channelsLast' ? [1, 2] : [2, 3];
}

/** Refuses an input of another rank than the layer's (it would be padded on the wrong axes). */
export function checkRank(layer: Layer, shape: SymbolicShape, rank: number, layout: string): void {
  if (shape.length === rank) return;
  throw new ShapeError(
    `${layer.describeSelf()} expects input of rank ${rank} (${layout}), received shape ` +
      `${formatSymbolicShape(shape)}; reshape the data to that layout.`,
  );
}

/** The layout a rank-4 spatial layer reads, for messages. */
export function layoutOf(format: DataFormat): string {
  return format === 'channelsLast'
    ? '[batch, height, width, channels]'
    : '[batch, channels, height, width]';
}

export interface ZeroPadding1DOptions extends LayerOptions {
  /** Zeros added at the start and end of the steps axis: n for both, or [before, after] (default 1). */
  padding?: Spatial1DAmount;
}
export const ZERO_PADDING_1D_OPTION_KEYS = optionKeys<ZeroPadding1DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  padding: true,
});

/**
 * Pads the steps axis of a sequence with zeros (as Keras's ZeroPadding1D):
 * [batch, steps, features] → [batch, before + steps + after, features]. No weights.
 *
 *   sn.layers.zeroPadding1d({ padding: [2, 0] })   // causal padding before a conv1d
 */
export class ZeroPadding1D extends Layer {
  static override readonly className: string = 'ZeroPadding1D';
  static override readonly optionKeys: readonly string[] = ZERO_PADDING_1D_OPTION_KEYS;

  readonly padding: readonly [number, number];

  constructor(options: ZeroPadding1DOptions = {}) {
    super(options);
    this.padding = Object.freeze(pairOf(options.padding ?? 1, this.describeSelf(), 'padding'));
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    checkRank(this, x.shape, 3, STEPS_LAYOUT);
    return pad(
      x,
      x.shape.map((_, d) => (d === 1 ? this.padding : ([0, 0] as const))),
    );
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkRank(this, inputShape, 3, STEPS_LAYOUT);
    return inputShape.map((n, d) =>
      d === 1 && n !== null ? this.padding[0] + n + this.padding[1] : n,
    );
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), padding: [...this.padding] };
  }
}

export interface ZeroPadding2DOptions extends LayerOptions {
  /**
   * Zeros added around each image: n on every side, [rows, cols] (each on both sides), or
   * [[top, bottom], [left, right]] (default 1).
   */
  padding?: Spatial2DAmount;
  /** 'channelsLast' ([batch, height, width, channels], default) or 'channelsFirst'. */
  dataFormat?: DataFormat;
}
export const ZERO_PADDING_2D_OPTION_KEYS = optionKeys<ZeroPadding2DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  padding: true,
  dataFormat: true,
});

/**
 * Pads the height and width of images with zeros (as Keras's ZeroPadding2D):
 * [batch, h, w, c] → [batch, top + h + bottom, left + w + right, c] (channelsLast). No weights.
 *
 *   sn.layers.zeroPadding2d({ padding: 1 })                  // 28×28 → 30×30
 *   sn.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] })   // one row below, one column right
 */
export class ZeroPadding2D extends Layer {
  static override readonly className: string = 'ZeroPadding2D';
  static override readonly optionKeys: readonly string[] = ZERO_PADDING_2D_OPTION_KEYS;

  readonly padding: readonly [readonly [number, number], readonly [number, number]];
  readonly dataFormat: DataFormat;

  constructor(options: ZeroPadding2DOptions = {}) {
    super(options);
    const [rows, cols] = pairsOf(options.padding ?? 1, this.describeSelf(), 'padding');
    this.padding = Object.freeze([Object.freeze(rows), Object.freeze(cols)] as const);
    this.dataFormat = readDataFormat(options.dataFormat, this.describeSelf());
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    checkRank(this, x.shape, 4, layoutOf(this.dataFormat));
    const [h, w] = spatialAxes(this.dataFormat);
    return pad(
      x,
      x.shape.map((_, d) =>
        d === h ? this.padding[0] : d === w ? this.padding[1] : ([0, 0] as const),
      ),
    );
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkRank(this, inputShape, 4, layoutOf(this.dataFormat));
    const [h, w] = spatialAxes(this.dataFormat);
    return inputShape.map((n, d) => {
      const p = d === h ? this.padding[0] : d === w ? this.padding[1] : undefined;
      return p === undefined || n === null ? n : p[0] + n + p[1];
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      padding: this.padding.map((p) => [...p]),
      dataFormat: writeDataFormat(this.dataFormat),
    };
  }
}
