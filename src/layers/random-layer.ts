import type { DataFormat } from '../ops/conv-geometry.js';
import { ConfigError, ShapeError } from '../errors.js';
import { Random, checkSeed, randomFor } from '../tensor/random.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerOptions } from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';
import { checkNumber } from '../validation.js';

/** The options every noise layer of this family shares. */
export interface RandomLayerOptions extends LayerOptions {
  /**
   * Seeds the layer's own generator: the same sequence of draws over successive calls on
   * every run. Without a seed the global generator is used (sn.setSeed).
   */
  seed?: number;
}

/**
 * The base of the dropout-like layers that draw random numbers in training (spatial,
 * Gaussian and alpha dropout): a seeded generator of their own, and the random state that
 * fit's checkpoints save and restore (src/models/checkpoint/state.ts finds layers by these two
 * methods), as Dropout and GaussianNoise have.
 */
export abstract class RandomLayer extends Layer {
  readonly seed: number | undefined;
  readonly #rng: Random | undefined;

  constructor(options: RandomLayerOptions) {
    super(options);
    this.seed =
      options?.seed === undefined ? undefined : checkSeed(options.seed, this.describeSelf());
    this.#rng = this.seed === undefined ? undefined : new Random(this.seed);
  }

  /** The layer's generator when seeded, else the global one (read at each call). */
  protected generator(): Random {
    return this.#rng ?? randomFor(undefined, this.className);
  }

  /**
   * The state of the layer's own generator, which fit's checkpoints save so that a resumed
   * run draws what an uninterrupted one would; undefined without a seed (the global generator
   * is used, and checkpoints save that one).
   */
  getRandomState(): number[] | undefined {
    return this.#rng?.getState();
  }

  /** Puts back a state getRandomState() returned (a seeded layer only). */
  setRandomState(state: readonly number[]): void {
    if (this.#rng === undefined) {
      throw new ConfigError(
        `${this.describeSelf()}: setRandomState needs a layer with a seed (it has its own ` +
          'generator only then); without one it draws from the global generator (sn.setSeed).',
      );
    }
    this.#rng.setState(state);
  }
}

/** A drop rate: a finite number in [0, 1) (1 would divide by zero), else a ConfigError. */
/**
 * An inverted-dropout mask of `shape`: each value 1 / (1 − rate) with probability 1 − rate,
 * else 0, drawn from `rng` in order; float64 for a float64 input, else float32. A constant:
 * multiplied into the input, its gradient is the same mask (Dropout, spatial dropout, the
 * dropout inside recurrent cells).
 */
export function dropoutMask(
  rng: Random,
  shape: readonly number[],
  rate: number,
  like: Tensor,
): Tensor {
  const keep = 1 - rate;
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float64Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.nextFloat() < keep ? 1 / keep : 0;
  return tensor(values, shape, like.dtype === 'float64' ? 'float64' : 'float32');
}

export function checkRate(rate: unknown, where: string, example: string): number {
  return checkNumber(rate, where, 'rate', { min: 0, max: 1, maxExclusive: true, example });
}

/** A ShapeError unless `shape` has exactly `rank` dimensions. */
export function checkRank(
  shape: SymbolicShape | readonly number[],
  rank: number,
  where: string,
  fix: string,
): void {
  if (shape.length !== rank) {
    throw new ShapeError(
      `${where} expected input of rank ${rank}, received shape ${formatSymbolicShape(shape)}; ${fix}.`,
    );
  }
}

/** The data formats of the image layers, in TensorFlow.js's and Keras's spellings. */
export type DataFormatSpelling = DataFormat | 'channels_last' | 'channels_first';
