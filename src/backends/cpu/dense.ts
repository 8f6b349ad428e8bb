import type { DataArray } from '../../tensor/dtype.js';
import type { FusedActivation, TensorInfo } from '../backend.js';
import { unary } from './elementwise.js';
import { matmul } from './matmul.js';
import { alloc, valuesOf } from './storage.js';

// Reference kernels of the fused dense layer: the forward pass as the unfused kernels compute
// it (product, then bias, then activation, each rounded to the output's dtype), and the
// backward pass of the activation and bias written from the output y.

/** y = act(x·kernel + bias): x [m, k], kernel [k, n], bias [n] or undefined. */
export function dense(
  x: TensorInfo,
  kernel: TensorInfo,
  bias: TensorInfo | undefined,
  activation: FusedActivation,
): DataArray {
  const m = x.shape[0]!;
  const n = kernel.shape[1]!;
  const z = matmul(x, kernel, false, false, [m, n]);
  if (bias) {
    const b = valuesOf(bias);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) z[i * n + j] = z[i * n + j]! + b[j]!;
    }
  }
  return activation === 'linear' ? z : unary(activation, z, x.dtype);
}

/** act'(y), the activation's derivative written from its output y. */
const DERIVATIVE: Record<FusedActivation, (y: number) => number> = {
  linear: () => 1,
  relu: (y) => (y > 0 ? 1 : 0),
  relu6: (y) => (y > 0 && y < 6 ? 1 : 0),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
};

/**
 * dz = dy ⊙ act'(y) over [m, n]; dbias[j] = Σ_i dz[i, j] (when withBias), summed over the
 * rows in order in double precision and rounded once.
 */
export function denseGrad(
  y: TensorInfo,
  dy: TensorInfo,
  activation: FusedActivation,
  withBias: boolean,
): { dz: DataArray; dbias?: DataArray } {
  const [m, n] = y.shape as [number, number];
  const ys = valuesOf(y);
  const dys = valuesOf(dy);
  const derivative = DERIVATIVE[activation];
  const dz = alloc(y.dtype, m * n);
  const sums = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const g = dys[i * n + j]! * derivative(ys[i * n + j]!);
      dz[i * n + j] = g;
      sums[j] = sums[j]! + g;
    }
  }
  if (!withBias) return { dz };
  const dbias = alloc(y.dtype, n);
  dbias.set(sums);
  return { dz, dbias };
}
