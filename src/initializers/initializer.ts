import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { fromConfigDefault, type ConfigDict, type Serializable } from '../serialization.js';

/** Makes the initial value of a weight of a given shape (seeded where random). */
export abstract class Initializer implements Serializable {
  abstract apply(shape: readonly number[], dtype?: DType): Tensor;
  abstract getConfig(): ConfigDict;

  /** Rebuilds an initializer from getConfig()'s output (its options, null meaning default). */
  static fromConfig(config: ConfigDict): Initializer {
    return fromConfigDefault(this, config);
  }
}
