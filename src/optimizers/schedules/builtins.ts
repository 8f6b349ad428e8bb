import { ConfigError, describe } from '../../errors.js';
import type { ConfigDict } from '../../serialization.js';
import {
  checkBoolean,
  checkNumber,
  checkOptionKeys,
  optionKeys,
  checkOptionalNumber,
  type NumberRule,
} from '../../validation.js';
// The registry lives in get.ts, which imports this file; deserializeLearningRate is used
// only inside LinearWarmup.fromConfig (at call time), so the import cycle is harmless.
import { deserializeLearningRate } from './get.js';
import {
  LearningRateSchedule,
  checkLearningRate,
  learningRateAt,
  serializeLearningRate,
  withoutName,
  type LearningRate,
} from './schedule.js';

/**
 * The built-in learning-rate schedules (`sn.optimizers.schedules.*`). Formulas are Keras 3's
 * (`keras.optimizers.schedules`), so configs port 1:1; `warmup` is sinew's own.
 */

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  /** Steps per factor of `decayRate` (> 0). */
  decaySteps: number;
  /** Factor applied every `decaySteps` steps (> 0). */
  decayRate: number;
  /** Decay in whole steps of `decaySteps` (floor of step / decaySteps). Default false. */
  staircase?: boolean;
}
const EXPONENTIAL_DECAY_OPTION_KEYS = optionKeys<ExponentialDecayOptions>()({
  initialLearningRate: true,
  decaySteps: true,
  decayRate: true,
  staircase: true,
});

/** `lr(step) = initialLearningRate · decayRate^(step / decaySteps)` (floored when `staircase`). */
export class ExponentialDecay extends LearningRateSchedule {
  static readonly className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(options: ExponentialDecayOptions) {
    super();
    const owner = 'exponentialDecay';
    const o = checkOptionKeys(
      options,
      owner,
      EXPONENTIAL_DECAY_OPTION_KEYS,
      'exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 })',
    );
    this.initialLearningRate = required(owner, 'initialLearningRate', o, { min: 0 });
    this.decaySteps = required(owner, 'decaySteps', o, { min: 0, minExclusive: true });
    this.decayRate = required(owner, 'decayRate', o, { min: 0, minExclusive: true });
    this.staircase = checkBoolean(o.staircase, owner, 'staircase', false);
  }

  at(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * Math.pow(this.decayRate, p);
  }

  getConfig(): ConfigDict {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      decayRate: this.decayRate,
      staircase: this.staircase,
    };
  }
}

export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Steps of the cosine decay (after the warmup, if any) (> 0). */
  decaySteps: number;
  /** The final learning rate as a fraction of the decay's starting rate. Default 0. */
  alpha?: number;
  /** With warmup: rise linearly from initialLearningRate to this rate, then decay from it. */
  warmupTarget?: number;
  /** Steps of the linear warmup (used only with warmupTarget). Default 0. */
  warmupSteps?: number;
}
const COSINE_DECAY_OPTION_KEYS = optionKeys<CosineDecayOptions>()({
  initialLearningRate: true,
  decaySteps: true,
  alpha: true,
  warmupTarget: true,
  warmupSteps: true,
});

/**
 * Cosine decay with an optional linear warmup (Keras 3's CosineDecay). Without warmupTarget:
 * `lr(step) = initialLearningRate · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) /
 * decaySteps)) + alpha)`. With warmupTarget: for step < warmupSteps, `initialLearningRate +
 * (warmupTarget − initialLearningRate) · step / warmupSteps`; after it, the cosine decay
 * above starting from warmupTarget at step − warmupSteps.
 */
export class CosineDecay extends LearningRateSchedule {
  static readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | undefined;
  readonly warmupSteps: number;

  constructor(options: CosineDecayOptions) {
    super();
    const owner = 'cosineDecay';
    const o = checkOptionKeys(
      options,
      owner,
      COSINE_DECAY_OPTION_KEYS,
      'cosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 })',
    );
    this.initialLearningRate = required(owner, 'initialLearningRate', o, { min: 0 });
    this.decaySteps = required(owner, 'decaySteps', o, { min: 0, minExclusive: true });
    this.alpha = checkNumber(o.alpha, owner, 'alpha', { min: 0, max: 1, fallback: 0 });
    this.warmupTarget = checkOptionalNumber(o.warmupTarget, owner, 'warmupTarget', { min: 0 });
    this.warmupSteps = checkNumber(o.warmupSteps, owner, 'warmupSteps', { min: 0, fallback: 0 });
  }

  #decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  at(step: number): number {
    if (this.warmupTarget === undefined) {
      return this.#decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    }
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) {
      const delta = this.warmupTarget - this.initialLearningRate;
      return delta * (s / this.warmupSteps) + this.initialLearningRate;
    }
    return this.#decay(s - this.warmupSteps, this.warmupTarget);
  }

  getConfig(): ConfigDict {
    return {
      initialLearningRate: this.initialLearningRate,
      decaySteps: this.decaySteps,
      alpha: this.alpha,
      warmupTarget: this.warmupTarget ?? null,
      warmupSteps: this.warmupSteps,
    };
  }
}

export interface PiecewiseConstantOptions {
  /** Strictly increasing step numbers. */
  boundaries: readonly number[];
  /** One more value than boundaries. */
  values: readonly number[];
}
const PIECEWISE_CONSTANT_OPTION_KEYS = optionKeys<PiecewiseConstantOptions>()({
  boundaries: true,
  values: true,
});

