/**
 * Optimizers and learning-rate schedules: `sn.optimizers.adam({ learningRate: 1e-3 })`,
 * `sn.optimizers.schedules.cosineDecay({...})`. Option names follow TensorFlow.js and Keras
 * (camelCase); the update rules are Keras 3's exactly (each class documents its formula and
 * where TensorFlow.js differs).
 *
 * The family's files: optimizer.ts (the Optimizer base, with the default fromConfig), get.ts
 * (the registry and getOptimizer), this file (the factories), one file per optimizer. The
 * schedules are a family of their own, with the same files, in schedules/.
 */
import { Adagrad, type AdagradOptions } from './adagrad.js';
import { Adam, AdamW, type AdamOptions, type AdamWOptions } from './adam.js';
import { Adamax, type AdamaxOptions } from './adamax.js';
import { Nadam, type NadamOptions } from './nadam.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { SGD, type SGDOptions } from './sgd.js';

export { Optimizer, Slots, type GradientsInput, type OptimizerOptions } from './optimizer.js';
export { getOptimizer, optimizerRegistry, type OptimizerIdentifier } from './get.js';
export { Adagrad, Adam, AdamW, Adamax, Nadam, RMSprop, SGD };
export type {
  AdagradOptions,
  AdamOptions,
  AdamWOptions,
  AdamaxOptions,
  NadamOptions,
  RMSpropOptions,
  SGDOptions,
};
export * as schedules from './schedules/index.js';
export { LearningRateSchedule, type LearningRate } from './schedules/schedule.js';
export { scheduleRegistry } from './schedules/get.js';

/** Gradient descent (default learningRate 0.01), optionally with (Nesterov) momentum. */
export function sgd(options?: SGDOptions): SGD {
  return new SGD(options);
}
/** Adam (default learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7). */
export function adam(options?: AdamOptions): Adam {
  return new Adam(options);
}
/** Adam with decoupled weight decay (default weightDecay 0.004). */
export function adamw(options?: AdamWOptions): AdamW {
  return new AdamW(options);
}
/** RMSprop (default learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7). */
export function rmsprop(options?: RMSpropOptions): RMSprop {
  return new RMSprop(options);
}
/** Adagrad (default learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7). */
export function adagrad(options?: AdagradOptions): Adagrad {
  return new Adagrad(options);
}
/** Adamax (default learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7). */
export function adamax(options?: AdamaxOptions): Adamax {
  return new Adamax(options);
}
/** Nadam (default learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7). */
export function nadam(options?: NadamOptions): Nadam {
  return new Nadam(options);
}
