import { Registry, isSerializedObject } from '../../serialization.js';
import { CosineDecay, ExponentialDecay, LinearWarmup, PiecewiseConstantDecay } from './builtins.js';
import { LearningRateSchedule } from './schedule.js';

/** The schedule classes, by className (for fromConfig and for model files). */
export const scheduleRegistry = new Registry<LearningRateSchedule>(
  'learning rate schedule',
  LearningRateSchedule,
);
scheduleRegistry.register(ExponentialDecay);
scheduleRegistry.register(CosineDecay);
scheduleRegistry.register(PiecewiseConstantDecay, 'PiecewiseConstant');
scheduleRegistry.register(LinearWarmup);

/**
 * Resolves an optimizer's `learningRate` read from a config: a serialized schedule
 * `{ className, config }` → a new schedule; anything else (a number) as it is, for the
 * optimizer's own check. (The inverse of serializeLearningRate in schedule.ts.)
 */
export function deserializeLearningRate(value: unknown): unknown {
  return isSerializedObject(value) ? scheduleRegistry.deserialize(value) : value;
}
