import { ConfigError, describe } from '../errors.js';
import { conv1d, conv2d, conv2dTranspose } from '../ops/index.js';
import type { Padding } from '../ops/conv-geometry.js';
import { fromConfigDefault, type ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionKeys } from '../validation.js';
import {
  KERNEL_CONV_OPTION_KEY_SET,
  KernelConv,
  convOptionsFromConfig,
  type KernelConvOptions,
} from './conv-base.js';

export type Conv1DOptions = KernelConvOptions;
export const CONV1D_OPTION_KEYS = optionKeys<Conv1DOptions>()(KERNEL_CONV_OPTION_KEY_SET);

/**
 * A 1-D convolution over sequences (temporal convolution):
 *
 *   output[b, t, f] = activation(Σ_{k, c} input[b, t·s + k·d − pad, c] · kernel[k, c, f] + bias[f])
 *
 * Input [batch, steps, channels] (channelsLast) → output [batch, outSteps, filters], outSteps
 * = ⌈(steps − (kernelSize − 1)·dilation) / stride⌉ for 'valid', ⌈steps / stride⌉ for 'same'.
 * Weights: kernel [kernelSize, channels, filters], bias [filters].
 *
 *   sn.layers.conv1d({ filters: 16, kernelSize: 5, activation: 'relu', inputShape: [100, 8] })
 */
export class Conv1D extends KernelConv {
  static override readonly className: string = 'Conv1D';
  static override readonly optionKeys: readonly string[] = CONV1D_OPTION_KEYS;

  constructor(options: Conv1DOptions) {
    super(options, 1);
  }

  protected convolve(x: Tensor): Tensor {
    return conv1d(x, this.kernel!, {
      strides: this.strides[0]!,
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilations: this.dilationRate[0]!,
    });
  }

  static override fromConfig(config: ConfigDict): Conv1D {
    return fromConfigDefault(this, convOptionsFromConfig(config, CONV1D_OPTION_KEYS, 'Conv1D'));
  }
}

export type Conv2DOptions = KernelConvOptions;
export const CONV2D_OPTION_KEYS = optionKeys<Conv2DOptions>()(KERNEL_CONV_OPTION_KEY_SET);

/**
 * A 2-D convolution over images (spatial convolution):
 *
 *   output[b, i, j, f] = activation(Σ_{u, v, c} input[b, i·sh + u·dh − top, j·sw + v·dw − left, c]
 *                                    · kernel[u, v, c, f] + bias[f])
 *
 * Input [batch, height, width, channels] (channelsLast; [batch, channels, height, width] for
 * channelsFirst) → output [batch, outHeight, outWidth, filters], each output size as Conv1D's.
 * Weights: kernel [kernelHeight, kernelWidth, channels, filters], bias [filters].
 *
 *   sn.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] })
 */
export class Conv2D extends KernelConv {
  static override readonly className: string = 'Conv2D';
  static override readonly optionKeys: readonly string[] = CONV2D_OPTION_KEYS;

  constructor(options: Conv2DOptions) {
    super(options, 2);
  }

  protected convolve(x: Tensor): Tensor {
    return conv2d(x, this.kernel!, {
      strides: [this.strides[0]!, this.strides[1]!],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilations: [this.dilationRate[0]!, this.dilationRate[1]!],
    });
  }

  static override fromConfig(config: ConfigDict): Conv2D {
    return fromConfigDefault(this, convOptionsFromConfig(config, CONV2D_OPTION_KEYS, 'Conv2D'));
  }
}

export interface Conv2DTransposeOptions extends KernelConvOptions {
  /**
   * Extra rows and columns added to one side of the output (default: none, and the output
   * size is in·stride for 'same'); each must be smaller than its stride.
   */
  outputPadding?: number | readonly number[];
}
export const CONV2D_TRANSPOSE_OPTION_KEYS = optionKeys<Conv2DTransposeOptions>()({
  ...KERNEL_CONV_OPTION_KEY_SET,
  outputPadding: true,
});

/** Keras's deconv_output_length for one axis (null stays null). */
export function deconvOutputLength(
  size: number | null,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding,
  outputPadding: number | undefined,
): number | null {
  if (size === null) return null;
  const span = (kernel - 1) * dilation + 1;
  if (outputPadding === undefined) {
    return padding === 'valid' ? size * stride + Math.max(span - stride, 0) : size * stride;
  }
  const pad = padding === 'same' ? Math.floor(span / 2) : 0;
  return (size - 1) * stride + span - 2 * pad + outputPadding;
}

/**
 * A transposed 2-D convolution (sometimes called deconvolution): the gradient of a Conv2D with
 * respect to its input, used to upsample (a decoder, a segmentation head). Each input pixel
 * scatters kernel · value into a stride-spaced window of the output.
 *
 * Input [batch, height, width, channels] → output [batch, outHeight, outWidth, filters] with
 * outHeight = height·stride for 'same', height·stride + max(kernel − stride, 0) for 'valid'
 * (Keras's deconv_output_length; with outputPadding p: (height − 1)·stride + kernel − 2·pad + p).
 * Weights: kernel [kernelHeight, kernelWidth, filters, channels] (note: filters before
 * channels, as Keras), bias [filters].
 *
 *   sn.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same' })
 */
export class Conv2DTranspose extends KernelConv {
  static override readonly className: string = 'Conv2DTranspose';
  static override readonly optionKeys: readonly string[] = CONV2D_TRANSPOSE_OPTION_KEYS;

  readonly outputPadding: number[] | undefined;

  constructor(options: Conv2DTransposeOptions) {
    super(options, 2);
    const op: unknown = options.outputPadding;
    if (op === undefined) {
      this.outputPadding = undefined;
    } else {
      const list = typeof op === 'number' ? [op, op] : op;
      if (
        !Array.isArray(list) ||
        list.length !== 2 ||
        !list.every((v, i) => Number.isInteger(v) && v >= 0 && v < this.strides[i]!)
      ) {
        throw new ConfigError(
          `${this.describeSelf()}: outputPadding must be a whole number >= 0 (or a pair) ` +
            `smaller than the stride [${this.strides.join(', ')}], received ${describe(op)}; ` +
            'e.g. strides: 2, outputPadding: 1.',
        );
      }
      this.outputPadding = list as number[];
    }
  }

  protected override kernelShape(inChannels: number): number[] {
    return [...this.kernelSize, this.filters, inChannels];
  }

  protected convolve(x: Tensor): Tensor {
    return conv2dTranspose(x, this.kernel!, {
      strides: [this.strides[0]!, this.strides[1]!],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilations: [this.dilationRate[0]!, this.dilationRate[1]!],
      ...(this.outputPadding && {
        outputPadding: [this.outputPadding[0]!, this.outputPadding[1]!] as [number, number],
      }),
    });
  }

  protected override outputSpace(space: readonly (number | null)[]): (number | null)[] {
    return space.map((size, i) =>
      deconvOutputLength(
        size,
        this.kernelSize[i]!,
        this.strides[i]!,
        this.dilationRate[i]!,
        this.padding,
        this.outputPadding?.[i],
      ),
    );
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), outputPadding: this.outputPadding?.slice() ?? null };
  }

  static override fromConfig(config: ConfigDict): Conv2DTranspose {
    return fromConfigDefault(
      this,
      convOptionsFromConfig(config, CONV2D_TRANSPOSE_OPTION_KEYS, 'Conv2DTranspose'),
    );
  }
}
