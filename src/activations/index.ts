// Activation functions: sn.activations.getActivation('relu'), new sn.activations.Elu({ alpha }).
export * from './activation.js';
