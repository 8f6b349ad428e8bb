import { ConfigError, describe } from '../errors.js';
import { add, mul } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { type CallOptions, type LayerInput, LAYER_OPTION_KEY_SET } from './layer.js';
import { RandomLayer, checkRate, type RandomLayerOptions } from './random-layer.js';
import { optionKeys } from '../validation.js';

export interface GaussianDropoutOptions extends RandomLayerOptions {
  /** Drop probability in [0, 1): the noise has variance rate / (1 − rate). */
  rate: number;
}
export const GAUSSIAN_DROPOUT_OPTION_KEYS = optionKeys<GaussianDropoutOptions>()({
  ...LAYER_OPTION_KEY_SET,
  rate: true,
  seed: true,
});

export interface AlphaDropoutOptions extends RandomLayerOptions {
  /** Drop probability in [0, 1). */
  rate: number;
  /**
   * Shape of the keep/drop mask, broadcast against the input (null or omitted entries: the
   * input's size), as Dropout's.
   */
  noiseShape?: readonly (number | null)[];
}
export const ALPHA_DROPOUT_OPTION_KEYS = optionKeys<AlphaDropoutOptions>()({
  ...LAYER_OPTION_KEY_SET,
  rate: true,
  seed: true,
  noiseShape: true,
});

const floatType = (x: Tensor) => (x.dtype === 'float64' ? 'float64' : 'float32');

/**
 * Multiplicative Gaussian noise centred on 1, as Keras's GaussianDropout: in training
 *
 *   output = input · ε,   ε ~ N(1, rate / (1 − rate)) elementwise
 *
 * which has the mean and variance of inverted dropout at the same rate without zeroing
 * anything (Srivastava et al., 2014, section 10); identity at inference. Input any shape →
 * output the same shape. No weights. The gradient is ε.
 *
 *   sn.layers.gaussianDropout({ rate: 0.2 })
 */
export class GaussianDropout extends RandomLayer {
  static override readonly className: string = 'GaussianDropout';
  static override readonly optionKeys: readonly string[] = GAUSSIAN_DROPOUT_OPTION_KEYS;

  readonly rate: number;

  constructor(options: GaussianDropoutOptions) {
    super(options);
    this.rate = checkRate(
      options?.rate,
      this.describeSelf(),
      'sn.layers.gaussianDropout({ rate: 0.2 })',
    );
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    if (!options.training || this.rate === 0) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    const rng = this.generator();
    const values = new Float64Array(x.size);
    for (let i = 0; i < values.length; i++) values[i] = 1 + stddev * rng.nextNormal();
    return mul(x, tensor(values, x.shape, floatType(x)));
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }
}

/** SELU's constants (Klambauer et al., 2017) and its negative saturation value −λα. */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const ALPHA_PRIME = -SELU_ALPHA * SELU_SCALE;

/**
 * Alpha dropout (Klambauer et al., 2017), as Keras's AlphaDropout: the dropout for
 * self-normalising networks (selu activations, lecunNormal weights). In training each unit is
 * dropped with probability `rate` and set to SELU's negative saturation α' = −λα ≈ −1.7581
 * rather than 0, then an affine map restores the input's mean and variance:
 *
 *   output = a · (input · keep + α' · (1 − keep)) + b,   keep ~ Bernoulli(1 − rate)
 *   a = ((1 − rate) · (1 + rate · α'²))^(−1/2),   b = −a · α' · rate
 *
 * so an input of mean 0 and variance 1 keeps mean 0 and variance 1. Identity at inference.
 * Input any shape → output the same shape. No weights. The gradient is a · keep.
 *
 *   sn.layers.alphaDropout({ rate: 0.1 })
 */
export class AlphaDropout extends RandomLayer {
  static override readonly className: string = 'AlphaDropout';
  static override readonly optionKeys: readonly string[] = ALPHA_DROPOUT_OPTION_KEYS;

  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | undefined;

  constructor(options: AlphaDropoutOptions) {
    super(options);
    this.rate = checkRate(
      options?.rate,
      this.describeSelf(),
      'sn.layers.alphaDropout({ rate: 0.1 })',
    );
    const ns: unknown = options.noiseShape;
    if (
      ns !== undefined &&
      !(Array.isArray(ns) && ns.every((d) => d === null || (Number.isInteger(d) && d >= 1)))
    ) {
      throw new ConfigError(
        `${this.describeSelf()}: noiseShape must be an array of positive integers or null, received ${describe(ns)}; ` +
          'e.g. noiseShape: [null, 1, null].',
      );
    }
    this.noiseShape =
      ns === undefined ? undefined : Object.freeze((ns as (number | null)[]).slice());
  }

  /** The affine correction (a, b) for this rate. */
  get affine(): { a: number; b: number } {
    const a = ((1 - this.rate) * (1 + this.rate * ALPHA_PRIME ** 2)) ** -0.5;
    return { a, b: -a * ALPHA_PRIME * this.rate };
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    if (!options.training || this.rate === 0) return x;
    const shape = this.#maskShape(x.shape);
    const { a, b } = this.affine;
    const rng = this.generator();
    const size = shape.reduce((p, d) => p * d, 1);
    // output = x · (a·keep) + (a·α'·(1 − keep) + b): two constants of the mask's shape.
    const scale = new Float64Array(size);
    const shift = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const kept = rng.nextFloat() >= this.rate;
      scale[i] = kept ? a : 0;
      shift[i] = kept ? b : a * ALPHA_PRIME + b;
    }
    const dtype = floatType(x);
    return add(mul(x, tensor(scale, shape, dtype)), tensor(shift, shape, dtype));
  }

  #maskShape(inputShape: readonly number[]): number[] {
    if (!this.noiseShape) return inputShape.slice();
    const fail = (why: string): never => {
      throw new ConfigError(
        `${this.describeSelf()}: noiseShape ${describe(this.noiseShape)} does not fit input shape ` +
          `${formatShape(inputShape)}: ${why}.`,
      );
    };
    if (this.noiseShape.length !== inputShape.length) {
      fail(
        `give one entry per input dimension (${inputShape.length}; null keeps the input's size)`,
      );
    }
    return this.noiseShape.map((d, i) => {
      const n = inputShape[i]!;
      if (d !== null && d !== 1 && d !== n) fail(`entry ${i} must be 1, null or ${n}`);
      return d ?? n;
    });
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      rate: this.rate,
      noiseShape: this.noiseShape ? this.noiseShape.slice() : null,
      seed: this.seed ?? null,
    };
  }
}
