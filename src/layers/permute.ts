import { ConfigError, ShapeError, describe } from '../errors.js';
import { reshape, tile, transpose } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';
import { checkNumber, optionKeys } from '../validation.js';

export interface PermuteOptions extends LayerOptions {
  /**
   * The new order of the axes after the batch, 1-based as Keras: [2, 1] swaps the two axes
   * of [batch, a, b], giving [batch, b, a]. A permutation of 1..n for an input of rank n + 1.
   */
  dims: readonly number[];
}
export const PERMUTE_OPTION_KEYS = optionKeys<PermuteOptions>()({
  ...LAYER_OPTION_KEY_SET,
  dims: true,
});

/**
 * Reorders the axes of each sample, as Keras's Permute: output axis i (1-based) is input axis
 * dims[i − 1]; the batch axis stays first.
 *
 * Input [batch, d1, ..., dn] → output [batch, d_dims[0], ..., d_dims[n−1]]. No weights.
 *
 *   sn.layers.permute({ dims: [2, 1] })   // [batch, steps, features] → [batch, features, steps]
 */
export class Permute extends Layer {
  static override readonly className: string = 'Permute';
  static override readonly optionKeys: readonly string[] = PERMUTE_OPTION_KEYS;

  readonly dims: readonly number[];

  constructor(options: PermuteOptions) {
    super(options);
    const dims: unknown = options?.dims;
    const valid =
      Array.isArray(dims) &&
      dims.length > 0 &&
      dims.every((d) => Number.isInteger(d)) &&
      [...(dims as number[])].sort((a, b) => a - b).every((d, i) => d === i + 1);
    if (!valid) {
      throw new ConfigError(
        `${this.describeSelf()}: dims must be a permutation of 1..n (the axes after the batch, ` +
          `1-based, each once), received ${describe(dims)}; e.g. sn.layers.permute({ dims: [2, 1] }).`,
      );
    }
    this.dims = Object.freeze((dims as number[]).slice());
  }

  #checkRank(shape: SymbolicShape): void {
    if (shape.length !== this.dims.length + 1) {
      throw new ShapeError(
        `${this.describeSelf()} with dims ${formatShape(this.dims)} expected input of rank ${this.dims.length + 1}, ` +
          `received shape ${formatSymbolicShape(shape)}; give one entry in dims per axis after the batch.`,
      );
    }
  }

  override build(inputShape: SymbolicShape): void {
    this.#checkRank(inputShape);
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    this.#checkRank(x.shape);
    return transpose(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d] ?? null)];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), dims: this.dims.slice() };
  }
}

export interface RepeatVectorOptions extends LayerOptions {
  /** How many times to repeat each sample (a positive integer). */
  n: number;
}
export const REPEAT_VECTOR_OPTION_KEYS = optionKeys<RepeatVectorOptions>()({
  ...LAYER_OPTION_KEY_SET,
  n: true,
});

/**
 * Repeats each sample's vector n times along a new axis, as Keras's RepeatVector (e.g. to
 * feed an encoder's code to every step of a decoder).
 *
 * Input [batch, features] → output [batch, n, features]. No weights. The gradient sums over
 * the repeats.
 *
 *   sn.layers.repeatVector({ n: 3 })
 */
export class RepeatVector extends Layer {
  static override readonly className: string = 'RepeatVector';
  static override readonly optionKeys: readonly string[] = REPEAT_VECTOR_OPTION_KEYS;

  readonly n: number;

  constructor(options: RepeatVectorOptions) {
    super(options);
    this.n = checkNumber(options?.n, this.describeSelf(), 'n', {
      min: 1,
      integer: true,
      example: 'sn.layers.repeatVector({ n: 3 })',
    });
  }

  #checkRank(shape: SymbolicShape): void {
    if (shape.length !== 2) {
      throw new ShapeError(
        `${this.describeSelf()} expected input of rank 2 [batch, features], received shape ` +
          `${formatSymbolicShape(shape)}; flatten() the samples first.`,
      );
    }
  }

  override build(inputShape: SymbolicShape): void {
    this.#checkRank(inputShape);
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    this.#checkRank(x.shape);
    return tile(reshape(x, [x.shape[0]!, 1, x.shape[1]!]), [1, this.n, 1]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    return [inputShape[0] ?? null, this.n, inputShape[1] ?? null];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), n: this.n };
  }
}
