import type { AdamHyper } from '../backends/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { backend, makeTensor } from './op.js';

/**
 * Fused optimizer updates for optimizers/ (internal, not part of the public ops): one kernel
 * per variable instead of a dozen elementwise ops. Not differentiable (an update runs under
 * noGrad): nothing is recorded on the tape, so this family has no gradient table.
 */

export interface AdamTensors {
  readonly w: Tensor;
  readonly m: Tensor;
  readonly v: Tensor;
  readonly vhat?: Tensor;
}

/**
 * One Adam step on float32 tensors of one shape (Backend.adamUpdate): the same values as
 * `m + (g − m)·c1`, `v + (g² − v)·c2`, `maximum(vhat, v)`, `w − (m·alpha) / (√v + epsilon)`
 * written with the elementwise ops. The tensors must live on the active backend.
 */
export function adamUpdate(
  w: Tensor,
  g: Tensor,
  m: Tensor,
  v: Tensor,
  vhat: Tensor | undefined,
  hyper: AdamHyper,
): AdamTensors {
  const out = backend().adamUpdate(w, g, m, v, vhat, hyper);
  const wrap = (id: typeof out.w): Tensor => makeTensor(id, w.shape, 'float32');
  return {
    w: wrap(out.w),
    m: wrap(out.m),
    v: wrap(out.v),
    ...(out.vhat ? { vhat: wrap(out.vhat) } : {}),
  };
}

/** Whether adamUpdate applies: float32 tensors, all on the active backend. */
export function fusable(...ts: readonly (Tensor | undefined)[]): boolean {
  const be = backend();
  return ts.every((t) => t === undefined || (t.dtype === 'float32' && t.store === be));
}
