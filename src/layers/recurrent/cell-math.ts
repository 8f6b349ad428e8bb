import { Sigmoid, Tanh, type Activation } from '../../activations/index.js';
import { add, matmul, mul, split, sub } from '../../ops/index.js';
import { gruGates } from '../../ops/gru-gates.js';
import { lstmGates } from '../../ops/lstm-gates.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * The readable reference of one recurrent step of each built-in cell, composed from existing
 * ops (so backpropagation through time is the tape's ordinary backward pass).
 *
 * The input projection `x_t · kernel + bias` of every time step is computed BEFORE the time
 * loop, as one matrix product over [batch · steps, features] (see RNN.call); each function
 * here receives that step's slice `xProj` [batch, k·units] and does only the recurrent part:
 * the product with the recurrent kernel, the gates and the new state. A faster backend can
 * replace one of these functions by a fused kernel with the same arguments and results.
 *
 * `hForProduct` is the previous hidden state as it enters the recurrent product (multiplied
 * by the recurrent dropout mask in training); `h` is the state carried (LSTM, GRU).
 */

/** The activations of a gated cell: `activation` (tanh) and `recurrentActivation` (sigmoid). */
export interface CellActivations {
  activation: Activation;
  recurrentActivation: Activation;
}

/** SimpleRNN: h' = activation(xProj + hForProduct · recurrentKernel). */
export function simpleRNNStep(
  xProj: Tensor,
  hForProduct: Tensor,
  recurrentKernel: Tensor,
  activation: Activation,
): Tensor {
  return activation.apply(add(xProj, matmul(hForProduct, recurrentKernel)));
}

/**
 * LSTM (Keras gate order i, f, c, o along the last axis):
 *   z = xProj + hForProduct · recurrentKernel
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o)
 *   c' = f·c + i·g,   h' = o·tanh(c')
 * With the default activations (sigmoid, tanh) the gates are one fused kernel (lstmGates).
 */
export function lstmStep(
  xProj: Tensor,
  hForProduct: Tensor,
  c: Tensor,
  recurrentKernel: Tensor,
  acts: CellActivations,
): { h: Tensor; c: Tensor } {
  const z = add(xProj, matmul(hForProduct, recurrentKernel));
  if (acts.activation.constructor === Tanh && acts.recurrentActivation.constructor === Sigmoid) {
    // The same formulas as below, in one backend kernel (src/ops/lstm-gates.ts).
    return lstmGates(z, c);
  }
  const [zi, zf, zc, zo] = split(z, 4, { axis: -1 }) as [Tensor, Tensor, Tensor, Tensor];
  const i = acts.recurrentActivation.apply(zi);
  const f = acts.recurrentActivation.apply(zf);
  const g = acts.activation.apply(zc);
  const o = acts.recurrentActivation.apply(zo);
  const cNext = add(mul(f, c), mul(i, g));
  return { h: mul(o, acts.activation.apply(cNext)), c: cNext };
}

/**
 * GRU (Keras gate order z, r, h along the last axis). With `resetAfter` (Keras's default,
 * the cuDNN variant) the reset gate multiplies the recurrent product, which has its own bias:
 *   inner = hForProduct · recurrentKernel + recurrentBias
 *   z = σ(x_z + inner_z), r = σ(x_r + inner_r), ĥ = tanh(x_h + r·inner_h)
 * Without it (TensorFlow.js's default, the original GRU) the reset gate multiplies the state
 * before the product:
 *   z = σ(x_z + hForProduct · U_z), r = σ(x_r + hForProduct · U_r),
 *   ĥ = tanh(x_h + (r·hForProduct) · U_h)
 * Both: h' = z·h + (1 − z)·ĥ.
 * With resetAfter and the default activations (sigmoid, tanh) the gates are one fused kernel
 * (gruGates); the original form keeps the composition (its reset gate enters a matrix product).
 */
export function gruStep(
  xProj: Tensor,
  hForProduct: Tensor,
  h: Tensor,
  recurrentKernel: Tensor,
  variant: { resetAfter: boolean; recurrentBias: Tensor | undefined },
  acts: CellActivations,
): Tensor {
  const { resetAfter, recurrentBias } = variant;
  const fused =
    acts.activation.constructor === Tanh && acts.recurrentActivation.constructor === Sigmoid;
  if (resetAfter && fused) {
    // The same formulas as below, in one backend kernel (src/ops/gru-gates.ts).
    const product = matmul(hForProduct, recurrentKernel);
    return gruGates(xProj, recurrentBias ? add(product, recurrentBias) : product, h);
  }
  const [xz, xr, xh] = split(xProj, 3, { axis: -1 }) as [Tensor, Tensor, Tensor];
  let hh: Tensor;
  let z: Tensor;
  if (resetAfter) {
    const product = matmul(hForProduct, recurrentKernel);
    const inner = recurrentBias ? add(product, recurrentBias) : product;
    const [iz, ir, ih] = split(inner, 3, { axis: -1 }) as [Tensor, Tensor, Tensor];
    z = acts.recurrentActivation.apply(add(xz, iz));
    const r = acts.recurrentActivation.apply(add(xr, ir));
    hh = acts.activation.apply(add(xh, mul(r, ih)));
  } else {
    const [uzr, uh] = split(recurrentKernel, [2 * (recurrentKernel.shape[0] ?? 0), -1], {
      axis: -1,
    }) as [Tensor, Tensor];
    const [iz, ir] = split(matmul(hForProduct, uzr), 2, { axis: -1 }) as [Tensor, Tensor];
    z = acts.recurrentActivation.apply(add(xz, iz));
    const r = acts.recurrentActivation.apply(add(xr, ir));
    hh = acts.activation.apply(add(xh, matmul(mul(r, hForProduct), uh)));
  }
  // z·h + (1 − z)·ĥ  =  ĥ + z·(h − ĥ)
  return add(hh, mul(z, sub(h, hh)));
}
