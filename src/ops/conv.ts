import type { Conv2DInfo } from '../backends/backend.js';
import { ConfigError, DTypeError, ShapeError, describe } from '../errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { floatTypeOf, upcast } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionKeys } from '../validation.js';
import { cast } from './cast.js';
import { convForward, convInput } from './conv-core.js';
import {
  checkDataFormat,
  checkPadding,
  checkSizes,
  windowInfo,
  type DataFormat,
  type Padding,
} from './conv-geometry.js';
import { checkOptions, convert } from './op.js';
import { reshape, transpose } from './shape.js';

/**
 * Convolutions: conv2d, conv1d, conv2dTranspose, depthwiseConv2d, separableConv2d. Each works
 * on channels-last tensors through the backend's window kernels (conv-core.ts records their
 * gradients in its table, so this file has none); channelsFirst input is transposed to
 * channels-last and the result back.
 * Output sizes and 'same' padding follow TensorFlow (see conv-geometry.ts). As in every
 * framework, a "convolution" is a cross-correlation: the filter is not flipped.
 */

export interface Conv2DOptions {
  /** Step between windows: one number or [height, width] (default 1). */
  strides?: number | readonly [number, number];
  /** 'valid' (default): only windows inside the input; 'same': pad so out = ⌈in / stride⌉. */
  padding?: Padding;
  /** 'channelsLast' (default): [batch, height, width, channels]; 'channelsFirst': [batch, channels, height, width]. */
  dataFormat?: DataFormat;
  /** Spacing between filter taps: one number or [height, width] (default 1, no gaps). */
  dilations?: number | readonly [number, number];
}
const CONV2D_OPTION_KEYS = optionKeys<Conv2DOptions>()({
  strides: true,
  padding: true,
  dataFormat: true,
  dilations: true,
});

export interface Conv1DOptions {
  /** Step between windows: a number or [steps] (default 1). */
  strides?: number | readonly [number];
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
  /** 'channelsLast' (default): [batch, steps, channels]; 'channelsFirst': [batch, channels, steps]. */
  dataFormat?: DataFormat;
  /** Spacing between filter taps: a number or [steps] (default 1). */
  dilations?: number | readonly [number];
}
const CONV1D_OPTION_KEYS = optionKeys<Conv1DOptions>()({
  strides: true,
  padding: true,
  dataFormat: true,
  dilations: true,
});

export interface Conv2DTransposeOptions extends Conv2DOptions {
  /**
   * Extra rows and columns added to the output's bottom and right: one number or [height,
   * width], each from 0 to stride − 1 (default: none, the sizes of Keras's Conv2DTranspose).
   */
  outputPadding?: number | readonly [number, number];
}
const CONV2D_TRANSPOSE_OPTION_KEYS = optionKeys<Conv2DTransposeOptions>()({
  strides: true,
  padding: true,
  dataFormat: true,
  dilations: true,
  outputPadding: true,
});

export type DepthwiseConv2DOptions = Conv2DOptions;

export interface SeparableConv2DOptions extends Conv2DOptions {
  /** [filterHeight, filterWidth, inChannels, multiplier]: the per-channel spatial filters. */
  depthwiseFilter: TensorLike;
  /** [1, 1, inChannels · multiplier, outChannels]: the 1×1 convolution that mixes channels. */
  pointwiseFilter: TensorLike;
}
const SEPARABLE_CONV2D_OPTION_KEYS = optionKeys<SeparableConv2DOptions>()({
  depthwiseFilter: true,
  pointwiseFilter: true,
  strides: true,
  padding: true,
  dataFormat: true,
  dilations: true,
});

/**
 * 2-D convolution: x [batch, height, width, inChannels] (channelsLast) with filter
 * [filterHeight, filterWidth, inChannels, outChannels] → [batch, outHeight, outWidth,
 * outChannels], y[b, i, j, o] = Σ x[b, i·sh + p·dh − padTop, j·sw + q·dw − padLeft, c] ·
 * filter[p, q, c, o]. Output sizes as TensorFlow: 'valid' ⌈(in − (k − 1)·d) / s⌉, 'same' ⌈in / s⌉.
 *
 *   sn.conv2d(images, filter, { strides: 2, padding: 'same' })   // [8, 28, 28, 1] → [8, 14, 14, 16]
 */
