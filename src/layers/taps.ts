import type { Tensor } from '../tensor/tensor.js';
import type { Layer } from './layer.js';

/**
 * The one switch diagnostics use to watch a forward pass. While a tap is set (only during a
 * monitor's probe pass), every layer reports its outputs, and layers with an activation
 * report their pre-activation. When no tap is set, the cost is one `undefined` check per
 * layer call (DESIGN habit 10).
 */
export interface LayerTap {
  /** After a layer's call: its inputs and outputs (activity penalties already recorded). */
  onOutput?(layer: Layer, inputs: readonly Tensor[], outputs: readonly Tensor[]): void;
  /** Inside a layer's call, the value just before its activation function. */
  onPreActivation?(layer: Layer, preActivation: Tensor): void;
}

let current: LayerTap | undefined;

/** The active tap, if any (checked on the hot path). */
export function activeTap(): LayerTap | undefined {
  return current;
}

/** Runs `fn` with `tap` watching every layer call. */
export function withTap<T>(tap: LayerTap, fn: () => T): T {
  const previous = current;
  current = tap;
  try {
    return fn();
  } finally {
    current = previous;
  }
}
