import { ConfigError, describe } from '../errors.js';
import { mul } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import { dropoutMask } from './random-layer.js';
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

export interface DropoutOptions extends LayerOptions {
  /** Fraction of the units to drop, in [0, 1). */
  rate: number;
  /**
   * Seeds the layer's own generator: the sequence of masks over successive calls is the same
   * on every run (each call draws a new mask, as Keras's SeedGenerator). Without a seed the
   * global generator is used (sn.setSeed).
   */
  seed?: number;
  /**
   * Shape of the mask, broadcast against the input (null or omitted entries: the input's
   * size); e.g. [null, 1, null] drops the same features at every timestep.
   */
  noiseShape?: readonly (number | null)[];
}
export const DROPOUT_OPTION_KEYS = optionKeys<DropoutOptions>()({
  ...LAYER_OPTION_KEY_SET,
  rate: true,
  seed: true,
  noiseShape: true,
});

/**
 * Inverted dropout, as Keras's Dropout: in training, each unit is zeroed with probability
 * `rate` and the kept units are scaled by 1 / (1 − rate), so the expected output equals the
 * input; at inference (`training` false or omitted) it is the identity.
 *
 *   output = input · mask / (1 − rate),   mask ~ Bernoulli(1 − rate)   (training)
 *
 * Input any shape → output the same shape. No weights. Gradients flow through the kept units
 * (scaled by 1 / (1 − rate)); the mask is not differentiated.
 *
 *   sn.layers.dropout({ rate: 0.5, seed: 42 })
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  static override readonly optionKeys: readonly string[] = DROPOUT_OPTION_KEYS;

  readonly rate: number;
  readonly seed: number | undefined;
  readonly noiseShape: readonly (number | null)[] | undefined;
  readonly #rng: Random | undefined;

  constructor(options: DropoutOptions) {
    super(options);
    const rate: unknown = options?.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ConfigError(
        `Dropout '${this.name}': rate must be a number in [0, 1), received ${describe(rate)}; ` +
          'e.g. sn.layers.dropout({ rate: 0.5 }).',
      );
    }
    this.rate = rate;
    this.seed =
      options.seed === undefined ? undefined : checkSeed(options.seed, `Dropout '${this.name}'`);
    this.#rng = this.seed === undefined ? undefined : new Random(this.seed);
    const ns: unknown = options.noiseShape;
    if (
      ns !== undefined &&
      !(Array.isArray(ns) && ns.every((d) => d === null || (Number.isInteger(d) && d >= 1)))
    ) {
      throw new ConfigError(
        `Dropout '${this.name}': noiseShape must be an array of positive integers or null, received ${describe(ns)}.`,
      );
    }
    this.noiseShape =
      ns === undefined ? undefined : Object.freeze((ns as (number | null)[]).slice());
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    if (!options.training || this.rate === 0) return x;
    const shape = this.#maskShape(x.shape);
    const rng = this.#rng ?? randomFor(undefined, 'Dropout');
    return mul(x, dropoutMask(rng, shape, this.rate, x));
  }

  /**
   * The state of the layer's own generator, which fit's checkpoints save so that a resumed
   * run draws the masks an uninterrupted one would; undefined without a seed (the global
   * generator is used, and checkpoints save that one).
   */
  getRandomState(): number[] | undefined {
    return this.#rng?.getState();
  }

  /** Puts back a state getRandomState() returned (a seeded layer only). */
  setRandomState(state: readonly number[]): void {
    if (this.#rng === undefined) {
      throw new ConfigError(
        `Dropout '${this.name}': setRandomState needs a layer with a seed (it has its own ` +
          'generator only then); without one it draws from the global generator (sn.setSeed).',
      );
    }
    this.#rng.setState(state);
  }

  #maskShape(inputShape: readonly number[]): number[] {
    if (!this.noiseShape) return inputShape.slice();
    if (this.noiseShape.length !== inputShape.length) {
      throw new ConfigError(
        `Dropout '${this.name}': noiseShape ${describe(this.noiseShape)} has ${this.noiseShape.length} entries, ` +
          `but the input has rank ${inputShape.length}; give one entry per input dimension (null keeps the input's size).`,
      );
    }
    return this.noiseShape.map((d, i) => {
      const n = inputShape[i]!;
      if (d !== null && d !== 1 && d !== n) {
        throw new ConfigError(
          `Dropout '${this.name}': noiseShape ${describe(this.noiseShape)} does not broadcast against input shape ` +
            `[${inputShape.join(', ')}]: entry ${i} must be 1, null or ${n}.`,
        );
      }
      return d ?? n;
    });
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { ...super.getConfig(), rate: this.rate };
    config.seed = this.seed ?? null;
    config.noiseShape = this.noiseShape ? this.noiseShape.slice() : null;
    return config;
  }
}
