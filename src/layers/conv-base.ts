import { readDataFormat, writeDataFormat } from './data-format.js';
import { getActivation, activationName, type Activation } from '../activations/index.js';
import type { ActivationIdentifier } from '../activations/index.js';
import type { Constraint } from '../constraints/constraint.js';
import {
  constraintRegistry,
  getConstraint,
  type ConstraintIdentifier,
} from '../constraints/index.js';
import { ConfigError, ShapeError, describe } from '../errors.js';
import {
  getInitializer,
  initializerRegistry,
  type InitializerIdentifier,
} from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import { checkPadding, checkSizes, type DataFormat, type Padding } from '../ops/conv-geometry.js';
import { add, reshape } from '../ops/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { regularizerRegistry, type RegularizerIdentifier } from '../regularizers/index.js';
import { withoutNulls, type ConfigDict } from '../serialization.js';
import { Tensor } from '../tensor/tensor.js';
import { checkBoolean, pickOptions } from '../validation.js';
import {
  Layer,
  LAYER_OPTION_KEY_SET,
  type CallOptions,
  type LayerInput,
  type LayerOptions,
  type LayerOutput,
  type LayerVariable,
} from './layer.js';
import { formatSymbolicShape, type SymbolicShape, type SymbolicTensor } from './symbolic.js';
import { layout } from './pooling.js';
import { activeTap } from './taps.js';

/**
 * What every convolution layer shares (Conv1D, Conv2D, Conv2DTranspose, DepthwiseConv2D,
 * SeparableConv2D): the window options, the activation and the bias, the input checks, the
 * output-size rule and the common part of the config. Each variant adds its kernels in `build`
 * and its op in `convolve`.
 */

export interface BaseConvOptions extends LayerOptions {
  /** Window size: a number, or one per spatial axis ([height, width] for the 2-D layers). */
  kernelSize: number | readonly number[];
  /** Step between windows, per spatial axis or one for all (default 1). */
  strides?: number | readonly number[];
  /** 'valid' (default): only windows inside the input; 'same': zero-pad so out = ⌈in / stride⌉. */
  padding?: Padding;
  /** 'channelsLast' (default): [batch, ..., channels]; 'channelsFirst': [batch, channels, ...]. */
  dataFormat?: DataFormat;
  /** Spacing between the window's taps (atrous convolution; default 1). */
  dilationRate?: number | readonly number[];
  /** Activation by Keras name or object (default linear). */
  activation?: ActivationIdentifier;
  useBias?: boolean;
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  biasConstraint?: ConstraintIdentifier;
}
export const BASE_CONV_OPTION_KEY_SET = {
  ...LAYER_OPTION_KEY_SET,
  kernelSize: true,
  strides: true,
  padding: true,
  dataFormat: true,
  dilationRate: true,
  activation: true,
  useBias: true,
  biasInitializer: true,
  biasRegularizer: true,
  biasConstraint: true,
} as const;

/** Filters and a kernel named 'kernel' (Conv1D, Conv2D, Conv2DTranspose). */
export interface KernelConvOptions extends BaseConvOptions {
  /** Number of output channels. */
  filters: number;
  kernelInitializer?: InitializerIdentifier;
  /** A penalty on the kernel (the weights). */
  kernelRegularizer?: RegularizerIdentifier;
  kernelConstraint?: ConstraintIdentifier;
}
export const KERNEL_CONV_OPTION_KEY_SET = {
  ...BASE_CONV_OPTION_KEY_SET,
  filters: true,
  kernelInitializer: true,
  kernelRegularizer: true,
  kernelConstraint: true,
} as const;

/** TensorFlow's output size of one spatial axis (null stays null). */
export function convOutputLength(
  size: number | null,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding,
): number | null {
  if (size === null) return null;
  const span = (kernel - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - span + 1) / stride);
}

/**
 * The options of a conv layer's config read from a file: nulls dropped, Keras's data_format
 * spelling accepted, Keras 3's `groups` accepted when 1 (grouped convolution is not
 * supported), then only the class's keys kept (pickOptions warns about any other).
 */
export function convOptionsFromConfig(
  config: ConfigDict,
  keys: readonly string[],
  className: string,
): Record<string, unknown> {
  const { groups, ...rest } = withoutNulls(config);
  if (groups !== undefined && groups !== 1) {
    throw new ConfigError(
      `${className}: groups = ${describe(groups)} (a grouped convolution) is not supported; ` +
        'only groups: 1 can be read.',
    );
  }
  return pickOptions(rest, keys);
}

export abstract class BaseConv extends Layer {
  /** Number of spatial axes: 1 (Conv1D) or 2. */
  readonly rank: 1 | 2;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  biasConstraint: Constraint | undefined;
  bias: LayerVariable | undefined;
  /** The input channels the layer was built for. */
  #inChannels: number | undefined;

