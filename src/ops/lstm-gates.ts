import { ShapeError } from '../errors.js';
import { zerosLike } from '../tensor/creation.js';
import { floatTypeOf } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { backend, defineGradients, makeTensor } from './op.js';

/** What the step saves: its inputs, the activated gates and the carried state it gives. */
interface LstmSaved {
  lstmGates: { z: Tensor; c: Tensor; gates: Tensor; cNext: Tensor };
}
const recordLstm = defineGradients<LstmSaved>({
  lstmGates: ([dh, dc], { z, c, gates, cNext }) => {
    const dtype = z.dtype;
    const dhv = cast(dh, dtype);
    const dcv = cast(dc ?? zerosLike(cNext), dtype);
    const grads = backend().lstmGatesGrad(gates, c, cNext, dhv, dcv);
    return [makeTensor(grads.dz, z.shape, dtype), makeTensor(grads.dc, c.shape, dtype)];
  },
});

/**
 * The gates of one LSTM step as one backend kernel (Backend.lstmGates), with sigmoid gates and
 * tanh activations: z [batch, 4·units] is the step's input projection plus the recurrent
 * product (gate order i, f, c, o), c [batch, units] the carried state;
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o),  c' = f·c + i·g,  h = o·tanh(c').
 * The same results as lstmStep's composition of split, sigmoid, tanh, mul and add
 * (src/layers/recurrent/cell-math.ts), in one pass and one tape node; the gradient is one
 * kernel too (Backend.lstmGatesGrad, from the activated gates kept by the forward).
 * Internal: used by LSTMCell when its activations are tanh and sigmoid.
 */
export function lstmGates(z: Tensor, c: Tensor): { h: Tensor; c: Tensor } {
  const [batch, width] = z.shape;
  if (z.rank !== 2 || c.rank !== 2 || c.shape[0] !== batch || width !== 4 * (c.shape[1] ?? 0)) {
    throw new ShapeError(
      `lstmGates: received z of shape [${z.shape.join(', ')}] and c of shape ` +
        `[${c.shape.join(', ')}]; expected z [batch, 4·units] and c [batch, units]. ` +
        'Pass the step projection (input plus recurrent product) and the cell state.',
    );
  }
  const dtype = floatTypeOf(z.dtype === 'float64' || c.dtype === 'float64' ? 'float64' : z.dtype);
  const zt = cast(z, dtype);
  const ct = cast(c, dtype);
  const out = backend().lstmGates(zt, ct);
  const gates = makeTensor(out.gates, zt.shape, dtype);
  const cNext = makeTensor(out.c, ct.shape, dtype);
  const h = makeTensor(out.h, ct.shape, dtype);
  recordLstm('lstmGates', [zt, ct], [h, cNext], { z: zt, c: ct, gates, cNext });
  return { h, c: cNext };
}
