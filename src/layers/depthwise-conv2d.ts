import type { Constraint } from '../constraints/constraint.js';
import {
  constraintRegistry,
  getConstraint,
  type ConstraintIdentifier,
} from '../constraints/index.js';
import { ConfigError, describe } from '../errors.js';
import {
  getInitializer,
  initializerRegistry,
  type InitializerIdentifier,
} from '../initializers/index.js';
import type { Initializer } from '../initializers/initializer.js';
import { depthwiseConv2d } from '../ops/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { regularizerRegistry, type RegularizerIdentifier } from '../regularizers/index.js';
import { fromConfigDefault, type ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionKeys } from '../validation.js';
import {
  BASE_CONV_OPTION_KEY_SET,
  BaseConv,
  convOptionsFromConfig,
  type BaseConvOptions,
} from './conv-base.js';
import type { LayerVariable } from './layer.js';
import type { SymbolicShape } from './symbolic.js';

/** A whole number >= 1 (default 1): output channels per input channel. */
export function checkDepthMultiplier(value: unknown, where: string): number {
  const m = value ?? 1;
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) {
    throw new ConfigError(
      `${where}: depthMultiplier must be a whole number >= 1, received ${describe(value)}; ` +
        'e.g. depthMultiplier: 2.',
    );
  }
  return m;
}

export interface DepthwiseConv2DOptions extends BaseConvOptions {
  /** Output channels per input channel (default 1): output channels = channels · depthMultiplier. */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  /** A penalty on the depthwise kernel. */
  depthwiseRegularizer?: RegularizerIdentifier;
  depthwiseConstraint?: ConstraintIdentifier;
}
export const DEPTHWISE_CONV2D_OPTION_KEYS = optionKeys<DepthwiseConv2DOptions>()({
  ...BASE_CONV_OPTION_KEY_SET,
  depthMultiplier: true,
  depthwiseInitializer: true,
  depthwiseRegularizer: true,
  depthwiseConstraint: true,
});

/**
 * A depthwise 2-D convolution: each input channel is convolved with its own depthMultiplier
 * filters, with no mixing across channels.
 *
 *   output[b, i, j, c·m + q] = activation(Σ_{u, v} input[b, i·sh + u·dh − top, j·sw + v·dw − left, c]
 *                                          · depthwiseKernel[u, v, c, q] + bias[c·m + q])
 *
 * Input [batch, height, width, channels] → output [batch, outHeight, outWidth,
 * channels·depthMultiplier], output sizes as Conv2D's. Weights: depthwise_kernel
 * [kernelHeight, kernelWidth, channels, depthMultiplier], bias [channels·depthMultiplier].
 *
 *   sn.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' })
 */
export class DepthwiseConv2D extends BaseConv {
  static override readonly className: string = 'DepthwiseConv2D';
  static override readonly optionKeys: readonly string[] = DEPTHWISE_CONV2D_OPTION_KEYS;

  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  depthwiseConstraint: Constraint | undefined;
  depthwiseKernel: LayerVariable | undefined;

  constructor(options: DepthwiseConv2DOptions) {
    super(options, 2);
    this.depthMultiplier = checkDepthMultiplier(options.depthMultiplier, this.describeSelf());
    this.depthwiseInitializer = getInitializer(options.depthwiseInitializer ?? 'glorotUniform');
    this.depthwiseRegularizer = options.depthwiseRegularizer;
    this.depthwiseConstraint = getConstraint(options.depthwiseConstraint);
  }

  get depthwiseRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('depthwise_kernel');
  }
  set depthwiseRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('depthwise_kernel', id);
  }

  override build(inputShape: SymbolicShape): void {
    const channels = this.buildChannels(inputShape);
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel',
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.addBias(channels * this.depthMultiplier);
  }

  protected outChannels(inChannels: number): number {
    return inChannels * this.depthMultiplier;
  }

  protected describeKernel(): string {
    return `depthwise_kernel [${this.depthwiseKernel?.shape.join(', ') ?? ''}]`;
  }

  protected convolve(x: Tensor): Tensor {
    return depthwiseConv2d(x, this.depthwiseKernel!, {
      strides: [this.strides[0]!, this.strides[1]!],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilations: [this.dilationRate[0]!, this.dilationRate[1]!],
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...this.baseConfig(),
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: initializerRegistry.toJson(this.depthwiseInitializer),
      depthwiseRegularizer: regularizerRegistry.toJson(this.depthwiseRegularizer),
      depthwiseConstraint: constraintRegistry.toJson(this.depthwiseConstraint),
    };
  }

  static override fromConfig(config: ConfigDict): DepthwiseConv2D {
    return fromConfigDefault(
      this,
      convOptionsFromConfig(config, DEPTHWISE_CONV2D_OPTION_KEYS, 'DepthwiseConv2D'),
    );
  }
}
