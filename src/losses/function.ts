import { ConfigError, describe } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { checkName, checkOptionKeys } from '../validation.js';
import { LOSS_OPTION_KEYS, Loss, type LossOptions } from './loss.js';

/** A plain function (yTrue, yPred) → per-sample losses. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * A plain function used as a loss. Its per-sample values are reduced like any loss's; its
 * name (for logs) is the function's name. It cannot be saved by name: register a Loss
 * subclass for that.
 */
export class LossFunctionWrapper extends Loss {
  static readonly className = 'LossFunctionWrapper';
  readonly name: string;
  readonly fn: LossFunction;
  constructor(fn: LossFunction, options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'LossFunctionWrapper', LOSS_OPTION_KEYS);
    this.fn = fn;
    this.name = checkName(options.name, 'loss function', fn.name || 'loss');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const out = this.fn(yTrue, yPred);
    if (!(out instanceof Tensor)) {
      throw new ConfigError(
        `loss function ${this.name}: must return a Tensor of per-sample losses, received ${describe(out)}.`,
      );
    }
    return out;
  }
}
