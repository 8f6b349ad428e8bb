import type { Tensor } from '../tensor/tensor.js';
import { fromConfigDefault, type ConfigDict, type Serializable } from '../serialization.js';

/**
 * How a layer reduces an activity penalty over the batch (docs/semantics.md rules 6–8):
 * 'sum' means apply() sums over every element, so the layer divides by the batch size;
 * 'batchMean' means apply() already returns a batch statistic (klSparsity), so it does not.
 */
export type RegularizerReduction = 'sum' | 'batchMean';

/** A penalty: maps a tensor (weights or activations) to a scalar tensor. */
export abstract class Regularizer implements Serializable {
  get reduction(): RegularizerReduction {
    return 'sum';
  }
  abstract apply(x: Tensor): Tensor;
  abstract getConfig(): ConfigDict;

  /** Rebuilds a regularizer from getConfig()'s output (its options, null meaning default). */
  static fromConfig(config: ConfigDict): Regularizer {
    return fromConfigDefault(this, config);
  }
}

/** A plain function is accepted wherever a regularizer is (rule 1). */
export type RegularizerFunction = (x: Tensor) => Tensor;
