import type { Conv2DInfo } from '../backends/backend.js';
import { ConfigError, ShapeError, describe } from '../errors.js';
import { formatShape, type Shape } from '../tensor/shape.js';

/**
 * The geometry shared by every window op (convolutions, poolings): option checks for strides,
 * dilations, padding and data format, and the Conv2DInfo a backend kernel receives. A 1-D op
 * is a 2-D one with a height of 1.
 *
 * Output sizes follow TensorFlow: 'valid' keeps the windows that fit inside the input,
 * out = ⌈(in − (k − 1)·d) / s⌉; 'same' gives out = ⌈in / s⌉ and pads with
 * max((out − 1)·s + (k − 1)·d + 1 − in, 0) zeros, the smaller half before (top, left).
 */

export type Padding = 'valid' | 'same';
export type DataFormat = 'channelsLast' | 'channelsFirst';

export const PADDINGS: readonly Padding[] = ['valid', 'same'];
export const DATA_FORMATS: readonly DataFormat[] = ['channelsLast', 'channelsFirst'];

/** A size given as one number or one per spatial axis, each a whole number ≥ 1. */
export function checkSizes(
  value: unknown,
  rank: 1 | 2,
  what: string,
  where: string,
  example: string,
): number[] {
  const list = typeof value === 'number' ? new Array<number>(rank).fill(value) : value;
  if (
    !Array.isArray(list) ||
    list.length !== rank ||
    !list.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 1)
  ) {
    const form = rank === 1 ? 'a whole number >= 1' : 'a whole number >= 1 or a pair of them';
    throw new ConfigError(
      `${where}: ${what} must be ${form}, received ${describe(value)}; e.g. ${example}.`,
    );
  }
  return list as number[];
}

export function checkPadding(value: unknown, where: string): Padding {
  if (!PADDINGS.includes(value as Padding)) {
    throw new ConfigError(
      `${where}: padding must be 'valid' or 'same', received ${describe(value)}.`,
    );
  }
  return value as Padding;
}

export function checkDataFormat(value: unknown, where: string): DataFormat {
  if (!DATA_FORMATS.includes(value as DataFormat)) {
    throw new ConfigError(
      `${where}: dataFormat must be 'channelsLast' or 'channelsFirst', received ` +
        `${describe(value)}.`,
    );
  }
  return value as DataFormat;
}

/** One spatial axis: output size and padding before it. */
function axisGeometry(
  size: number,
  filter: number,
  stride: number,
  dilation: number,
  padding: Padding,
): { out: number; before: number } {
  const span = (filter - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.ceil((size - span + 1) / stride), before: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + span - size, 0);
  return { out, before: Math.floor(total / 2) };
}

export interface WindowOptions {
  /** [filterHeight, filterWidth]. */
  readonly filter: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: Padding;
  /** Output channels (for a pooling: the input channels). */
  readonly outChannels: number;
}

/**
 * The Conv2DInfo for channels-last x [batch, height, width, channels]. Throws a ShapeError
 * naming `where` when a window (with its dilation) is larger than the input under 'valid'
 * padding, so that no output position would remain.
 */
export function windowInfo(xShape: Shape, options: WindowOptions, where: string): Conv2DInfo {
  const [batch, inHeight, inWidth, inChannels] = xShape as [number, number, number, number];
  const [filterHeight, filterWidth] = options.filter;
  const [strideHeight, strideWidth] = options.strides;
  const [dilationHeight, dilationWidth] = options.dilations;
  const rows = axisGeometry(inHeight, filterHeight, strideHeight, dilationHeight, options.padding);
  const cols = axisGeometry(inWidth, filterWidth, strideWidth, dilationWidth, options.padding);
  if (rows.out <= 0 || cols.out <= 0) {
    const spanH = (filterHeight - 1) * dilationHeight + 1;
    const spanW = (filterWidth - 1) * dilationWidth + 1;
    throw new ShapeError(
      `${where}: the window spans ${spanH}×${spanW} (kernel ${filterHeight}×${filterWidth}, ` +
        `dilation ${dilationHeight}×${dilationWidth}) but the input is only ` +
        `${inHeight}×${inWidth} (shape ${formatShape(xShape)}) with padding 'valid'; use ` +
        `padding: 'same', a smaller kernel or a larger input.`,
    );
  }
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    outHeight: rows.out,
    outWidth: cols.out,
    outChannels: options.outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    padTop: rows.before,
    padLeft: cols.before,
  };
}
