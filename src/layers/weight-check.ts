import type { Layer } from './layer.js';

/**
 * A check run by `addWeight` before each weight is allocated, set for the length of one
 * synchronous call. io/ uses it while rebuilding a model file: a topology asking for more
 * values than the file's weights hold (a Dense with `units: 1e9` beside 92 bytes of weights)
 * fails before the initializer allocates anything.
 */
export type WeightCheck = (layer: Layer, name: string, shape: readonly number[]) => void;

let active: WeightCheck | undefined;

/** Runs `body` with `check` called before every weight allocation inside it. */
export function withWeightCheck<T>(check: WeightCheck, body: () => T): T {
  const previous = active;
  active = check;
  try {
    return body();
  } finally {
    active = previous;
  }
}

/** Called by Layer.addWeight before allocating. */
export function checkWeight(layer: Layer, name: string, shape: readonly number[]): void {
  active?.(layer, name, shape);
}