export function conv2d(x: TensorLike, filter: TensorLike, options?: Conv2DOptions): Tensor {
  const o = checkOptions(
    options,
    'conv2d',
    "conv2d(x, filter, { padding: 'same' })",
    CONV2D_OPTION_KEYS,
  );
  const g = geometry(o, 'conv2d', 2);
  const [tx, tw] = floatOperands('conv2d', [
    [x, 'x'],
    [filter, 'filter'],
  ]) as [Tensor, Tensor];
  checkInputRank(
    'conv2d',
    tx,
    4,
    g.dataFormat,
    'add a batch axis (sn.expandDims(x, 0)) or use conv1d',
  );
  checkFilterRank('conv2d', 'filter', tw, '[filterHeight, filterWidth, inChannels, outChannels]');
  const xl = toChannelsLast(tx, g.dataFormat);
  checkChannels('conv2d', tx, xl.shape[3]!, tw, g.dataFormat);
  return fromChannelsLast(convolve(xl, tw, g, 'conv2d'), g.dataFormat);
}

/**
 * 1-D convolution: x [batch, steps, inChannels] (channelsLast) with filter [filterWidth,
 * inChannels, outChannels] → [batch, outSteps, outChannels]; a conv2d of height 1.
 *
 *   sn.conv1d(sequences, filter, { padding: 'same', dilations: 2 })
 */
export function conv1d(x: TensorLike, filter: TensorLike, options?: Conv1DOptions): Tensor {
  const o = checkOptions(
    options,
    'conv1d',
    "conv1d(x, filter, { padding: 'same' })",
    CONV1D_OPTION_KEYS,
  );
  const g = geometry(o, 'conv1d', 1);
  const [tx, tw] = floatOperands('conv1d', [
    [x, 'x'],
    [filter, 'filter'],
  ]) as [Tensor, Tensor];
  if (tx.rank !== 3) {
    const layout =
      g.dataFormat === 'channelsLast' ? '[batch, steps, channels]' : '[batch, channels, steps]';
    const fix = tx.rank === 4 ? 'use conv2d for images' : 'add a batch axis (sn.expandDims(x, 0))';
    throw new ShapeError(
      `conv1d: expected x of rank 3 ${layout}, received shape ${formatShape(tx.shape)}; ${fix}.`,
    );
  }
  if (tw.rank !== 3) {
    throw new ShapeError(
      `conv1d: expected filter of rank 3 [filterWidth, inChannels, outChannels], received shape ` +
        `${formatShape(tw.shape)}.`,
    );
  }
  const xl = g.dataFormat === 'channelsLast' ? tx : transpose(tx, [0, 2, 1]);
  const [batch, steps, channels] = xl.shape as [number, number, number];
  checkChannels('conv1d', tx, channels, tw, g.dataFormat, 1);
  const [width, inChannels, outChannels] = tw.shape as [number, number, number];
  const span = (width - 1) * g.dilations[1] + 1;
  if (g.padding === 'valid' && span > steps) {
    throw new ShapeError(
      `conv1d: the window spans ${span} steps (kernel ${width}, dilation ${g.dilations[1]}) but ` +
        `x has only ${steps} (shape ${formatShape(tx.shape)}) with padding 'valid'; use ` +
        `padding: 'same', a smaller kernel or a longer input.`,
    );
  }
  const y = convolve(
    reshape(xl, [batch, 1, steps, channels]),
    reshape(tw, [1, width, inChannels, outChannels]),
    g,
    'conv1d',
  );
  const yl = reshape(y, [batch, y.shape[2]!, outChannels]);
  return g.dataFormat === 'channelsLast' ? yl : transpose(yl, [0, 2, 1]);
}

/**
 * Transposed 2-D convolution (the gradient of a conv2d with respect to its input, often called
 * deconvolution): x [batch, height, width, inChannels] with filter [filterHeight, filterWidth,
 * outChannels, inChannels] (Keras's Conv2DTranspose kernel layout) → [batch, outHeight,
 * outWidth, outChannels]. Output sizes as Keras: 'valid' in·s + max(k − s, 0), 'same' in·s;
 * with outputPadding p: (in − 1)·s + k − 2·pad + p, pad = ⌊k / 2⌋ for 'same' and 0 for 'valid'
 * (k the dilated kernel size). A conv2d with the same settings maps the output back to x's size.
 *
 *   sn.conv2dTranspose(z, filter, { strides: 2, padding: 'same' })   // [8, 7, 7, 32] → [8, 14, 14, 16]
 */
