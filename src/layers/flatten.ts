import { reshape } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { optionKeys } from '../validation.js';
import type { SymbolicShape } from './symbolic.js';

export type FlattenOptions = LayerOptions;
export const FLATTEN_OPTION_KEYS = optionKeys<FlattenOptions>()({ ...LAYER_OPTION_KEY_SET });

/**
 * Flattens each sample: [batch, d1, d2, ...] → [batch, d1·d2·...], as Keras's Flatten (a
 * rank-1 input [batch] becomes [batch, 1]). The batch dimension is kept. No weights.
 *
 *   sn.layers.flatten()   // [32, 28, 28] → [32, 784]
 */
export class Flatten extends Layer {
  static override readonly className: string = 'Flatten';
  static override readonly optionKeys: readonly string[] = FLATTEN_OPTION_KEYS;

  constructor(options: FlattenOptions = {}) {
    super(options);
    this.inputSpec = { minRank: 1 };
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
    return reshape(x, [x.shape[0]!, features]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    const known = rest.every((d) => d !== null);
    return [inputShape[0] ?? null, known ? rest.reduce<number>((a, b) => a * b!, 1) : null];
  }
}
