import {
  fromConfigDefault,
  type ConfigDict,
  type KerasSerializedObject,
  type Serializable,
  type SerializedObject,
} from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';

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

  /** Rebuilds an activation from getConfig()'s output (its options, null meaning default). */
  static fromConfig(config: ConfigDict): Activation {
    return fromConfigDefault(this, config);
  }
}

/** A name (Keras snake_case or TensorFlow.js camelCase), an Activation object or a config. */
export type ActivationIdentifier = string | Activation | SerializedObject | KerasSerializedObject;

/** What each built-in activation's class declares besides `className`. */
export interface ActivationClass {
  readonly className: string;
  /** The Keras name, used when saving and in summaries. */
  readonly kerasName: string;
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
