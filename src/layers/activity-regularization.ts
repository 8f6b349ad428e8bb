import { ConfigError, describe } from '../errors.js';
import { L1L2 } from '../regularizers/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type LayerInput, type LayerOptions } from './layer.js';
import { optionKeys } from '../validation.js';

export interface ActivityRegularizationOptions extends Omit<LayerOptions, 'activityRegularizer'> {
  /** L1 coefficient (default 0). */
  l1?: number;
  /** L2 coefficient (default 0). */
  l2?: number;
}
export const ACTIVITY_REGULARIZATION_OPTION_KEYS = optionKeys<ActivityRegularizationOptions>()({
  name: true,
  trainable: true,
  inputShape: true,
  batchInputShape: true,
  dtype: true,
  activityRegularizerReduction: true,
  l1: true,
  l2: true,
});

/**
 * An identity layer that puts an activity penalty on the tensor passing through it, as
 * Keras's ActivityRegularization (docs/semantics.md rule 16):
 *
 *   output = input,   penalty = l1·Σ|x| + l2·Σx²   (divided by the batch size, rule 6)
 *
 * The penalty is the base layer's activity regularizer (an L1L2), so it is applied, reduced
 * and reported exactly as any layer's `activityRegularizer` ('<name>/activity' in losses).
 *
 * Input any shape → output the same shape. No weights.
 *
 *   sn.layers.activityRegularization({ l1: 1e-4 })   // sparse codes after a sigmoid layer
 */
export class ActivityRegularization extends Layer {
  static override readonly className: string = 'ActivityRegularization';
  static override readonly optionKeys: readonly string[] = ACTIVITY_REGULARIZATION_OPTION_KEYS;

  readonly l1: number;
  readonly l2: number;

  constructor(options: ActivityRegularizationOptions = {}) {
    if ((options as LayerOptions)?.activityRegularizer !== undefined) {
      throw new ConfigError(
        'ActivityRegularization: pass l1 and l2, not activityRegularizer (the layer makes its own), ' +
          'e.g. sn.layers.activityRegularization({ l1: 1e-4 }).',
      );
    }
    super(options);
    const check = (value: unknown, arg: string): number => {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new ConfigError(
          `ActivityRegularization '${this.name}': ${arg} must be a finite number >= 0, received ${describe(value)}; ` +
            'e.g. sn.layers.activityRegularization({ l1: 1e-4 }).',
        );
      }
      return value;
    };
    this.l1 = check(options.l1 ?? 0, 'l1');
    this.l2 = check(options.l2 ?? 0, 'l2');
    this.activityRegularizer = new L1L2({ l1: this.l1, l2: this.l2 });
  }

  call(inputs: LayerInput): Tensor {
    return (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor;
  }

  override getConfig(): ConfigDict {
    // Keras writes l1 and l2, not the activity regularizer the layer makes from them.
    const config = super.getConfig();
    delete config.activityRegularizer;
    return { ...config, l1: this.l1, l2: this.l2 };
  }
}
