import { NotImplementedError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';

/** Ops that pick or place values by index: gather, scatterAdd, oneHot. */

export interface GatherOptions {
  /** Axis of x that the indices select along (default 0). */
  axis?: number;
}

/**
 * Slices of x along `axis` at int32 `indices` (any shape): the result has shape
 * x.shape[:axis] + indices.shape + x.shape[axis+1:]. Its gradient is scatterAdd.
 */
export function gather(x: TensorLike, indices: TensorLike, options?: GatherOptions): Tensor {
  throw new NotImplementedError('gather');
}

export interface ScatterAddOptions {
  /** Axis of x that the indices address (default 0). */
  axis?: number;
}

/**
 * x with `updates` added at `indices` along `axis`; repeated indices accumulate. `updates`
 * has the shape gather(x, indices, { axis }) has. This is the gradient of gather.
 */
export function scatterAdd(x: TensorLike, indices: TensorLike, updates: TensorLike, options?: ScatterAddOptions): Tensor {
  throw new NotImplementedError('scatterAdd');
}

export interface OneHotOptions {
  onValue?: number;
  offValue?: number;
  /** Default float32. */
  dtype?: DType;
}

/** A new last axis of length `depth`: onValue (1) at each index, offValue (0) elsewhere. */
export function oneHot(indices: TensorLike, depth: number, options?: OneHotOptions): Tensor {
  throw new NotImplementedError('oneHot');
}