export function conv2dTranspose(
  x: TensorLike,
  filter: TensorLike,
  options?: Conv2DTransposeOptions,
): Tensor {
  const where = 'conv2dTranspose';
  const o = checkOptions(
    options,
    where,
    'conv2dTranspose(x, filter, { strides: 2 })',
    CONV2D_TRANSPOSE_OPTION_KEYS,
  );
  const g = geometry(o, where, 2);
  const outputPadding = checkOutputPadding(o.outputPadding, g.strides, where);
  const [tx, tw] = floatOperands(where, [
    [x, 'x'],
    [filter, 'filter'],
  ]) as [Tensor, Tensor];
  checkInputRank(where, tx, 4, g.dataFormat, 'add a batch axis (sn.expandDims(x, 0))');
  checkFilterRank(where, 'filter', tw, '[filterHeight, filterWidth, outChannels, inChannels]');
  const xl = toChannelsLast(tx, g.dataFormat);
  const [batch, height, width, channels] = xl.shape as [number, number, number, number];
  const [fh, fw, outChannels, inChannels] = tw.shape as [number, number, number, number];
  if (channels !== inChannels) {
    throw new ShapeError(
      `${where}: x has ${channels} channels (shape ${formatShape(tx.shape)}, ${g.dataFormat}) but ` +
        `the filter [filterHeight, filterWidth, outChannels, inChannels] has shape ` +
        `${formatShape(tw.shape)}, so it expects ${inChannels}; the filter's last axis must be ` +
        `x's channel count (check dataFormat, or the filter layout: a conv2d filter has its axes ` +
        `2 and 3 the other way round).`,
    );
  }
  const sizes = [height, width].map((n, axis) =>
    transposedLength(n, [fh, fw][axis]!, g, axis, outputPadding?.[axis]),
  );
  // The conv2d whose input gradient this is: its input is our output, its output our input.
  const info = windowInfo(
    [batch, sizes[0]!, sizes[1]!, outChannels],
    {
      filter: [fh, fw],
      strides: g.strides,
      dilations: g.dilations,
      padding: g.padding,
      outChannels: inChannels,
    },
    where,
  );
  if (info.outHeight !== height || info.outWidth !== width) {
    throw new ConfigError(
      `${where}: with outputPadding ${describe(o.outputPadding)}, kernel ${fh}×${fw}, strides ` +
        `${g.strides.join('×')} and padding '${g.padding}', the output would be ` +
        `${sizes.join('×')}, which a conv2d with these settings maps to ` +
        `${info.outHeight}×${info.outWidth}, not x's ${height}×${width}; use a larger ` +
        `outputPadding (below the stride) or leave it unset.`,
    );
  }
  return fromChannelsLast(convInput('conv2d', xl, tw, info), g.dataFormat);
}

/**
 * Depthwise 2-D convolution: each input channel convolved with its own `multiplier` filters,
 * x [batch, height, width, inChannels] with filter [filterHeight, filterWidth, inChannels,
 * multiplier] → [batch, outHeight, outWidth, inChannels · multiplier]; output channel c·m + q
 * is input channel c with filter[:, :, c, q].
 *
 *   sn.depthwiseConv2d(x, filter, { padding: 'same' })
 */
export function depthwiseConv2d(
  x: TensorLike,
  filter: TensorLike,
  options?: DepthwiseConv2DOptions,
): Tensor {
  const where = 'depthwiseConv2d';
  const o = checkOptions(
    options,
    where,
    "depthwiseConv2d(x, filter, { padding: 'same' })",
    CONV2D_OPTION_KEYS,
  );
  const g = geometry(o, where, 2);
  const [tx, tw] = floatOperands(where, [
    [x, 'x'],
    [filter, 'filter'],
  ]) as [Tensor, Tensor];
  checkInputRank(where, tx, 4, g.dataFormat, 'add a batch axis (sn.expandDims(x, 0))');
  checkFilterRank(where, 'filter', tw, '[filterHeight, filterWidth, inChannels, multiplier]');
  const xl = toChannelsLast(tx, g.dataFormat);
  checkChannels(where, tx, xl.shape[3]!, tw, g.dataFormat);
  return fromChannelsLast(depthwise(xl, tw, g, where), g.dataFormat);
}