  protected constructor(options: BaseConvOptions, rank: 1 | 2) {
    super(options);
    this.rank = rank;
    const where = this.describeSelf();
    const factory = this.className.charAt(0).toLowerCase() + this.className.slice(1);
    const pair = rank === 1 ? '3' : '[3, 3]';
    this.kernelSize = checkSizes(
      options.kernelSize,
      rank,
      'kernelSize',
      where,
      `sn.layers.${factory}({ kernelSize: ${pair}, ... })`,
    );
    this.strides = checkSizes(
      options.strides ?? 1,
      rank,
      'strides',
      where,
      `strides: ${rank === 1 ? '2' : '[2, 2]'}`,
    );
    this.dilationRate = checkSizes(
      options.dilationRate ?? 1,
      rank,
      'dilationRate',
      where,
      `dilationRate: ${rank === 1 ? '2' : '[2, 2]'}`,
    );
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new ConfigError(
        `${where}: strides > 1 together with dilationRate > 1 is not supported (as in Keras), ` +
          `received strides [${this.strides.join(', ')}] and dilationRate [${this.dilationRate.join(', ')}]; ` +
          'use one of them, or follow a dilated convolution with a pooling layer.',
      );
    }
    if (options.padding === ('causal' as Padding)) {
      throw new ConfigError(
        `${where}: padding 'causal' is not supported; use 'valid' or 'same' (pad the start of ` +
          'the sequence with kernelSize − 1 zeros yourself for a causal convolution).',
      );
    }
    this.padding = checkPadding(options.padding ?? 'valid', where);
    this.dataFormat = readDataFormat(options.dataFormat, where);
    this.activation = getActivation(options.activation);
    this.useBias = checkBoolean(options.useBias, where, 'useBias', true);
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.biasRegularizer = options.biasRegularizer;
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  /** Settable at any time, also after build: the new penalty applies from the next step. */
  get biasRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('bias');
  }
  set biasRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('bias', id);
  }

  /** The channel axis of an input (or output) of rank `rank + 2`. */
  protected get channelAxis(): number {
    return this.dataFormat === 'channelsFirst' ? 1 : this.rank + 1;
  }

  /** Output channels for `inChannels` input channels. */
  protected abstract outChannels(inChannels: number): number;
  /** The convolution proper (no bias, no activation), in the layer's data format. */
  protected abstract convolve(x: Tensor): Tensor;
  /** The weights, for the channel message ("kernel [3, 3, 3, 8]"). */
  protected abstract describeKernel(): string;

  /** Checks rank and (once built) channels; returns the input channels. */
  protected checkInput(shape: SymbolicShape): number | null {
    const want = this.rank + 2;
    if (shape.length !== want) {
      const fix =
        shape.length === want - 1
          ? 'add a batch axis (sn.expandDims(x, 0) for one sample)' +
            (this.rank === 2 ? ', or use conv1d for sequences' : '')
          : this.rank === 1 && shape.length === 4
            ? 'use conv2d for images'
            : this.rank === 2 && shape.length === 3
              ? 'use conv1d for sequences'
              : `reshape the input to rank ${want}`;
      throw new ShapeError(
        `${this.describeSelf()} expected rank ${want} ${layout(this.rank, this.dataFormat)} input, received shape ` +
          `${formatSymbolicShape(shape)}; ${fix}.`,
      );
    }
    const channels = shape[this.channelAxis] ?? null;
    if (this.#inChannels !== undefined && channels !== null && channels !== this.#inChannels) {
      throw new ShapeError(
        `${this.describeSelf()} was built for ${this.#inChannels} input channels ` +
          `(${this.describeKernel()}) but received shape ${formatSymbolicShape(shape)} with ` +
          `${channels} channels on axis ${this.channelAxis} (${this.dataFormat}); feed ` +
          `${this.#inChannels}-channel inputs, or use a new layer for ${channels} channels.`,
      );
    }
    return channels;
  }

  /** Checks the input at build time; returns its channels, which must be known. */
  protected buildChannels(inputShape: SymbolicShape): number {
    const channels = this.checkInput(inputShape);
    if (channels === null) {
      throw new ConfigError(
        `${this.describeSelf()} needs a known channel dimension (axis ${this.channelAxis}, ` +
          `${this.dataFormat}), received shape ${formatSymbolicShape(inputShape)}.`,
      );
    }
    this.#inChannels = channels;
    return channels;
  }

  /** Adds the bias weight of `size` entries, if the layer uses one. */
  protected addBias(size: number): void {
    if (!this.useBias) return;
    this.bias = this.addWeight({
      name: 'bias',
      shape: [size],
      initializer: this.biasInitializer,
      regularizer: this.biasRegularizer,
      constraint: this.biasConstraint,
    });
  }

  /**
   * Checks a concrete input's rank before the base class builds the layer, so the message
   * shows the shape as given (build sees the batch axis as null).
   */
  override apply(inputs: Tensor, options?: CallOptions): Tensor;
  override apply(inputs: SymbolicTensor, options?: CallOptions): SymbolicTensor;
  override apply(
    inputs: readonly SymbolicTensor[],
    options?: CallOptions,
  ): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: LayerInput, options?: CallOptions): LayerOutput;
  override apply(
    inputs: LayerInput | SymbolicTensor | readonly SymbolicTensor[],
    options?: CallOptions,
  ): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    if (inputs instanceof Tensor) this.checkInput(inputs.shape);
    return super.apply(inputs as LayerInput, options);
  }

  call(inputs: Tensor | readonly Tensor[]): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : (inputs as Tensor);
    this.checkInput(x.shape);
    let y = this.convolve(x);
    if (this.bias) {
      // channelsFirst: the bias runs along axis 1, so it broadcasts as [channels, 1(, 1)].
      const bias =
        this.dataFormat === 'channelsFirst'
          ? reshape(this.bias, [-1, ...new Array<number>(this.rank).fill(1)])
          : this.bias;
      y = add(y, bias);
    }
    activeTap()?.onPreActivation?.(this, y);
    return this.activation.apply(y);
  }

  /** Spatial output sizes for the spatial input sizes (the forward convolution's rule). */
  protected outputSpace(space: readonly (number | null)[]): (number | null)[] {
    return space.map((size, i) =>
      convOutputLength(
        size,
        this.kernelSize[i]!,
        this.strides[i]!,
        this.dilationRate[i]!,
        this.padding,
      ),
    );
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const channels = this.checkInput(inputShape);
    const first = this.dataFormat === 'channelsFirst';
    const space = first ? inputShape.slice(2) : inputShape.slice(1, -1);
    const out = this.outputSpace(space);
    if (out.some((d) => d !== null && d <= 0)) {
      const spans = this.kernelSize.map((k, i) => (k - 1) * this.dilationRate[i]! + 1);
      throw new ShapeError(
        `${this.describeSelf()}: the window spans ${spans.join('×')} (kernelSize ` +
          `[${this.kernelSize.join(', ')}], dilationRate [${this.dilationRate.join(', ')}]) but ` +
          `the input is only ${space.join('×')} (shape ${formatSymbolicShape(inputShape)}) with ` +
          `padding 'valid'; use padding: 'same', a smaller kernel or a larger input.`,
      );
    }
    const filters = channels === null ? null : this.outChannels(channels);
    return first ? [inputShape[0]!, filters, ...out] : [inputShape[0]!, ...out, filters];
  }

  /** The shared config (Keras keys in camelCase; data_format as Keras writes it). */
  protected baseConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      dataFormat: writeDataFormat(this.dataFormat),
      dilationRate: this.dilationRate.slice(),
      activation: activationName(this.activation),
      useBias: this.useBias,
      biasInitializer: initializerRegistry.toJson(this.biasInitializer),
      biasRegularizer: regularizerRegistry.toJson(this.biasRegularizer),
      biasConstraint: constraintRegistry.toJson(this.biasConstraint),
    };
  }
}