/**
 * A step function (Keras 3's PiecewiseConstantDecay): `values[0]` while step <=
 * boundaries[0], `values[i]` while boundaries[i−1] < step <= boundaries[i], and the last
 * value after the last boundary.
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(options: PiecewiseConstantOptions) {
    super();
    const owner = 'piecewiseConstant';
    const o = checkOptionKeys(
      options,
      owner,
      PIECEWISE_CONSTANT_OPTION_KEYS,
      'piecewiseConstant({ boundaries: [100, 200], values: [0.1, 0.01, 0.001] })',
    );
    const { boundaries, values } = o;
    if (!isNumberArray(boundaries) || !isNumberArray(values)) {
      throw new ConfigError(
        `${owner}: boundaries and values must be arrays of finite numbers, received boundaries ` +
          `${describe(boundaries)} and values ${describe(values)}; e.g. piecewiseConstant({ ` +
          'boundaries: [100, 200], values: [0.1, 0.01, 0.001] }).',
      );
    }
    if (values.length !== boundaries.length + 1) {
      throw new ConfigError(
        `${owner}: values must have one more element than boundaries, received ` +
          `${boundaries.length} boundaries and ${values.length} values.`,
      );
    }
    for (let i = 1; i < boundaries.length; i++) {
      if (!(boundaries[i]! > boundaries[i - 1]!)) {
        throw new ConfigError(
          `${owner}: boundaries must be strictly increasing, received ${describe(boundaries)}.`,
        );
      }
    }
    if (values.some((v) => v < 0)) {
      throw new ConfigError(`${owner}: values must be >= 0, received ${describe(values)}.`);
    }
    this.boundaries = Object.freeze(boundaries.slice());
    this.values = Object.freeze(values.slice());
  }

  at(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.boundaries.length : i]!;
  }

  getConfig(): ConfigDict {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}

export interface WarmupOptions {
  /** Steps of the linear ramp (an integer >= 0). */
  warmupSteps: number;
  /** What follows the warmup: a constant rate, or a schedule that starts at step 0 after it. */
  target: LearningRate;
  /** The rate at step 0. Default 0. */
  initialLearningRate?: number;
}
const WARMUP_OPTION_KEYS = optionKeys<WarmupOptions>()({
  warmupSteps: true,
  target: true,
  initialLearningRate: true,
});

/**
 * A linear warmup in front of a constant rate or another schedule (sinew's own; Keras has
 * warmup only inside CosineDecay). With `t0` = the target's rate at its own step 0:
 * - step < warmupSteps: `initialLearningRate + (t0 − initialLearningRate) · step / warmupSteps`
 *   (so step 0 gives initialLearningRate and the ramp reaches t0 at step warmupSteps);
 * - step >= warmupSteps: the target at `step − warmupSteps` (the wrapped schedule starts
 *   after the warmup, as Keras's CosineDecay does).
 * So `warmup({ warmupSteps: w, target: cosineDecay({ initialLearningRate: p, decaySteps: d }),
 * initialLearningRate: a })` equals `cosineDecay({ initialLearningRate: a, decaySteps: d,
 * warmupTarget: p, warmupSteps: w })`.
 */
export class LinearWarmup extends LearningRateSchedule {
  static readonly className = 'LinearWarmup';
  readonly warmupSteps: number;
  readonly target: LearningRate;
  readonly initialLearningRate: number;

  constructor(options: WarmupOptions) {
    super();
    const owner = 'warmup';
    const o = checkOptionKeys(
      options,
      owner,
      WARMUP_OPTION_KEYS,
      'warmup({ warmupSteps: 100, target: 0.001 })',
    );
    this.warmupSteps = required(owner, 'warmupSteps', o, { min: 0, integer: true });
    if (o.target === undefined) {
      throw new ConfigError(
        `${owner}: target is required (the rate or schedule after the warmup); e.g. ` +
          'warmup({ warmupSteps: 100, target: 0.001 }).',
      );
    }
    this.target = checkLearningRate(owner, 'target', o.target, 0.001);
    this.initialLearningRate = checkNumber(o.initialLearningRate, owner, 'initialLearningRate', {
      min: 0,
      fallback: 0,
    });
  }

  at(step: number): number {
    if (step >= this.warmupSteps) return learningRateAt(this.target, step - this.warmupSteps);
    const t0 = learningRateAt(this.target, 0);
    return this.initialLearningRate + (t0 - this.initialLearningRate) * (step / this.warmupSteps);
  }

  getConfig(): ConfigDict {
    return {
      warmupSteps: this.warmupSteps,
      target: serializeLearningRate(this.target),
      initialLearningRate: this.initialLearningRate,
    };
  }

  static override fromConfig(config: ConfigDict): LinearWarmup {
    const o = withoutName(config);
    return new LinearWarmup({ ...o, target: deserializeLearningRate(o.target) } as WarmupOptions);
  }
}

// ---------------------------------------------------------------------------------------

function required(
  owner: string,
  name: string,
  o: Record<string, unknown>,
  range: NumberRule,
): number {
  const value = checkOptionalNumber(o[name], owner, name, range);
  if (value === undefined) {
    throw new ConfigError(`${owner}: ${name} is required (a number), received undefined.`);
  }
  return value;
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}
