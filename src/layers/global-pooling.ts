import type { DataFormat } from '../ops/conv-geometry.js';
import { max, mean } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBoolean, optionKeys } from '../validation.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { checkLayerRank, layerOptionsFromConfig } from './pooling.js';
import { readDataFormat, writeDataFormat } from './data-format.js';
import type { SymbolicShape } from './symbolic.js';

/**
 * Global poolings (Keras's GlobalMaxPooling1D/2D, GlobalAveragePooling1D/2D): the maximum or
 * the mean over every spatial position, per channel. Input [batch, steps, channels] or
 * [batch, height, width, channels] (channelsLast) → [batch, channels]; with keepDims the
 * spatial axes stay, of size 1 ([batch, 1, 1, channels]). No weights.
 */

export interface GlobalPoolingOptions extends LayerOptions {
  /** 'channelsLast' (default): channels on the last axis; 'channelsFirst': on axis 1. */
  dataFormat?: DataFormat;
  /** Keep the pooled spatial axes with size 1 (default false), as Keras's keepdims. */
  keepDims?: boolean;
}
export const GLOBAL_POOLING_OPTION_KEYS = optionKeys<GlobalPoolingOptions>()({
  ...LAYER_OPTION_KEY_SET,
  dataFormat: true,
  keepDims: true,
});

/** Keras writes `keepdims` (one word); sinew's option is keepDims. */
function globalOptionsFromConfig(config: ConfigDict): GlobalPoolingOptions {
  const { keepdims, ...rest } = config;
  return {
    ...layerOptionsFromConfig(rest, GLOBAL_POOLING_OPTION_KEYS),
    ...(typeof keepdims === 'boolean' ? { keepDims: keepdims } : {}),
  };
}

abstract class GlobalPooling extends Layer {
  readonly dataFormat: DataFormat;
  readonly keepDims: boolean;
  readonly #spatialRank: 1 | 2;
  readonly #mode: 'max' | 'avg';

  constructor(options: GlobalPoolingOptions, spatialRank: 1 | 2, mode: 'max' | 'avg') {
    super(options);
    this.dataFormat = readDataFormat(options?.dataFormat, this.describeSelf());
    this.keepDims = checkBoolean(options?.keepDims, this.describeSelf(), 'keepDims', false);
    this.#spatialRank = spatialRank;
    this.#mode = mode;
  }

  #spatialAxes(): number[] {
    const start = this.dataFormat === 'channelsFirst' ? 2 : 1;
    return Array.from({ length: this.#spatialRank }, (_, i) => start + i);
  }

  #checkRank(shape: SymbolicShape): void {
    const name = this.#mode === 'max' ? 'globalMaxPooling' : 'globalAveragePooling';
    checkLayerRank(
      this,
      shape,
      this.#spatialRank,
      this.dataFormat,
      `${name}${3 - this.#spatialRank}d`,
    );
  }

  call(inputs: LayerInput): Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : (inputs as Tensor);
    this.#checkRank(x.shape);
    const reduce = this.#mode === 'max' ? max : mean;
    return reduce(x, this.#spatialAxes(), { keepDims: this.keepDims });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    const axes = this.#spatialAxes();
    if (this.keepDims) return inputShape.map((d, i) => (axes.includes(i) ? 1 : d));
    return inputShape.filter((_, i) => !axes.includes(i));
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      dataFormat: writeDataFormat(this.dataFormat),
      keepdims: this.keepDims,
    };
  }
}

/**
 * The largest value over all steps, per channel, as Keras's GlobalMaxPooling1D:
 * [batch, steps, channels] → [batch, channels].
 *
 *   sn.layers.globalMaxPooling1d()
 */
export class GlobalMaxPooling1D extends GlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling1D';
  static override readonly optionKeys: readonly string[] = GLOBAL_POOLING_OPTION_KEYS;

  constructor(options: GlobalPoolingOptions = {}) {
    super(options, 1, 'max');
  }

  static override fromConfig(config: ConfigDict): GlobalMaxPooling1D {
    return new GlobalMaxPooling1D(globalOptionsFromConfig(config));
  }
}

/**
 * The mean over all steps, per channel, as Keras's GlobalAveragePooling1D:
 * [batch, steps, channels] → [batch, channels].
 *
 *   sn.layers.globalAveragePooling1d()
 */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling1D';
  static override readonly optionKeys: readonly string[] = GLOBAL_POOLING_OPTION_KEYS;

  constructor(options: GlobalPoolingOptions = {}) {
    super(options, 1, 'avg');
  }

  static override fromConfig(config: ConfigDict): GlobalAveragePooling1D {
    return new GlobalAveragePooling1D(globalOptionsFromConfig(config));
  }
}

/**
 * The largest value over the height and width, per channel, as Keras's GlobalMaxPooling2D:
 * [batch, height, width, channels] → [batch, channels].
 *
 *   sn.layers.globalMaxPooling2d({ keepDims: true })   // → [batch, 1, 1, channels]
 */
export class GlobalMaxPooling2D extends GlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling2D';
  static override readonly optionKeys: readonly string[] = GLOBAL_POOLING_OPTION_KEYS;

  constructor(options: GlobalPoolingOptions = {}) {
    super(options, 2, 'max');
  }

  static override fromConfig(config: ConfigDict): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(globalOptionsFromConfig(config));
  }
}

/**
 * The mean over the height and width, per channel, as Keras's GlobalAveragePooling2D (the
 * usual head of a convolutional classifier): [batch, height, width, channels] →
 * [batch, channels].
 *
 *   sn.layers.globalAveragePooling2d()
 */
export class GlobalAveragePooling2D extends GlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling2D';
  static override readonly optionKeys: readonly string[] = GLOBAL_POOLING_OPTION_KEYS;

  constructor(options: GlobalPoolingOptions = {}) {
    super(options, 2, 'avg');
  }

  static override fromConfig(config: ConfigDict): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(globalOptionsFromConfig(config));
  }
}
