import { add, div, elu, gelu, leakyRelu, logSoftmax, mul, relu, relu6 } from '../ops/index.js';
import { selu, sigmoid, softmax, softplus, softsign, swish, tanh } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBoolean, checkNumber, checkOptionKeys, optionKeys } from '../validation.js';
import { Activation } from './activation.js';

/** An activation without options, defined by its names and its op. */
function stateless(className: string, kerasName: string, fn: (x: Tensor) => Tensor) {
  return class extends Activation {
    static readonly className: string = className;
    static readonly kerasName: string = kerasName;
    apply(x: Tensor): Tensor {
      return fn(x);
    }
  };
}

/** f(x) = x */
export class Linear extends stateless('linear', 'linear', (x) => x) {}

/** max(x, 0) */
export class Relu extends stateless('relu', 'relu', relu) {}

/** min(max(x, 0), 6) */
export class Relu6 extends stateless('relu6', 'relu6', relu6) {}

/** 1 / (1 + e^−x) */
export class Sigmoid extends stateless('sigmoid', 'sigmoid', sigmoid) {}

/** relu6(x + 3) / 6: 0 for x <= −3, 1 for x >= 3, x/6 + 0.5 between (Keras 3). */
export class HardSigmoid extends stateless('hardSigmoid', 'hard_sigmoid', (x) =>
  div(relu6(add(x, 3)), 6),
) {}

export class Tanh extends stateless('tanh', 'tanh', tanh) {}

export interface SoftmaxOptions {
  /** The axis the probabilities sum to 1 over (default -1, the last). */
  axis?: number;
}
const SOFTMAX_OPTION_KEYS = optionKeys<SoftmaxOptions>()({ axis: true });

/** exp(x) / Σ exp(x) over `axis` (default the last), computed stably. */
export class Softmax extends Activation {
  static readonly className = 'softmax';
  static readonly optionKeys = SOFTMAX_OPTION_KEYS;
  static readonly kerasName = 'softmax';
  readonly axis: number;
  constructor(options: SoftmaxOptions = {}) {
    super();
    checkOptionKeys(options, 'softmax', SOFTMAX_OPTION_KEYS);
    this.axis = checkNumber(options.axis, 'softmax', 'axis', { integer: true, fallback: -1 });
  }
  apply(x: Tensor): Tensor {
    return softmax(x, this.axis);
  }
  override getConfig(): ConfigDict {
    return { axis: this.axis };
  }
}

export interface LogSoftmaxOptions {
  /** The axis the log-probabilities are normalised over (default -1, the last). */
  axis?: number;
}
const LOG_SOFTMAX_OPTION_KEYS = optionKeys<LogSoftmaxOptions>()({ axis: true });

/**
 * log(softmax(x)) = x − log Σ exp(x) over `axis` (default the last), computed stably in one
 * kernel: large logits give finite values where log(softmax(x)) would give −Infinity.
 */
export class LogSoftmax extends Activation {
  static readonly className = 'logSoftmax';
  static readonly optionKeys = LOG_SOFTMAX_OPTION_KEYS;
  static readonly kerasName = 'log_softmax';
  readonly axis: number;
  constructor(options: LogSoftmaxOptions = {}) {
    super();
    checkOptionKeys(options, 'log_softmax', LOG_SOFTMAX_OPTION_KEYS);
    this.axis = checkNumber(options.axis, 'log_softmax', 'axis', { integer: true, fallback: -1 });
  }
  apply(x: Tensor): Tensor {
    return logSoftmax(x, this.axis);
  }
  override getConfig(): ConfigDict {
    return { axis: this.axis };
  }
}

/** log(1 + e^x) */
export class Softplus extends stateless('softplus', 'softplus', softplus) {}

/** x / (1 + |x|) */
export class Softsign extends stateless('softsign', 'softsign', softsign) {}

export interface EluOptions {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}
const ELU_OPTION_KEYS = optionKeys<EluOptions>()({ alpha: true });

/** x for x > 0, alpha·(e^x − 1) otherwise. */
export class Elu extends Activation {
  static readonly className = 'elu';
  static readonly optionKeys = ELU_OPTION_KEYS;
  static readonly kerasName = 'elu';
  readonly alpha: number;
  constructor(options: EluOptions = {}) {
    super();
    checkOptionKeys(options, 'elu', ELU_OPTION_KEYS);
    this.alpha = checkNumber(options.alpha ?? 1, 'elu', 'alpha');
  }
  apply(x: Tensor): Tensor {
    return elu(x, { alpha: this.alpha });
  }
  override getConfig(): ConfigDict {
    return { alpha: this.alpha };
  }
}

/** scale·elu(x, alpha) with the self-normalizing constants. */
export class Selu extends stateless('selu', 'selu', selu) {}

export interface GeluOptions {
  /** Use the tanh approximation (default false: the exact erf form, as Keras). */
  approximate?: boolean;
}
const GELU_OPTION_KEYS = optionKeys<GeluOptions>()({ approximate: true });

/** x·Φ(x) */
export class Gelu extends Activation {
  static readonly className = 'gelu';
  static readonly optionKeys = GELU_OPTION_KEYS;
  static readonly kerasName = 'gelu';
  readonly approximate: boolean;
  constructor(options: GeluOptions = {}) {
    super();
    checkOptionKeys(options, 'gelu', GELU_OPTION_KEYS);
    this.approximate = checkBoolean(options.approximate, 'gelu', 'approximate', false);
  }
  apply(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }
  override getConfig(): ConfigDict {
    return { approximate: this.approximate };
  }
}

export interface LeakyReluActivationOptions {
  /** Slope for x < 0 (default 0.2, as keras.activations.leaky_relu). */
  negativeSlope?: number;
}
const LEAKY_RELU_OPTION_KEYS = optionKeys<LeakyReluActivationOptions>()({ negativeSlope: true });

/** x for x > 0, negativeSlope·x otherwise. */
export class LeakyRelu extends Activation {
  static readonly className = 'leakyRelu';
  static readonly optionKeys = LEAKY_RELU_OPTION_KEYS;
  static readonly kerasName = 'leaky_relu';
  readonly negativeSlope: number;
  constructor(options: LeakyReluActivationOptions = {}) {
    super();
    checkOptionKeys(options, 'leaky_relu', LEAKY_RELU_OPTION_KEYS);
    this.negativeSlope = checkNumber(options.negativeSlope ?? 0.2, 'leaky_relu', 'negativeSlope');
  }
  apply(x: Tensor): Tensor {
    return leakyRelu(x, { alpha: this.negativeSlope });
  }
  override getConfig(): ConfigDict {
    return { negativeSlope: this.negativeSlope };
  }
}

/** x·σ(x), also called SiLU (Keras 3's own name for it is 'silu'; 'swish' is its alias). */
export class Swish extends stateless('swish', 'swish', swish) {}

/** x·tanh(softplus(x)) (Misra 2019): smooth, non-monotonic like swish, minimum ≈ −0.31. */
export class Mish extends stateless('mish', 'mish', (x) => mul(x, tanh(softplus(x)))) {}
