import { fill } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { Initializer } from './initializer.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../validation.js';

/** All zeros. */
export class Zeros extends Initializer {
  static readonly className = 'Zeros';

  apply(shape: readonly number[], dtype?: DType): Tensor {
    return fill(shape, 0, dtype);
  }

  getConfig(): ConfigDict {
    return {};
  }
}

/** All ones. */
export class Ones extends Initializer {
  static readonly className = 'Ones';

  apply(shape: readonly number[], dtype?: DType): Tensor {
    return fill(shape, 1, dtype);
  }

  getConfig(): ConfigDict {
    return {};
  }
}

export interface ConstantOptions {
  /** The value of every element (default 0, as Keras). */
  value?: number;
}
const CONSTANT_OPTION_KEYS = optionKeys<ConstantOptions>()({ value: true });

/** Every element equal to `value`. */
export class Constant extends Initializer {
  static readonly className = 'Constant';
  static readonly optionKeys = CONSTANT_OPTION_KEYS;
  readonly value: number;

  constructor(args: ConstantOptions = {}) {
    super();
    checkOptionKeys(args, 'constant', CONSTANT_OPTION_KEYS);
    this.value = checkNumber(args.value ?? 0, 'constant', 'value');
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    return fill(shape, this.value, dtype);
  }

  getConfig(): ConfigDict {
    return { value: this.value };
  }
}
