import { maximum, mul, sub } from '../ops/index.js';
import { noGrad } from '../autograd/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, alignTargets, meanLastAxis } from './loss.js';
import { LOSS_OPTION_KEYS, type LossOptions } from './loss.js';
import { checkName, checkOptionKeys } from '../validation.js';

/**
 * mean(max(1 − y·yPred, 0)) over the last axis, for labels y in {−1, 1}. As Keras, labels
 * that are all 0 or 1 are first mapped to −1 and 1 (2y − 1); any other labels are used as
 * they are.
 */
export class Hinge extends Loss {
  static readonly className = 'Hinge';
  static readonly optionKeys: readonly string[] = LOSS_OPTION_KEYS;
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'hinge', LOSS_OPTION_KEYS);
    this.name = checkName(options.name, 'hinge', 'hinge');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [labels, p] = alignTargets(yTrue, yPred, this.name);
    let y = labels;
    if (isBinary(y)) y = sub(mul(y, 2), 1);
    return meanLastAxis(maximum(sub(1, mul(y, p)), 0));
  }
}

/** Whether every label is 0 or 1 (read once, outside the tape). */
function isBinary(y: Tensor): boolean {
  const values = noGrad(() => y.dataSync());
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== 1) return false;
  return true;
}
