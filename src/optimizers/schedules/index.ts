// sn.optimizers.schedules: learning-rate schedules, the factories users call and the family's
// exports. schedule.ts holds the base class, builtins.ts the schedules, get.ts the registry.
// Where the recipe bends: a schedule is resolved only where an optimizer reads its
// learningRate (a number or a schedule), so get.ts has deserializeLearningRate rather than a
// public getSchedule(id).
// get.js comes first: it registers the classes of builtins.js, which imports it back for
// LinearWarmup's target (see builtins.ts).
export { scheduleRegistry } from './get.js';
import {
  CosineDecay,
  ExponentialDecay,
  LinearWarmup,
  PiecewiseConstantDecay,
  type CosineDecayOptions,
  type ExponentialDecayOptions,
  type PiecewiseConstantOptions,
  type WarmupOptions,
} from './builtins.js';

export { LearningRateSchedule, type LearningRate } from './schedule.js';
export * from './builtins.js';

/** Factories (TensorFlow.js-style names). */
export function exponentialDecay(options: ExponentialDecayOptions): ExponentialDecay {
  return new ExponentialDecay(options);
}
export function cosineDecay(options: CosineDecayOptions): CosineDecay {
  return new CosineDecay(options);
}
export function piecewiseConstant(options: PiecewiseConstantOptions): PiecewiseConstantDecay {
  return new PiecewiseConstantDecay(options);
}
export function warmup(options: WarmupOptions): LinearWarmup {
  return new LinearWarmup(options);
}
