import { Registry } from '../serialization.js';
import { Activation, type ActivationIdentifier } from './activation.js';
import {
  Elu,
  Gelu,
  HardSigmoid,
  LeakyRelu,
  Linear,
  LogSoftmax,
  Mish,
  Relu,
  Relu6,
  Selu,
  Sigmoid,
  Softmax,
  Softplus,
  Softsign,
  Swish,
  Tanh,
} from './builtins.js';

/** Every built-in activation, by className, Keras name and TensorFlow.js spelling. */
export const activationRegistry = new Registry<Activation>('activation', Activation);
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
 * Resolves an activation identifier: undefined or null give Linear, a name (a registered
 * className, Keras name or TensorFlow.js spelling) gives a new instance with default options,
 * an Activation is returned as it is, a config `{ className | class_name, config }` gives a
 * new instance from it.
 *
 *   getActivation('relu'); getActivation('hard_sigmoid'); getActivation(new Elu({ alpha: 0.5 }))
 */
export function getActivation(id?: ActivationIdentifier | null): Activation {
  const found = activationRegistry.resolve(id, {
    owner: 'getActivation',
    classNames: true,
    fix: 'For your own, subclass sn.activations.Activation and pass an instance.',
  });
  return found ?? new Linear();
}
