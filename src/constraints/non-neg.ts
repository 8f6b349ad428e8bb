import { cast, greaterEqual, mul } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { Constraint } from './constraint.js';

/** Zeroes negative weights: `w · (w >= 0)`, as Keras. */
export class NonNeg extends Constraint {
  static readonly className = 'NonNeg';

  apply(w: Tensor): Tensor {
    return mul(w, cast(greaterEqual(w, 0), w.dtype));
  }

  getConfig(): ConfigDict {
    return {};
  }
}
