import { FUSED_ACTIVATIONS, type FusedActivation } from '../backends/backend.js';
import { ConfigError, DTypeError, ShapeError, describe } from '../errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { floatTypeOf, upcast } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { matmul } from './matmul.js';
import { backend, checkOptions, convert, defineGradients, makeTensor } from './op.js';
import { optionKeys } from '../validation.js';
import { sum } from './reductions.js';

/** The activations fusedDense applies: the one list, in backends/backend.ts. */
export { FUSED_ACTIVATIONS };

export interface FusedDenseOptions {
  /** Added to every row of x·kernel: shape [units] (default: no bias). */
  bias?: TensorLike | undefined;
  /** Applied last (default 'linear'). */
  activation?: FusedActivation;
}
const FUSED_DENSE_OPTION_KEYS = optionKeys<FusedDenseOptions>()({
  bias: true,
  activation: true,
});

/** What fusedDense saves: its operands (after promotion), its output and the activation. */
interface DenseSaved {
  fusedDense: {
    x: Tensor;
    kernel: Tensor;
    bias: Tensor | undefined;
    y: Tensor;
    activation: FusedActivation;
  };
}
const recordDense = defineGradients<DenseSaved>({
  fusedDense: ([dyIn], { x, kernel, bias, y, activation }, needed) => {
    const dtype = y.dtype;
    const [m, n] = y.shape as [number, number];
    const dy = cast(dyIn, dtype);
    const withBias = bias !== undefined && needed[2] === true;
    let dz = dy;
    let dbias: Tensor | undefined;
    if (activation === 'linear') {
      if (withBias) dbias = sum(dy, 0);
    } else {
      const r = backend().denseGrad(y, dy, activation, withBias);
      dz = makeTensor(r.dz, [m, n], dtype);
      if (r.dbias) dbias = makeTensor(r.dbias, [n], dtype);
    }
    return [
      needed[0] ? matmul(dz, kernel, { transposeB: true }) : undefined,
      needed[1] ? matmul(x, dz, { transposeA: true }) : undefined,
      dbias,
    ];
  },
});

/**
 * A dense layer's forward pass as ONE op: y = activation(x·kernel + bias) for x [batch, in],
 * kernel [in, units], bias [units]; y is [batch, units]. The backend computes it in one kernel
 * (on wasm: the product, then the bias and activation applied by each thread to the rows it
 * computed), and the gradient is one node on the tape: dz = dy ⊙ act'(y) and the bias
 * gradient (the column sums of dz) in one pass, then dx = dz·kernelᵀ and dkernel = xᵀ·dz.
 *
 * The activation is one of FUSED_ACTIVATIONS, whose derivatives are functions of their
 * output, so the backward pass needs neither x·kernel nor the input of the activation. The result equals sigmoid(add(matmul(x, kernel), bias)) (and so on) on the
 * same backend; on wasm bit for bit, forward and gradients.
 *
 * Internal to the library (the Dense layer uses it): not part of the public `sn.*` surface,
 * where the same thing is written with matmul, add and the activation.
 */
export function fusedDense(x: TensorLike, kernel: TensorLike, options?: FusedDenseOptions): Tensor {
  const { bias, activation = 'linear' } = checkOptions(
    options,
    'fusedDense',
    "fusedDense(x, kernel, { bias, activation: 'relu' })",
    FUSED_DENSE_OPTION_KEYS,
  );
  if (!FUSED_ACTIVATIONS.includes(activation)) {
    throw new ConfigError(
      `fusedDense: activation must be one of ${FUSED_ACTIVATIONS.join(', ')}, received ` +
        `${describe(activation)}; apply any other activation after fusedDense(x, kernel, { bias }).`,
    );
  }
  let tx = convert(x, 'fusedDense', 'x');
  let tk = convert(kernel, 'fusedDense', 'kernel');
  let tb = bias === undefined ? undefined : convert(bias, 'fusedDense', 'bias');
  checkShapes(tx.shape, tk.shape, tb?.shape);
  const dtypes = [tx.dtype, tk.dtype, ...(tb ? [tb.dtype] : [])];
  if (dtypes.includes('bool')) {
    throw new DTypeError(
      `fusedDense: operands must be numeric, received dtypes ${dtypes.join(', ')}. ` +
        `Cast masks first, e.g. sn.cast(mask, 'float32').`,
    );
  }
  const dtype = floatTypeOf(dtypes.reduce(upcast));
  tx = cast(tx, dtype);
  tk = cast(tk, dtype);
  tb = tb && cast(tb, dtype);
  const m = tx.shape[0]!;
  const n = tk.shape[1]!;
  const y = makeTensor(backend().dense(tx, tk, tb, activation), [m, n], dtype);
  const inputs = tb ? [tx, tk, tb] : [tx, tk];
  recordDense('fusedDense', inputs, [y], { x: tx, kernel: tk, bias: tb, y, activation });
  return y;
}

/** x [m, k], kernel [k, n], bias [n]; a ShapeError naming the shapes and the fix otherwise. */
function checkShapes(
  x: readonly number[],
  kernel: readonly number[],
  bias: readonly number[] | undefined,
): void {
  const shapes =
    `x has shape ${formatShape(x)}, kernel ${formatShape(kernel)}` +
    (bias ? `, bias ${formatShape(bias)}` : '');
  if (x.length !== 2 || kernel.length !== 2) {
    throw new ShapeError(
      `fusedDense: x and kernel must be matrices ([batch, in] and [in, units]), but ${shapes}; ` +
        'reshape x to 2-D first (sn.reshape(x, [-1, in])).',
    );
  }
  if (x[1] !== kernel[0]) {
    throw new ShapeError(
      `fusedDense: x's last dimension must equal kernel's first, but ${shapes} ` +
        `(${x[1]} vs ${kernel[0]}); the kernel must be [${x[1]}, units].`,
    );
  }
  if (bias && (bias.length !== 1 || bias[0] !== kernel[1])) {
    throw new ShapeError(
      `fusedDense: bias must have shape [${kernel[1]}] (one value per unit), but ${shapes}.`,
    );
  }
}