/**
 * A convolution with `filters` output channels and one kernel named 'kernel' (Conv1D,
 * Conv2D, Conv2DTranspose).
 */
export abstract class KernelConv extends BaseConv {
  readonly filters: number;
  readonly kernelInitializer: Initializer;
  kernelConstraint: Constraint | undefined;
  kernel: LayerVariable | undefined;

  protected constructor(options: KernelConvOptions, rank: 1 | 2) {
    super(options, rank);
    const filters: unknown = options.filters;
    if (typeof filters !== 'number' || !Number.isInteger(filters) || filters < 1) {
      throw new ConfigError(
        `${this.describeSelf()}: filters must be a positive integer, received ${describe(filters)}; ` +
          `e.g. filters: 32.`,
      );
    }
    this.filters = filters;
    this.kernelInitializer = getInitializer(options.kernelInitializer ?? 'glorotUniform');
    this.kernelRegularizer = options.kernelRegularizer;
    this.kernelConstraint = getConstraint(options.kernelConstraint);
  }

  get kernelRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('kernel');
  }
  set kernelRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('kernel', id);
  }

  /** The kernel's shape for `inChannels` input channels. */
  protected kernelShape(inChannels: number): number[] {
    return [...this.kernelSize, inChannels, this.filters];
  }

  override build(inputShape: SymbolicShape): void {
    const channels = this.buildChannels(inputShape);
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: this.kernelShape(channels),
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.addBias(this.filters);
  }

  protected outChannels(): number {
    return this.filters;
  }

  protected describeKernel(): string {
    return `kernel [${this.kernel?.shape.join(', ') ?? ''}]`;
  }

  override getConfig(): ConfigDict {
    const base = this.baseConfig();
    return {
      ...base,
      filters: this.filters,
      kernelInitializer: initializerRegistry.toJson(this.kernelInitializer),
      kernelRegularizer: regularizerRegistry.toJson(this.kernelRegularizer),
      kernelConstraint: constraintRegistry.toJson(this.kernelConstraint),
    };
  }
}