/**
 * Depthwise-separable 2-D convolution: a depthwiseConv2d with `depthwiseFilter` [filterHeight,
 * filterWidth, inChannels, multiplier] (strides, padding and dilations apply here), then a 1×1
 * conv2d with `pointwiseFilter` [1, 1, inChannels · multiplier, outChannels] →
 * [batch, outHeight, outWidth, outChannels]. Both filters are options (two positionals at most).
 *
 *   sn.separableConv2d(x, { depthwiseFilter, pointwiseFilter, padding: 'same' })
 */
export function separableConv2d(x: TensorLike, options: SeparableConv2DOptions): Tensor {
  const where = 'separableConv2d';
  const o = checkOptions(
    options,
    where,
    'separableConv2d(x, { depthwiseFilter, pointwiseFilter })',
    SEPARABLE_CONV2D_OPTION_KEYS,
  );
  const g = geometry(o, where, 2);
  const [tx, td, tp] = floatOperands(where, [
    [x, 'x'],
    [o.depthwiseFilter, 'depthwiseFilter'],
    [o.pointwiseFilter, 'pointwiseFilter'],
  ]) as [Tensor, Tensor, Tensor];
  checkInputRank(where, tx, 4, g.dataFormat, 'add a batch axis (sn.expandDims(x, 0))');
  checkFilterRank(
    where,
    'depthwiseFilter',
    td,
    '[filterHeight, filterWidth, inChannels, multiplier]',
  );
  checkFilterRank(where, 'pointwiseFilter', tp, '[1, 1, inChannels · multiplier, outChannels]');
  const xl = toChannelsLast(tx, g.dataFormat);
  checkChannels(where, tx, xl.shape[3]!, td, g.dataFormat);
  const [, , cin, multiplier] = td.shape as [number, number, number, number];
  const [ph, pw, pin] = tp.shape as [number, number, number, number];
  if (ph !== 1 || pw !== 1 || pin !== cin * multiplier) {
    throw new ShapeError(
      `${where}: pointwiseFilter must have shape [1, 1, ${cin * multiplier}, outChannels] ` +
        `(inChannels ${cin} · multiplier ${multiplier} from depthwiseFilter shape ` +
        `${formatShape(td.shape)}), received shape ${formatShape(tp.shape)}; make its first two ` +
        `axes 1 and its third ${cin * multiplier}.`,
    );
  }
  const mid = depthwise(xl, td, g, where);
  const pointwise = {
    strides: [1, 1],
    dilations: [1, 1],
    padding: 'valid',
    dataFormat: 'channelsLast',
  } as const;
  return fromChannelsLast(convolve(mid, tp, pointwise, where), g.dataFormat);
}

// --- shared checks and plumbing

interface Geometry {
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
}

/** Strides, dilations, padding and dataFormat checked; a 1-D op's sizes get a height of 1. */
function geometry(o: Conv2DOptions | Conv1DOptions, where: string, rank: 1 | 2): Geometry {
  const example = rank === 1 ? '2' : '2 or [2, 1]';
  const strides = checkSizes(o.strides ?? 1, rank, 'strides', where, `strides: ${example}`);
  const dilations = checkSizes(o.dilations ?? 1, rank, 'dilations', where, `dilations: ${example}`);
  const pair = (v: number[]): [number, number] => (rank === 1 ? [1, v[0]!] : [v[0]!, v[1]!]);
  return {
    strides: pair(strides),
    dilations: pair(dilations),
    padding: checkPadding(o.padding ?? 'valid', where),
    dataFormat: checkDataFormat(o.dataFormat ?? 'channelsLast', where),
  };
}

/** outputPadding as a pair of whole numbers below the strides, or undefined when not given. */
function checkOutputPadding(
  value: unknown,
  strides: readonly [number, number],
  where: string,
): [number, number] | undefined {
  if (value === undefined) return undefined;
  const pair = typeof value === 'number' ? [value, value] : value;
  if (
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every((v, i) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < strides[i]!)
  ) {
    throw new ConfigError(
      `${where}: outputPadding must be a whole number or a pair of them, each from 0 to ` +
        `stride − 1 (strides ${strides.join('×')}), received ${describe(value)}; e.g. ` +
        `outputPadding: 1 with strides: 2, or leave it unset.`,
    );
  }
  return pair as [number, number];
}

