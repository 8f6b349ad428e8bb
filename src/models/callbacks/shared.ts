import { ConfigError } from '../../errors.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import type { NumberRule } from '../../validation.js';
import type { Model } from '../model.js';

/** Helpers shared by several callbacks. */

/** A count option (patience, cooldown, verbose, ...): an integer >= 0, `fallback` if left out. */
export function count(fallback: number): NumberRule {
  return { min: 0, integer: true, fallback };
}

/** The optimizer of a compiled model, or a ConfigError naming the callback. */
export function optimizerOf(owner: string, model: Model | undefined): Optimizer {
  const optimizer = model?.compiled?.optimizer;
  if (optimizer === undefined) {
    throw new ConfigError(
      `${owner}: the model has no optimizer; call model.compile({ optimizer, loss }) before fit.`,
    );
  }
  return optimizer;
}
