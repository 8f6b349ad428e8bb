import { noGrad } from '../autograd/tape.js';
import { ConfigError, describe } from '../errors.js';
import { cast, mul, oneHot, sum, topK } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  Layer,
  type CallOptions,
  type LayerInput,
  type LayerOptions,
  LAYER_OPTION_KEY_SET,
} from './layer.js';
import { optionKeys } from '../validation.js';
import type { SymbolicShape } from './symbolic.js';

export interface KSparseOptions extends LayerOptions {
  /** How many units to keep per sample in training (a positive integer <= the width). */
  k: number;
  /** At inference the round(alpha·k) largest units are kept (default 1; clipped to [1, width]). */
  alpha?: number;
}
export const K_SPARSE_OPTION_KEYS = optionKeys<KSparseOptions>()({
  ...LAYER_OPTION_KEY_SET,
  k: true,
  alpha: true,
});

/**
 * A k-sparse layer (Makhzani and Frey, 2013; docs/semantics.md rule 16): keeps the k largest units of
 * each sample along the last axis and zeroes the rest.
 *
 *   output = input · mask,   mask = 1 at the k largest entries of each row, else 0
 *
 * In training k units are kept; at inference round(alpha·k) (at least 1, at most the width).
 * Ties keep the lower index. Gradients flow only through the kept units (the mask is a
 * constant). Input [batch, ..., width] → output the same shape. No weights.
 *
 *   sn.layers.kSparse({ k: 25, alpha: 3 })   // a k-sparse autoencoder's code layer
 */
export class KSparse extends Layer {
  static override readonly className: string = 'KSparse';
  static override readonly optionKeys: readonly string[] = K_SPARSE_OPTION_KEYS;

  readonly k: number;
  readonly alpha: number;

  constructor(options: KSparseOptions) {
    super(options);
    const k: unknown = options?.k;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
      throw new ConfigError(
        `KSparse '${this.name}': k must be a positive integer, received ${describe(k)}; e.g. sn.layers.kSparse({ k: 25 }).`,
      );
    }
    const alpha: unknown = options.alpha ?? 1;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0) {
      throw new ConfigError(
        `KSparse '${this.name}': alpha must be a finite number > 0, received ${describe(alpha)}; e.g. sn.layers.kSparse({ k: 25, alpha: 3 }).`,
      );
    }
    this.k = k;
    this.alpha = alpha;
    this.inputSpec = { minRank: 2 };
  }

  override build(inputShape: SymbolicShape): void {
    const width = inputShape[inputShape.length - 1];
    if (width !== null && width !== undefined) this.#checkWidth(width);
  }

  #checkWidth(width: number): void {
    if (this.k > width) {
      throw new ConfigError(
        `KSparse '${this.name}': k = ${this.k} is larger than the layer's width ${width} (the input's last dimension); ` +
          `choose k <= ${width}.`,
      );
    }
  }

  /** The number of units kept per sample for a width: k in training, round(alpha·k) at inference. */
  keptUnits(width: number, training: boolean): number {
    if (training) return this.k;
    return Math.min(width, Math.max(1, Math.round(this.alpha * this.k)));
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    const width = x.shape[x.rank - 1]!;
    this.#checkWidth(width);
    const kept = this.keptUnits(width, options.training === true);
    if (kept === width) return x;
    const mask = noGrad(() => {
      const { indices } = topK(x, kept);
      // oneHot gives [..., kept, width]; summing the picks gives a 0/1 row mask.
      return cast(sum(oneHot(indices, width), -2), x.dtype);
    });
    return mul(x, mask);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), k: this.k, alpha: this.alpha };
  }
}
