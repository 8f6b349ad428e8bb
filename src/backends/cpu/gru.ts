import { allocArray, type DataArray } from '../../tensor/dtype.js';
import type { TensorInfo } from '../backend.js';
import { valuesOf } from './storage.js';

/**
 * The reference of the fused GRU gates (Backend.gruGates / gruGatesGrad), the `resetAfter`
 * form (Keras's default), one element at a time in float64, rounded once to x's dtype.
 * x is the step's input projection [batch, 3·units] (Keras gate order z, r, h), `inner` the
 * recurrent product plus the recurrent bias [batch, 3·units], h the carried state:
 *   z = σ(x_z + inner_z),  r = σ(x_r + inner_r),  ĥ = tanh(x_h + r·inner_h)
 *   h' = z·h + (1 − z)·ĥ
 * `gates` keeps the activated z, r, ĥ (what the backward pass needs).
 */
export function gruGates(
  x: TensorInfo,
  inner: TensorInfo,
  h: TensorInfo,
): { gates: DataArray; h: DataArray } {
  const xv = valuesOf(x);
  const iv = valuesOf(inner);
  const hv = valuesOf(h);
  const [batch, width] = x.shape as [number, number];
  const units = width / 3;
  const gates = allocArray(x.dtype, xv.length);
  const hNext = allocArray(x.dtype, hv.length);
  const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
  for (let b = 0; b < batch; b++) {
    const row = b * width;
    for (let u = 0; u < units; u++) {
      const z = sigmoid(xv[row + u]! + iv[row + u]!);
      const r = sigmoid(xv[row + units + u]! + iv[row + units + u]!);
      const candidate = Math.tanh(xv[row + 2 * units + u]! + r * iv[row + 2 * units + u]!);
      gates[row + u] = z;
      gates[row + units + u] = r;
      gates[row + 2 * units + u] = candidate;
      hNext[b * units + u] = z * hv[b * units + u]! + (1 - z) * candidate;
    }
  }
  return { gates, h: hNext };
}

/**
 * The gradient of gruGates given dh' (the gradient of h'), from the saved gates, `inner` and
 * the previous h. With a = x_h + r·inner_h the candidate's pre-activation:
 *   dz* = dh'·(h − ĥ)·z(1 − z),  da = dh'·(1 − z)·(1 − ĥ²),  dr* = da·inner_h·r(1 − r)
 *   dx = [dz*, dr*, da],  dinner = [dz*, dr*, da·r],  dh = dh'·z
 */
export function gruGatesGrad(
  gates: TensorInfo,
  inner: TensorInfo,
  h: TensorInfo,
  dhNext: TensorInfo,
): { dx: DataArray; dInner: DataArray; dh: DataArray } {
  const gv = valuesOf(gates);
  const iv = valuesOf(inner);
  const hv = valuesOf(h);
  const dv = valuesOf(dhNext);
  const [batch, width] = gates.shape as [number, number];
  const units = width / 3;
  const dx = allocArray(gates.dtype, gv.length);
  const dInner = allocArray(gates.dtype, gv.length);
  const dh = allocArray(gates.dtype, hv.length);
  for (let b = 0; b < batch; b++) {
    const row = b * width;
    for (let u = 0; u < units; u++) {
      const k = b * units + u;
      const z = gv[row + u]!;
      const r = gv[row + units + u]!;
      const candidate = gv[row + 2 * units + u]!;
      const g = dv[k]!;
      const dzPre = g * (hv[k]! - candidate) * z * (1 - z);
      const da = g * (1 - z) * (1 - candidate * candidate);
      const drPre = da * iv[row + 2 * units + u]! * r * (1 - r);
      dx[row + u] = dzPre;
      dx[row + units + u] = drPre;
      dx[row + 2 * units + u] = da;
      dInner[row + u] = dzPre;
      dInner[row + units + u] = drPre;
      dInner[row + 2 * units + u] = da * r;
      dh[k] = g * z;
    }
  }
  return { dx, dInner, dh };
}
