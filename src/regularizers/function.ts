import { ConfigError, ShapeError, describe } from '../errors.js';
import { reshape } from '../ops/index.js';
import { scalar } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { Regularizer, type RegularizerFunction } from './regularizer.js';

const NOT_SERIALIZABLE =
  'custom regularizer functions cannot be serialized as a config: a function has none. sn.io.save writes a named function by its ' +
  'name, and sn.io.load finds it again through load(path, { customObjects: { myPenalty } }) or ' +
  'sn.serialization.registerClass(myPenalty). For a penalty with options, write a class: extend ' +
  "sn.regularizers.Regularizer, declare static readonly className = 'MyPenalty', apply(x), getConfig() " +
  'and static fromConfig(config), and register it with sn.serialization.registerClass(MyPenalty).';

/**
 * A plain function `(x) => scalar` used as a regularizer (docs/semantics.md rule 1). Its reduction
 * is 'sum' (a layer divides an activity penalty by the batch size). It cannot be serialized.
 */
export class FunctionRegularizer extends Regularizer {
  static readonly className = 'Function';
  readonly fn: RegularizerFunction;

  constructor(fn: RegularizerFunction) {
    super();
    if (typeof fn !== 'function') {
      throw new ConfigError(
        `FunctionRegularizer expects a function (x) => scalar tensor, received ${describe(fn)}.`,
      );
    }
    this.fn = fn;
  }

  /** Calls the function; a number becomes a scalar, a one-element tensor is reshaped to []. */
  apply(x: Tensor): Tensor {
    const out: unknown = this.fn(x);
    const name = this.fn.name ? `'${this.fn.name}'` : '(anonymous)';
    if (typeof out === 'number') return scalar(out, x.dtype === 'float64' ? 'float64' : 'float32');
    if (!(out instanceof Tensor)) {
      throw new ConfigError(
        `regularizer function ${name} must return a scalar tensor, received ${describe(out)}.`,
      );
    }
    if (out.size !== 1) {
      throw new ShapeError(
        `regularizer function ${name} must return a scalar, received shape ${formatShape(out.shape)}; ` +
          'reduce it, e.g. with sn.sum(...).',
      );
    }
    return out.rank === 0 ? out : reshape(out, []);
  }

  getConfig(): ConfigDict {
    throw new ConfigError(`Function regularizer: ${NOT_SERIALIZABLE}`);
  }

  static override fromConfig(_config: ConfigDict): FunctionRegularizer {
    throw new ConfigError(`Cannot load a 'Function' regularizer: ${NOT_SERIALIZABLE}`);
  }
}
