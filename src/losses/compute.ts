import { ShapeError } from '../errors.js';
import { cast, div, mul, reshape, sum } from '../ops/index.js';
import { toTensor, type TensorLike } from '../tensor/creation.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Loss } from './loss.js';

/**
 * The scalar loss of a batch, as Keras's 'sum_over_batch_size' reduction:
 * Σ(perSample · sampleWeight) / (number of per-sample values). Note that the divisor is the
 * batch size, not Σ sampleWeight (Keras 3): weights 0 shrink the loss, they do not drop
 * samples from the mean.
 *
 * `sampleWeight` is a scalar, one weight per sample ([batch] or [batch, 1]) or has the
 * per-sample losses' shape.
 */
export function computeLoss(
  loss: Loss,
  yTrue: Tensor,
  yPred: Tensor,
  sampleWeight?: Tensor,
): Tensor {
  let values = loss.call(yTrue, yPred);
  if (sampleWeight !== undefined) {
    values = mul(values, alignWeights(sampleWeight, values, loss.name));
  }
  if (values.size === 0) return sum(values);
  return div(sum(values), values.size);
}

/** sampleWeight reshaped to broadcast against per-sample `values`, in their dtype. */
function alignWeights(sampleWeight: TensorLike, values: Tensor, where: string): Tensor {
  let w = cast(toTensor(sampleWeight), values.dtype);
  const shape = values.shape;
  if (w.rank === 0 || shapesEqual(w.shape, shape)) return w;
  if (w.rank === 2 && w.shape[1] === 1) w = reshape(w, [w.shape[0]!]);
  if (w.rank === 1 && shape.length >= 1 && w.shape[0] === shape[0]) {
    // One weight per sample, broadcast over any further per-sample axes.
    return reshape(w, [w.shape[0]!, ...shape.slice(1).map(() => 1)]);
  }
  throw new ShapeError(
    `${where}: sampleWeight has shape ${formatShape(w.shape)} but the per-sample losses have shape ` +
      `${formatShape(shape)}; pass one weight per sample (shape [${shape[0] ?? 1}]), a scalar, ` +
      "or weights of the per-sample losses' shape.",
  );
}
