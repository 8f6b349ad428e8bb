import { ConfigError } from '../errors.js';
import {
  activationName,
  getActivation,
  type Activation as ActivationFn,
  type ActivationIdentifier,
} from '../activations/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { optionKeys } from '../validation.js';
import { activeTap } from './taps.js';

export interface ActivationOptions extends LayerOptions {
  /** The activation, by Keras name ('relu', 'hard_sigmoid') or as an Activation object. */
  activation: ActivationIdentifier;
}
export const ACTIVATION_OPTION_KEYS = optionKeys<ActivationOptions>()({
  ...LAYER_OPTION_KEY_SET,
  activation: true,
});

/**
 * Applies an activation function elementwise: `output = activation(input)`, as Keras's
 * Activation layer.
 *
 * Input any shape → output the same shape. No weights.
 *
 *   sn.layers.activation({ activation: 'relu' })
 */
export class Activation extends Layer {
  static override readonly className: string = 'Activation';
  static override readonly optionKeys: readonly string[] = ACTIVATION_OPTION_KEYS;

  readonly activation: ActivationFn;

  constructor(options: ActivationOptions) {
    super(options);
    if (options?.activation === undefined || options.activation === null) {
      throw new ConfigError(
        `Activation '${this.name}': the activation option is required, e.g. sn.layers.activation({ activation: 'relu' }).`,
      );
    }
    this.activation = getActivation(options.activation);
  }

  call(inputs: LayerInput): Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
    activeTap()?.onPreActivation?.(this, x);
    return this.activation.apply(x);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), activation: activationName(this.activation) };
  }
}
