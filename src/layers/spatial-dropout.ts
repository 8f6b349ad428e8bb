import { readDataFormat, writeDataFormat } from './data-format.js';
import { mul } from '../ops/index.js';
import { fromConfigDefault, type ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { type CallOptions, type LayerInput, LAYER_OPTION_KEY_SET } from './layer.js';
import {
  RandomLayer,
  checkRank,
  checkRate,
  dropoutMask,
  type DataFormatSpelling,
  type RandomLayerOptions,
} from './random-layer.js';
import type { SymbolicShape } from './symbolic.js';
import { optionKeys } from '../validation.js';

export interface SpatialDropout1DOptions extends RandomLayerOptions {
  /** Fraction of the channels to drop, in [0, 1). */
  rate: number;
}
export const SPATIAL_DROPOUT_1D_OPTION_KEYS = optionKeys<SpatialDropout1DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  rate: true,
  seed: true,
});

export interface SpatialDropout2DOptions extends RandomLayerOptions {
  /** Fraction of the channels to drop, in [0, 1). */
  rate: number;
  /**
   * Where the channels are: 'channelsLast' ([batch, rows, cols, channels], the default) or
   * 'channelsFirst' ([batch, channels, rows, cols]); Keras's 'channels_last' and
   * 'channels_first' are accepted too.
   */
  dataFormat?: DataFormatSpelling;
}
export const SPATIAL_DROPOUT_2D_OPTION_KEYS = optionKeys<SpatialDropout2DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  rate: true,
  seed: true,
  dataFormat: true,
});

/**
 * Dropout of whole channels: in training each (sample, channel) pair is dropped with
 * probability `rate`, every position of a dropped channel is zeroed and the kept channels
 * are scaled by 1 / (1 − rate); identity at inference. Neighbouring timesteps or pixels of a
 * feature map are strongly correlated, so dropping single values regularises them little;
 * dropping whole maps does (Tompson et al., 2015). The base of SpatialDropout1D and 2D.
 */
abstract class SpatialDropout extends RandomLayer {
  readonly rate: number;

  constructor(options: RandomLayerOptions & { rate: number }, example: string) {
    super(options);
    this.rate = checkRate(options?.rate, this.describeSelf(), example);
  }

  /** The rank the input must have, and the mask shape for an input shape. */
  protected abstract readonly rank: number;
  protected abstract maskShape(shape: readonly number[]): number[];

  override build(inputShape: SymbolicShape): void {
    checkRank(inputShape, this.rank, this.describeSelf(), this.rankFix());
  }

  protected abstract rankFix(): string;

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    checkRank(x.shape, this.rank, this.describeSelf(), this.rankFix());
    if (!options.training || this.rate === 0) return x;
    const shape = this.maskShape(x.shape);
    const rng = this.generator();
    // Broadcast over the spatial axes.
    return mul(x, dropoutMask(rng, shape, this.rate, x));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }
}

/** TensorFlow.js writes Dropout's noise_shape (null) for SpatialDropout1D; the layer sets its own. */
function withoutNoiseShape(config: ConfigDict): ConfigDict {
  return Object.fromEntries(Object.entries(config).filter(([k]) => k !== 'noiseShape'));
}

/**
 * SpatialDropout1D, as Keras's: dropout of whole channels of a sequence.
 *
 *   output = input · mask / (1 − rate),   mask [batch, 1, channels] ~ Bernoulli(1 − rate)
 *
 * Input [batch, steps, channels] → output the same shape. No weights.
 *
 *   sn.layers.spatialDropout1d({ rate: 0.2 })
 */
export class SpatialDropout1D extends SpatialDropout {
  static override readonly className: string = 'SpatialDropout1D';
  static override readonly optionKeys: readonly string[] = SPATIAL_DROPOUT_1D_OPTION_KEYS;
  protected readonly rank = 3;

  constructor(options: SpatialDropout1DOptions) {
    super(options, 'sn.layers.spatialDropout1d({ rate: 0.2 })');
  }

  protected maskShape(shape: readonly number[]): number[] {
    return [shape[0]!, 1, shape[2]!];
  }

  protected rankFix(): string {
    return 'it takes [batch, steps, channels]; use dropout() for other shapes';
  }

  /** Keras's noiseShape is not an option here (the mask's shape is the layer's point). */
  static override fromConfig(config: ConfigDict): SpatialDropout1D {
    return fromConfigDefault(this, withoutNoiseShape(config));
  }
}

/**
 * SpatialDropout2D, as Keras's: dropout of whole feature maps of an image batch.
 *
 *   output = input · mask / (1 − rate),   mask ~ Bernoulli(1 − rate) of shape
 *   [batch, 1, 1, channels] (channelsLast) or [batch, channels, 1, 1] (channelsFirst)
 *
 * Input [batch, rows, cols, channels] (or channels first) → output the same shape. No weights.
 *
 *   sn.layers.spatialDropout2d({ rate: 0.2 })
 */
export class SpatialDropout2D extends SpatialDropout {
  static override readonly className: string = 'SpatialDropout2D';
  static override readonly optionKeys: readonly string[] = SPATIAL_DROPOUT_2D_OPTION_KEYS;
  protected readonly rank = 4;
  readonly dataFormat: 'channelsLast' | 'channelsFirst';

  constructor(options: SpatialDropout2DOptions) {
    super(options, 'sn.layers.spatialDropout2d({ rate: 0.2 })');
    this.dataFormat = readDataFormat(options.dataFormat, this.describeSelf());
  }

  protected maskShape(shape: readonly number[]): number[] {
    return this.dataFormat === 'channelsLast'
      ? [shape[0]!, 1, 1, shape[3]!]
      : [shape[0]!, shape[1]!, 1, 1];
  }

  protected rankFix(): string {
    return this.dataFormat === 'channelsLast'
      ? 'it takes [batch, rows, cols, channels]; use spatialDropout1d() for sequences'
      : 'it takes [batch, channels, rows, cols]; use spatialDropout1d() for sequences';
  }

  override getConfig(): ConfigDict {
    // Written in Keras's spelling, as Keras and TensorFlow.js files hold it.
    return {
      ...super.getConfig(),
      dataFormat: writeDataFormat(this.dataFormat),
    };
  }

  /** Keras's noiseShape is not an option here (the mask's shape is the layer's point). */
  static override fromConfig(config: ConfigDict): SpatialDropout2D {
    return fromConfigDefault(this, withoutNoiseShape(config));
  }
}
