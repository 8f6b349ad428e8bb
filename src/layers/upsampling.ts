import { ConfigError, describe } from '../errors.js';
import { checkSizes, type DataFormat } from '../ops/conv-geometry.js';
import { expandDims, squeeze, upSampling, type Interpolation } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionKeys } from '../validation.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { checkLayerRank, layerOptionsFromConfig } from './pooling.js';
import { readDataFormat, writeDataFormat } from './data-format.js';
import type { SymbolicShape } from './symbolic.js';

export interface UpSampling1DOptions extends LayerOptions {
  /** How many times each step is repeated (default 2). */
  size?: number;
}
export const UP_SAMPLING_1D_OPTION_KEYS = optionKeys<UpSampling1DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  size: true,
});

/**
 * Repeats each step of a sequence `size` times, as Keras's UpSampling1D:
 * [batch, steps, channels] → [batch, steps·size, channels]. No weights.
 *
 *   sn.layers.upSampling1d({ size: 3 })   // [4, 10, 8] → [4, 30, 8]
 */
export class UpSampling1D extends Layer {
  static override readonly className: string = 'UpSampling1D';
  static override readonly optionKeys: readonly string[] = UP_SAMPLING_1D_OPTION_KEYS;

  readonly size: number;

  constructor(options: UpSampling1DOptions = {}) {
    super(options);
    [this.size] = checkSizes(options?.size ?? 2, 1, 'size', this.describeSelf(), 'size: 2') as [
      number,
    ];
  }

  call(inputs: LayerInput): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : (inputs as Tensor);
    checkLayerRank(this, x.shape, 1, 'channelsLast', 'upSampling2d');
    // [b, steps, c] → [b, steps, 1, c], repeated along the steps only.
    return squeeze(upSampling(expandDims(x, 2), { size: [this.size, 1] }), 2);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkLayerRank(this, inputShape, 1, 'channelsLast', 'upSampling2d');
    const [batch, steps, channels] = inputShape as [number | null, number | null, number | null];
    return [batch, steps === null ? null : steps * this.size, channels];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }

  static override fromConfig(config: ConfigDict): UpSampling1D {
    return new UpSampling1D(layerOptionsFromConfig(config, UP_SAMPLING_1D_OPTION_KEYS, ['size']));
  }
}

export interface UpSampling2DOptions extends LayerOptions {
  /** Factors [height, width] or one number for both (default 2). */
  size?: number | readonly [number, number];
  /** 'channelsLast' (default): [batch, height, width, channels]; or 'channelsFirst'. */
  dataFormat?: DataFormat;
  /** 'nearest' (default): values repeated; 'bilinear': as Keras 3 (half-pixel centres). */
  interpolation?: Interpolation;
}
export const UP_SAMPLING_2D_OPTION_KEYS = optionKeys<UpSampling2DOptions>()({
  ...LAYER_OPTION_KEY_SET,
  size: true,
  dataFormat: true,
  interpolation: true,
});

/**
 * Upsamples images by whole factors, as Keras 3's UpSampling2D: [batch, height, width,
 * channels] (channelsLast) → [batch, height·sh, width·sw, channels]. 'nearest' repeats each
 * value; 'bilinear' interpolates as tf.image.resize does (half-pixel centres, edges clamped).
 * No weights.
 *
 * TensorFlow.js's UpSampling2D computes 'bilinear' without half-pixel centres (the TF1
 * rule), so a bilinear layer saved from sinew predicts differently in TensorFlow.js (the
 * export warns); 'nearest' agrees.
 *
 *   sn.layers.upSampling2d({ size: 2 })                              // [8, 7, 7, 32] → [8, 14, 14, 32]
 *   sn.layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear' })
 */
export class UpSampling2D extends Layer {
  static override readonly className: string = 'UpSampling2D';
  static override readonly optionKeys: readonly string[] = UP_SAMPLING_2D_OPTION_KEYS;

  readonly size: readonly [number, number];
  readonly dataFormat: DataFormat;
  readonly interpolation: Interpolation;

  constructor(options: UpSampling2DOptions = {}) {
    super(options);
    const where = this.describeSelf();
    this.size = checkSizes(options?.size ?? 2, 2, 'size', where, 'size: 2 or size: [2, 3]') as [
      number,
      number,
    ];
    this.dataFormat = readDataFormat(options?.dataFormat, where);
    const interpolation: unknown = options?.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new ConfigError(
        `${where}: interpolation must be 'nearest' or 'bilinear', received ` +
          `${describe(interpolation)}.`,
      );
    }
    this.interpolation = interpolation;
  }

  call(inputs: LayerInput): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : (inputs as Tensor);
    checkLayerRank(this, x.shape, 2, this.dataFormat, 'upSampling1d');
    return upSampling(x, {
      size: this.size,
      interpolation: this.interpolation,
      dataFormat: this.dataFormat,
    });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    checkLayerRank(this, inputShape, 2, this.dataFormat, 'upSampling1d');
    const out = inputShape.slice();
    const start = this.dataFormat === 'channelsFirst' ? 2 : 1;
    for (const i of [0, 1]) {
      const d = inputShape[start + i] ?? null;
      out[start + i] = d === null ? null : d * this.size[i]!;
    }
    return out;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      size: this.size.slice(),
      dataFormat: writeDataFormat(this.dataFormat),
      interpolation: this.interpolation,
    };
  }

  static override fromConfig(config: ConfigDict): UpSampling2D {
    return new UpSampling2D(layerOptionsFromConfig(config, UP_SAMPLING_2D_OPTION_KEYS));
  }
}
