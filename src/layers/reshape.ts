import { ConfigError, ShapeError, describe } from '../errors.js';
import { reshape } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { optionKeys } from '../validation.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';

export interface ReshapeOptions extends LayerOptions {
  /** The shape of one sample, without the batch dimension; one entry may be -1 (inferred). */
  targetShape: readonly number[];
}
export const RESHAPE_OPTION_KEYS = optionKeys<ReshapeOptions>()({
  ...LAYER_OPTION_KEY_SET,
  targetShape: true,
});

/**
 * Reshapes each sample to `targetShape`: [batch, ...] → [batch, ...targetShape], as Keras's
 * Reshape. One entry of targetShape may be -1: it is inferred from the sample size. The
 * sample size must not change. No weights.
 *
 *   sn.layers.reshape({ targetShape: [28, 28] })   // [32, 784] → [32, 28, 28]
 *   sn.layers.reshape({ targetShape: [-1, 4] })    // [32, 8] → [32, 2, 4]
 */
export class Reshape extends Layer {
  static override readonly className: string = 'Reshape';
  static override readonly optionKeys: readonly string[] = RESHAPE_OPTION_KEYS;

  readonly targetShape: readonly number[];

  constructor(options: ReshapeOptions) {
    super(options);
    const target: unknown = options?.targetShape;
    const valid =
      Array.isArray(target) &&
      target.every((d) => Number.isInteger(d) && (d >= 1 || d === -1)) &&
      target.filter((d) => d === -1).length <= 1;
    if (!valid) {
      throw new ConfigError(
        `Reshape '${this.name}': targetShape must be an array of positive integers (without the batch dimension) ` +
          `with at most one -1, received ${describe(target)}; e.g. sn.layers.reshape({ targetShape: [28, 28] }).`,
      );
    }
    this.targetShape = Object.freeze((target as number[]).slice());
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    const size = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return reshape(x, [x.shape[0]!, ...this.#resolve(size, formatShape(x.shape))]);
  }

  /** targetShape with its -1 replaced, for a sample of `size` elements. */
  #resolve(size: number, inputShape: string): number[] {
    const known = this.targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const free = this.targetShape.includes(-1);
    if (free ? size % known !== 0 : size !== known) {
      throw new ShapeError(
        `Reshape '${this.name}' cannot reshape input of shape ${inputShape} (${size} values per sample) ` +
          `to target shape ${formatShape(this.targetShape)}` +
          `${free ? ` (the known dimensions multiply to ${known}, which does not divide ${size})` : ` (${known} values)`}; ` +
          'the target must hold the same number of values per sample.',
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    const batch = inputShape[0] ?? null;
    if (rest.some((d) => d === null))
      return [batch, ...this.targetShape.map((d) => (d === -1 ? null : d))];
    const size = rest.reduce<number>((a, b) => a * b!, 1);
    return [batch, ...this.#resolve(size, formatSymbolicShape(inputShape))];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), targetShape: this.targetShape.slice() };
  }
}
