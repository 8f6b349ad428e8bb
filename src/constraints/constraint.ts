import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict, Serializable } from '../serialization.js';

/** Projects a weight back onto an allowed set after each optimizer step. */
export abstract class Constraint implements Serializable {
  abstract apply(w: Tensor): Tensor;
  abstract getConfig(): ConfigDict;
}
