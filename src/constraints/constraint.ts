import type { Tensor } from '../tensor/tensor.js';
import { fromConfigDefault, type ConfigDict, type Serializable } from '../serialization.js';

/** Projects a weight back onto an allowed set after each optimizer step. */
export abstract class Constraint implements Serializable {
  abstract apply(w: Tensor): Tensor;
  abstract getConfig(): ConfigDict;

  /** Rebuilds a constraint from getConfig()'s output (its options, null meaning default). */
  static fromConfig(config: ConfigDict): Constraint {
    return fromConfigDefault(this, config);
  }
}
