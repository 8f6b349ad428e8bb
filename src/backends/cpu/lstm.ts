import { allocArray, type DataArray } from '../../tensor/dtype.js';
import type { TensorInfo } from '../backend.js';
import { valuesOf } from './storage.js';

/**
 * The reference of the fused LSTM gates (Backend.lstmGates / lstmGatesGrad), one element at a
 * time, in float64 rounded once to the dtype of z. z is [batch, 4·units] (Keras gate order
 * i, f, c, o: the input projection plus the recurrent product of one step), c is [batch, units]:
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
 *   c' = f·c + i·g,   h = o·tanh(c')
 * `gates` keeps the activated i, f, g, o (what the backward pass needs).
 */
export function lstmGates(
  z: TensorInfo,
  c: TensorInfo,
): { gates: DataArray; c: DataArray; h: DataArray } {
  const zv = valuesOf(z);
  const cv = valuesOf(c);
  const [batch, width] = z.shape as [number, number];
  const units = width / 4;
  const gates = allocArray(z.dtype, zv.length);
  const cNext = allocArray(z.dtype, cv.length);
  const h = allocArray(z.dtype, cv.length);
  const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
  for (let b = 0; b < batch; b++) {
    const row = b * width;
    for (let u = 0; u < units; u++) {
      const i = sigmoid(zv[row + u]!);
      const f = sigmoid(zv[row + units + u]!);
      const g = Math.tanh(zv[row + 2 * units + u]!);
      const o = sigmoid(zv[row + 3 * units + u]!);
      const next = f * cv[b * units + u]! + i * g;
      gates[row + u] = i;
      gates[row + units + u] = f;
      gates[row + 2 * units + u] = g;
      gates[row + 3 * units + u] = o;
      cNext[b * units + u] = next;
      h[b * units + u] = o * Math.tanh(next);
    }
  }
  return { gates, c: cNext, h };
}

/**
 * The gradient of lstmGates given dh and dc' (the gradients of h and c'), from the saved
 * gates, the previous c and c' (t = tanh(c') is recomputed):
 *   dc* = dc' + dh·o·(1 − t²)
 *   dz_i = dc*·g·i(1 − i),  dz_f = dc*·c·f(1 − f),  dz_c = dc*·i·(1 − g²),  dz_o = dh·t·o(1 − o)
 *   dc = dc*·f
 */
export function lstmGatesGrad(
  gates: TensorInfo,
  c: TensorInfo,
  cNext: TensorInfo,
  dh: TensorInfo,
  dcNext: TensorInfo,
): { dz: DataArray; dc: DataArray } {
  const gv = valuesOf(gates);
  const cv = valuesOf(c);
  const nv = valuesOf(cNext);
  const dhv = valuesOf(dh);
  const dcv = valuesOf(dcNext);
  const [batch, width] = gates.shape as [number, number];
  const units = width / 4;
  const dz = allocArray(gates.dtype, gv.length);
  const dc = allocArray(gates.dtype, cv.length);
  for (let b = 0; b < batch; b++) {
    const row = b * width;
    for (let u = 0; u < units; u++) {
      const k = b * units + u;
      const i = gv[row + u]!;
      const f = gv[row + units + u]!;
      const g = gv[row + 2 * units + u]!;
      const o = gv[row + 3 * units + u]!;
      const t = Math.tanh(nv[k]!);
      const total = dcv[k]! + dhv[k]! * o * (1 - t * t);
      dz[row + u] = total * g * i * (1 - i);
      dz[row + units + u] = total * cv[k]! * f * (1 - f);
      dz[row + 2 * units + u] = total * i * (1 - g * g);
      dz[row + 3 * units + u] = dhv[k]! * t * o * (1 - o);
      dc[k] = total * f;
    }
  }
  return { dz, dc };
}
