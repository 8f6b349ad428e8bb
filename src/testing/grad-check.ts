import { grads } from '../autograd/gradients.js';
import { GradientError, ShapeError, describe } from '../errors.js';
import { fromArray } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { cast } from '../ops/cast.js';
import { mul, sum } from '../ops/index.js';
import { checkOptionKeys, optionKeys } from '../validation.js';

export interface GradCheckOptions {
  /** Finite-difference step (default 1e-6, in float64). */
  eps?: number;
  /** Allowed |analytic − numeric| ≤ atol + rtol·|numeric| (defaults 1e-6 and 1e-5). */
  atol?: number;
  rtol?: number;
  /**
   * Weights for a non-scalar output: the check differentiates sum(f(x)·weights). By default
   * fixed pseudo-random weights, so every output element matters and errors cannot cancel.
   */
  weights?: Tensor;
}
const GRAD_CHECK_OPTION_KEYS = optionKeys<GradCheckOptions>()({
  eps: true,
  atol: true,
  rtol: true,
  weights: true,
});

export interface GradCheckResult {
  /** Largest |analytic − numeric| over all inputs and elements. */
  maxError: number;
  /** Per input: analytic and numeric gradients, flat. */
  analytic: Float64Array[];
  numeric: Float64Array[];
}

/** Deterministic weights in [0.5, 1.5), so no output element has weight 0. */
function defaultWeights(shape: readonly number[], size: number): Tensor {
  const w = new Float64Array(size);
  for (let i = 0; i < size; i++) w[i] = 0.5 + ((i * 0.6180339887498949 + 0.31) % 1);
  return fromArray(w, shape, 'float64');
}

/**
 * Compares the gradients that autodiff gives for `f` at `inputs` with central finite
 * differences, everything in float64. Float inputs are cast to float64 first; integer inputs
 * (indices) are passed through unchanged and not differentiated. Throws a GradientError
 * naming the input, the element and both values on the first mismatch beyond tolerance;
 * returns the comparison otherwise.
 *
 *   sn.testing.gradCheck((a, b) => sn.mul(a, b), [a, b]);
 */
export function gradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): GradCheckResult {
  checkOptionKeys(options, 'gradCheck', GRAD_CHECK_OPTION_KEYS);
  const { eps = 1e-6, atol = 1e-6, rtol = 1e-5 } = options;
  const xs = inputs.map((x) =>
    x.dtype === 'float32' || x.dtype === 'float64' ? cast(x, 'float64') : x,
  );
  const probe = f(...xs);
  if (!(probe instanceof Tensor)) {
    throw new GradientError(
      `gradCheck: the function must return a Tensor, received ${describe(probe)}.`,
    );
  }
  if (probe.dtype !== 'float64') {
    throw new GradientError(
      `gradCheck: the function returned dtype ${probe.dtype} for float64 inputs; the op under test must keep float64.`,
    );
  }
  const weights = options.weights
    ? cast(options.weights, 'float64')
    : defaultWeights(probe.shape, probe.size);
  if (weights.size !== probe.size) {
    throw new ShapeError(
      `gradCheck: weights have shape ${formatShape(weights.shape)}, the output ${formatShape(probe.shape)}.`,
    );
  }
  const scalarF = (...args: Tensor[]): Tensor => sum(mul(f(...args), weights));
  const analyticT = grads(scalarF)(xs);
  const evaluate = (args: Tensor[]): number => scalarF(...args).item();

  const analytic: Float64Array[] = [];
  const numeric: Float64Array[] = [];
  let maxError = 0;
  xs.forEach((x, i) => {
    if (x.dtype !== 'float64') return;
    const base = x.dataSync() as Float64Array;
    const a = new Float64Array(analyticT[i]!.dataSync());
    const n = new Float64Array(base.length);
    for (let j = 0; j < base.length; j++) {
      const at = (delta: number): number => {
        const moved = base.slice();
        moved[j] = base[j]! + delta;
        const args = xs.slice();
        args[i] = fromArray(moved, x.shape, 'float64');
        return evaluate(args);
      };
      n[j] = (at(eps) - at(-eps)) / (2 * eps);
      const err = Math.abs(a[j]! - n[j]!);
      maxError = Math.max(maxError, err);
      if (!(err <= atol + rtol * Math.abs(n[j]!))) {
        throw new GradientError(
          `gradCheck: input ${i} (shape ${formatShape(x.shape)}), element ${j}: analytic gradient ${a[j]} ` +
            `but finite differences give ${n[j]} (difference ${err}).`,
        );
      }
    }
    analytic.push(a);
    numeric.push(n);
  });
  return { maxError, analytic, numeric };
}
