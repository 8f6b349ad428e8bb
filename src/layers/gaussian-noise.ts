import { ConfigError, describe } from '../errors.js';
import { add } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import { tensor } from '../tensor/creation.js';
import { Random, checkSeed, randomFor } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  Layer,
  type CallOptions,
  type LayerInput,
  type LayerOptions,
  LAYER_OPTION_KEY_SET,
} from './layer.js';
import { optionKeys } from '../validation.js';

export interface GaussianNoiseOptions extends LayerOptions {
  /** Standard deviation of the noise (a finite number >= 0). */
  stddev: number;
  /** Seeds the layer's own generator: the same noise sequence over successive calls on every run. */
  seed?: number;
}
export const GAUSSIAN_NOISE_OPTION_KEYS = optionKeys<GaussianNoiseOptions>()({
  ...LAYER_OPTION_KEY_SET,
  stddev: true,
  seed: true,
});

/**
 * Adds zero-mean Gaussian noise in training, as Keras's GaussianNoise (a regularizer, as in a
 * denoising autoencoder); the identity at inference.
 *
 *   output = input + ε,   ε ~ N(0, stddev²) elementwise   (training)
 *
 * Input any shape → output the same shape. No weights. The gradient is the identity.
 *
 *   sn.layers.gaussianNoise({ stddev: 0.1 })
 */
export class GaussianNoise extends Layer {
  static override readonly className: string = 'GaussianNoise';
  static override readonly optionKeys: readonly string[] = GAUSSIAN_NOISE_OPTION_KEYS;

  readonly stddev: number;
  readonly seed: number | undefined;
  readonly #rng: Random | undefined;

  constructor(options: GaussianNoiseOptions) {
    super(options);
    const stddev: unknown = options?.stddev;
    if (typeof stddev !== 'number' || !Number.isFinite(stddev) || stddev < 0) {
      throw new ConfigError(
        `GaussianNoise '${this.name}': stddev must be a finite number >= 0, received ${describe(stddev)}; ` +
          'e.g. sn.layers.gaussianNoise({ stddev: 0.1 }).',
      );
    }
    this.stddev = stddev;
    this.seed =
      options.seed === undefined
        ? undefined
        : checkSeed(options.seed, `GaussianNoise '${this.name}'`);
    this.#rng = this.seed === undefined ? undefined : new Random(this.seed);
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    if (!options.training || this.stddev === 0) return x;
    const rng = this.#rng ?? randomFor(undefined, 'GaussianNoise');
    const values = new Float64Array(x.size);
    for (let i = 0; i < values.length; i++) values[i] = this.stddev * rng.nextNormal();
    return add(x, tensor(values, x.shape, x.dtype === 'float64' ? 'float64' : 'float32'));
  }

  /**
   * The state of the layer's own generator, which fit's checkpoints save so that a resumed
   * run draws the noise an uninterrupted one would; undefined without a seed (the global
   * generator is used, and checkpoints save that one).
   */
  getRandomState(): number[] | undefined {
    return this.#rng?.getState();
  }

  /** Puts back a state getRandomState() returned (a seeded layer only). */
  setRandomState(state: readonly number[]): void {
    if (this.#rng === undefined) {
      throw new ConfigError(
        `GaussianNoise '${this.name}': setRandomState needs a layer with a seed (it has its ` +
          'own generator only then); without one it draws from the global generator (sn.setSeed).',
      );
    }
    this.#rng.setState(state);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed ?? null };
  }
}