/** Keras's deconv_output_length along one axis. */
function transposedLength(
  n: number,
  k: number,
  g: Geometry,
  axis: number,
  outputPadding: number | undefined,
): number {
  const s = g.strides[axis]!;
  const span = (k - 1) * g.dilations[axis]! + 1;
  if (outputPadding === undefined) {
    return g.padding === 'valid' ? n * s + Math.max(span - s, 0) : n * s;
  }
  const pad = g.padding === 'same' ? Math.floor(span / 2) : 0;
  return (n - 1) * s + span - 2 * pad + outputPadding;
}

/** The operands as tensors of one float dtype (ints become float32); bool is refused. */
function floatOperands(where: string, operands: readonly [TensorLike, string][]): Tensor[] {
  const ts = operands.map(([value, name]) => convert(value, where, name));
  const bool = ts.findIndex((t) => t.dtype === 'bool');
  if (bool >= 0) {
    throw new DTypeError(
      `${where}: '${operands[bool]![1]}' must be numeric, received dtype bool; cast it first, ` +
        `e.g. sn.cast(mask, 'float32').`,
    );
  }
  const dtype = floatTypeOf(ts.map((t) => t.dtype).reduce(upcast));
  return ts.map((t) => cast(t, dtype));
}

function checkInputRank(
  where: string,
  x: Tensor,
  rank: 4,
  dataFormat: DataFormat,
  fix: string,
): void {
  if (x.rank === rank) return;
  const layout =
    dataFormat === 'channelsLast'
      ? '[batch, height, width, channels]'
      : '[batch, channels, height, width]';
  throw new ShapeError(
    `${where}: expected x of rank ${rank} ${layout}, received shape ${formatShape(x.shape)}; ${fix}.`,
  );
}

function checkFilterRank(where: string, name: string, filter: Tensor, layout: string): void {
  if (filter.rank === 4) return;
  throw new ShapeError(
    `${where}: expected ${name} of rank 4 ${layout}, received shape ${formatShape(filter.shape)}.`,
  );
}

/** The filter's inChannels axis (axis 2, or 1 for conv1d) must equal x's channel count. */
function checkChannels(
  where: string,
  x: Tensor,
  channels: number,
  filter: Tensor,
  dataFormat: DataFormat,
  axis = 2,
): void {
  const expected = filter.shape[axis]!;
  if (channels === expected) return;
  throw new ShapeError(
    `${where}: x has ${channels} channels (shape ${formatShape(x.shape)}, ${dataFormat}) but the ` +
      `filter has shape ${formatShape(filter.shape)}, whose inChannels (axis ${axis}) is ` +
      `${expected}; give the filter ${channels} input channels, or check dataFormat.`,
  );
}

function toChannelsLast(x: Tensor, dataFormat: DataFormat): Tensor {
  return dataFormat === 'channelsLast' ? x : transpose(x, [0, 2, 3, 1]);
}

function fromChannelsLast(y: Tensor, dataFormat: DataFormat): Tensor {
  return dataFormat === 'channelsLast' ? y : transpose(y, [0, 3, 1, 2]);
}

function info(
  x: Tensor,
  filter: Tensor,
  g: Geometry,
  outChannels: number,
  where: string,
): Conv2DInfo {
  const [fh, fw] = filter.shape as [number, number];
  return windowInfo(
    x.shape,
    {
      filter: [fh, fw],
      strides: g.strides,
      dilations: g.dilations,
      padding: g.padding,
      outChannels,
    },
    where,
  );
}

/** conv2d on channels-last x whose channels were checked against the filter. */
function convolve(x: Tensor, filter: Tensor, g: Geometry, where: string): Tensor {
  return convForward('conv2d', x, filter, info(x, filter, g, filter.shape[3]!, where));
}

/** depthwiseConv2d on channels-last x whose channels were checked against the filter. */
function depthwise(x: Tensor, filter: Tensor, g: Geometry, where: string): Tensor {
  const outChannels = filter.shape[2]! * filter.shape[3]!;
  return convForward('depthwise', x, filter, info(x, filter, g, outChannels, where));
}
