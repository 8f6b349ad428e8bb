import { ConfigError, describe } from '../errors.js';
import { add, div, elu, gelu, leakyRelu, logSoftmax, mul, relu, relu6 } from '../ops/index.js';
import { selu, sigmoid, softmax, softplus, softsign, swish, tanh } from '../ops/index.js';
import { Registry, type ConfigDict, type Serializable } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  checkBoolean,
  checkNumber,
  checkOptionKeys,
  optionKeys,
  pickOptions,
} from '../validation.js';

/**
 * Activation functions as small serializable objects, resolved by name as Keras does
 * (`'relu'`, `'hard_sigmoid'`, `'leaky_relu'`, ...) and by TensorFlow.js's camelCase
 * spellings (`'hardSigmoid'`, `'leakyRelu'`). Each one is a composition of ops in src/ops, so
 * it has a gradient for free. Semantics follow Keras 3 where TensorFlow.js differs:
 * hard_sigmoid is relu6(x + 3) / 6 (TensorFlow.js still uses 0.2·x + 0.5), leaky_relu's
 * negative slope is 0.2 (the LeakyReLU *layer* uses 0.3), gelu is the exact erf form, softmax
 * and log_softmax are over the last axis.
 */
export abstract class Activation implements Serializable {
  abstract apply(x: Tensor): Tensor;
  getConfig(): ConfigDict {
    return {};
  }
}

/** A name (Keras snake_case or TensorFlow.js camelCase) or an Activation object. */
export type ActivationIdentifier = string | Activation;

/** What each built-in activation's class declares besides `className`. */
interface ActivationClass {
  readonly className: string;
  /** The Keras name, used when saving and in summaries. */
  readonly kerasName: string;
}

/** An activation without options, defined by its names and its op. */
function stateless(className: string, kerasName: string, fn: (x: Tensor) => Tensor) {
  return class extends Activation {
    static readonly className: string = className;
    static readonly kerasName: string = kerasName;
    apply(x: Tensor): Tensor {
      return fn(x);
    }
    static fromConfig(): Activation {
      return new this();
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
  static fromConfig(config: ConfigDict): Softmax {
    return new Softmax(pickOptions(config, SOFTMAX_OPTION_KEYS) as SoftmaxOptions);
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
  static fromConfig(config: ConfigDict): LogSoftmax {
    return new LogSoftmax(pickOptions(config, LOG_SOFTMAX_OPTION_KEYS) as LogSoftmaxOptions);
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
  static fromConfig(config: ConfigDict): Elu {
    return new Elu(pickOptions(config, ELU_OPTION_KEYS) as EluOptions);
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
  static fromConfig(config: ConfigDict): Gelu {
    return new Gelu(pickOptions(config, GELU_OPTION_KEYS) as GeluOptions);
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
  static fromConfig(config: ConfigDict): LeakyRelu {
    return new LeakyRelu(pickOptions(config, LEAKY_RELU_OPTION_KEYS) as LeakyReluActivationOptions);
  }
}

/** x·σ(x), also called SiLU (Keras 3's own name for it is 'silu'; 'swish' is its alias). */
export class Swish extends stateless('swish', 'swish', swish) {}

/** x·tanh(softplus(x)) (Misra 2019): smooth, non-monotonic like swish, minimum ≈ −0.31. */
export class Mish extends stateless('mish', 'mish', (x) => mul(x, tanh(softplus(x)))) {}

/** Every built-in activation, by className, Keras name and TensorFlow.js spelling. */
export const activationRegistry = new Registry<Activation>('activation');
const BUILTINS = [
  Linear,
  Relu,
  Relu6,
  Sigmoid,
  HardSigmoid,
  Tanh,
  Softmax,
  LogSoftmax,
  Softplus,
  Softsign,
  Elu,
  Selu,
  Gelu,
  LeakyRelu,
  Swish,
  Mish,
];
for (const cls of BUILTINS) {
  const aliases = cls.kerasName === cls.className ? [] : [cls.kerasName];
  activationRegistry.register(cls, ...aliases);
}
activationRegistry.register(Swish, 'silu');

/**
 * Resolves an activation identifier: undefined or null give Linear, a name gives a new
 * instance with default options, an Activation is returned as it is.
 *
 *   getActivation('relu'); getActivation('hard_sigmoid'); getActivation(new Elu({ alpha: 0.5 }))
 */
export function getActivation(id?: ActivationIdentifier | null): Activation {
  if (id === undefined || id === null) return new Linear();
  if (id instanceof Activation) return id;
  if (typeof id === 'string' && activationRegistry.has(id)) {
    return activationRegistry.get(id).fromConfig({});
  }
  throw new ConfigError(
    `Unknown activation ${describe(id)}; expected one of ${activationRegistry.names().join(', ')}, ` +
      'or an Activation object (subclass sn.activations.Activation for your own).',
  );
}

/**
 * The Keras snake_case name of an activation ('relu', 'hard_sigmoid', 'leaky_relu'), used
 * when saving and in summaries. A custom subclass gives its static className, else its
 * constructor's name.
 */
export function activationName(a: Activation): string {
  const cls = a.constructor as Partial<ActivationClass> & { name: string };
  return cls.kerasName ?? cls.className ?? cls.name;
}
