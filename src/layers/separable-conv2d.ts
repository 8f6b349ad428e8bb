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
import { separableConv2d } from '../ops/index.js';
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
import { checkDepthMultiplier } from './depthwise-conv2d.js';
import type { LayerVariable } from './layer.js';
import type { SymbolicShape } from './symbolic.js';

export interface SeparableConv2DOptions extends BaseConvOptions {
  /** Number of output channels (of the pointwise step). */
  filters: number;
  /** Depthwise filters per input channel (default 1). */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  /** A penalty on the depthwise kernel. */
  depthwiseRegularizer?: RegularizerIdentifier;
  /** A penalty on the pointwise (1×1) kernel. */
  pointwiseRegularizer?: RegularizerIdentifier;
  depthwiseConstraint?: ConstraintIdentifier;
  pointwiseConstraint?: ConstraintIdentifier;
}
export const SEPARABLE_CONV2D_OPTION_KEYS = optionKeys<SeparableConv2DOptions>()({
  ...BASE_CONV_OPTION_KEY_SET,
  filters: true,
  depthMultiplier: true,
  depthwiseInitializer: true,
  pointwiseInitializer: true,
  depthwiseRegularizer: true,
  pointwiseRegularizer: true,
  depthwiseConstraint: true,
  pointwiseConstraint: true,
});

/**
 * A depthwise separable 2-D convolution: a depthwise convolution (each channel on its own,
 * depthMultiplier filters each) followed by a 1×1 convolution mixing the channels into
 * `filters` outputs. Far fewer weights than a Conv2D of the same window:
 * k²·c·m + c·m·filters instead of k²·c·filters.
 *
 *   output = activation(conv2d_1×1(depthwiseConv2d(input, depthwiseKernel), pointwiseKernel) + bias)
 *
 * Input [batch, height, width, channels] → output [batch, outHeight, outWidth, filters],
 * output sizes as Conv2D's. Weights: depthwise_kernel [kernelHeight, kernelWidth, channels,
 * depthMultiplier], pointwise_kernel [1, 1, channels·depthMultiplier, filters], bias [filters].
 *
 *   sn.layers.separableConv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' })
 */
export class SeparableConv2D extends BaseConv {
  static override readonly className: string = 'SeparableConv2D';
  static override readonly optionKeys: readonly string[] = SEPARABLE_CONV2D_OPTION_KEYS;

  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  depthwiseConstraint: Constraint | undefined;
  pointwiseConstraint: Constraint | undefined;
  depthwiseKernel: LayerVariable | undefined;
  pointwiseKernel: LayerVariable | undefined;

  constructor(options: SeparableConv2DOptions) {
    super(options, 2);
    const filters: unknown = options.filters;
    if (typeof filters !== 'number' || !Number.isInteger(filters) || filters < 1) {
      throw new ConfigError(
        `${this.describeSelf()}: filters must be a positive integer, received ${describe(filters)}; ` +
          'e.g. filters: 32.',
      );
    }
    this.filters = filters;
    this.depthMultiplier = checkDepthMultiplier(options.depthMultiplier, this.describeSelf());
    this.depthwiseInitializer = getInitializer(options.depthwiseInitializer ?? 'glorotUniform');
    this.pointwiseInitializer = getInitializer(options.pointwiseInitializer ?? 'glorotUniform');
    this.depthwiseRegularizer = options.depthwiseRegularizer;
    this.pointwiseRegularizer = options.pointwiseRegularizer;
    this.depthwiseConstraint = getConstraint(options.depthwiseConstraint);
    this.pointwiseConstraint = getConstraint(options.pointwiseConstraint);
  }

  get depthwiseRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('depthwise_kernel');
  }
  set depthwiseRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('depthwise_kernel', id);
  }

  get pointwiseRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('pointwise_kernel');
  }
  set pointwiseRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('pointwise_kernel', id);
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
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel',
      shape: [1, 1, channels * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer,
      constraint: this.pointwiseConstraint,
    });
    this.addBias(this.filters);
  }

  protected outChannels(): number {
    return this.filters;
  }

  protected describeKernel(): string {
    return `depthwise_kernel [${this.depthwiseKernel?.shape.join(', ') ?? ''}]`;
  }

  protected convolve(x: Tensor): Tensor {
    return separableConv2d(x, {
      depthwiseFilter: this.depthwiseKernel!,
      pointwiseFilter: this.pointwiseKernel!,
      strides: [this.strides[0]!, this.strides[1]!],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilations: [this.dilationRate[0]!, this.dilationRate[1]!],
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...this.baseConfig(),
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      depthwiseInitializer: initializerRegistry.toJson(this.depthwiseInitializer),
      pointwiseInitializer: initializerRegistry.toJson(this.pointwiseInitializer),
      depthwiseRegularizer: regularizerRegistry.toJson(this.depthwiseRegularizer),
      pointwiseRegularizer: regularizerRegistry.toJson(this.pointwiseRegularizer),
      depthwiseConstraint: constraintRegistry.toJson(this.depthwiseConstraint),
      pointwiseConstraint: constraintRegistry.toJson(this.pointwiseConstraint),
    };
  }

  static override fromConfig(config: ConfigDict): SeparableConv2D {
    return fromConfigDefault(
      this,
      convOptionsFromConfig(config, SEPARABLE_CONV2D_OPTION_KEYS, 'SeparableConv2D'),
    );
  }
}
