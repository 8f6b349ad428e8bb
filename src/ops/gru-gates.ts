import { ShapeError } from '../errors.js';
import { floatTypeOf } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { backend, defineGradients, makeTensor } from './op.js';

/** What the step saves: the activated gates and the inputs the gradient kernel reads. */
interface GruSaved {
  gruGates: { x: Tensor; inner: Tensor; h: Tensor; gates: Tensor };
}
const recordGru = defineGradients<GruSaved>({
  gruGates: ([dh], { x, inner, h, gates }) => {
    const dtype = x.dtype;
    const grads = backend().gruGatesGrad(gates, inner, h, cast(dh, dtype));
    return [
      makeTensor(grads.dx, x.shape, dtype),
      makeTensor(grads.dInner, inner.shape, dtype),
      makeTensor(grads.dh, h.shape, dtype),
    ];
  },
});

/**
 * The gates of one GRU step in the resetAfter form (Keras's default) as one backend kernel
 * (Backend.gruGates), with a sigmoid recurrent activation and tanh: x [batch, 3·units] is the
 * step's input projection (gate order z, r, h), inner [batch, 3·units] the recurrent product
 * plus the recurrent bias, h [batch, units] the carried state;
 *   z = σ(x_z + inner_z), r = σ(x_r + inner_r), ĥ = tanh(x_h + r·inner_h), h' = z·h + (1 − z)·ĥ.
 * The same result as gruStep's composition of split, sigmoid, tanh, mul and add
 * (src/layers/recurrent/cell-math.ts), in one pass and one tape node; the gradient is one
 * kernel too (Backend.gruGatesGrad, from the activated gates kept by the forward).
 * Internal: used by GRUCell when resetAfter is set and its activations are tanh and sigmoid.
 */
export function gruGates(x: Tensor, inner: Tensor, h: Tensor): Tensor {
  const [batch, width] = x.shape;
  const units = h.shape[1] ?? 0;
  const sameShape = inner.rank === 2 && inner.shape[0] === batch && inner.shape[1] === width;
  if (x.rank !== 2 || h.rank !== 2 || !sameShape || h.shape[0] !== batch || width !== 3 * units) {
    throw new ShapeError(
      `gruGates: received x of shape [${x.shape.join(', ')}], inner of shape ` +
        `[${inner.shape.join(', ')}] and h of shape [${h.shape.join(', ')}]; expected x and ` +
        'inner [batch, 3·units] and h [batch, units]. Pass the step input projection, the ' +
        'recurrent product plus its bias, and the carried state.',
    );
  }
  const wide = x.dtype === 'float64' || inner.dtype === 'float64' || h.dtype === 'float64';
  const dtype = floatTypeOf(wide ? 'float64' : x.dtype);
  const xt = cast(x, dtype);
  const it = cast(inner, dtype);
  const ht = cast(h, dtype);
  const out = backend().gruGates(xt, it, ht);
  const gates = makeTensor(out.gates, xt.shape, dtype);
  const hNext = makeTensor(out.h, ht.shape, dtype);
  recordGru('gruGates', [xt, it, ht], [hNext], { x: xt, inner: it, h: ht, gates });
  return hNext;
}
