// sn.activations: activation functions as small serializable objects:
// sn.activations.getActivation('relu'), new sn.activations.Elu({ alpha }). The classes take
// their options in the constructor, so the family has no factories (a layer's `activation`
// option takes a name or an instance); the registry and getActivation live in get.ts.
export {
  Activation,
  activationName,
  type ActivationClass,
  type ActivationIdentifier,
} from './activation.js';
export * from './builtins.js';
export { activationRegistry, getActivation } from './get.js';
