import { ConfigError } from '../../errors.js';
import { describeTyped } from '../../validation.js';
import {
  fromConfigDefault,
  withoutNulls,
  type ConfigDict,
  type JsonValue,
  type Serializable,
  type SerializableClass,
} from '../../serialization.js';

/**
 * Learning-rate schedules: a learning rate as a function of the optimizer step (the number
 * of steps applied so far, starting at 0). Pass one as any optimizer's `learningRate`. The
 * formulas are Keras 3's (`keras.optimizers.schedules`), so configs port 1:1; `warmup` is
 * sinew's own.
 */
export abstract class LearningRateSchedule implements Serializable {
  /** The learning rate at optimizer step `step` (0 for the first step). */
  abstract at(step: number): number;
  abstract getConfig(): ConfigDict;

  /**
   * Rebuilds a schedule from getConfig()'s output or a Keras config: its options, null
   * meaning "not set"; Keras's `name` has no meaning here and is dropped.
   */
  static fromConfig(config: ConfigDict): LearningRateSchedule {
    return fromConfigDefault(this, withoutName(config));
  }
}

/** A Keras schedule config without its `name` (sinew's schedules have none). */
export function withoutName(config: ConfigDict): ConfigDict {
  const rest = withoutNulls(config);
  delete rest.name;
  return rest;
}

/** A number or a schedule, as an optimizer's learningRate or a warmup's target. */
export type LearningRate = number | LearningRateSchedule;

/** A number as itself; a schedule evaluated at `step`. */
export function learningRateAt(lr: LearningRate, step: number): number {
  return typeof lr === 'number' ? lr : lr.at(step);
}

/** A learning rate in config form: the number, or the schedule's `{ className, config }`. */
export function serializeLearningRate(lr: LearningRate): JsonValue {
  if (typeof lr === 'number') return lr;
  const cls = lr.constructor as SerializableClass<LearningRateSchedule> & typeof lr.constructor;
  return { className: cls.className, config: lr.getConfig() };
}

/** Checks a learning rate option: a finite number > 0 (>= 0 if `allowZero`) or a schedule. */
export function checkLearningRate(
  owner: string,
  name: string,
  value: unknown,
  fallback: number,
  allowZero = false,
): LearningRate {
  if (value instanceof LearningRateSchedule) return value;
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (!allowZero && value === 0)
  ) {
    throw new ConfigError(
      `${owner}: ${name} must be a finite number ${allowZero ? '>= 0' : '> 0'} or a learning-rate ` +
        `schedule, received ${describeTyped(value)}; ` +
        `pass e.g. ${name}: ${fallback} or sn.optimizers.schedules.exponentialDecay({...}).`,
    );
  }
  return value;
}
