import { ConfigError, ShapeError, describe } from '../errors.js';
import { cast, div, mul, reshape, sum } from '../ops/index.js';
import { Registry } from '../serialization.js';
import { toTensor, type TensorLike } from '../tensor/creation.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { LOSS_OPTION_KEYS, Loss, type LossOptions } from './base.js';
import { Hinge } from './hinge.js';
import { BinaryCrossentropy, CategoricalCrossentropy, KLDivergence } from './probabilistic.js';
import { Poisson, SparseCategoricalCrossentropy } from './probabilistic.js';
import { CosineSimilarity, Huber, LogCosh, MeanAbsoluteError } from './regression.js';
import { MeanAbsolutePercentageError, MeanSquaredError } from './regression.js';
import { MeanSquaredLogarithmicError } from './regression.js';
import { checkName, checkOptionKeys } from '../validation.js';

export { Loss, type LossOptions } from './base.js';

/** A plain function (yTrue, yPred) → per-sample losses. */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** A loss name (Keras snake_case or TensorFlow.js camelCase), a Loss, or a function. */
export type LossIdentifier = string | Loss | LossFunction;

/**
 * A plain function used as a loss. Its per-sample values are reduced like any loss's; its
 * name (for logs) is the function's name. It cannot be saved by name: register a Loss
 * subclass for that.
 */
export class LossFunctionWrapper extends Loss {
  static readonly className = 'LossFunctionWrapper';
  readonly name: string;
  readonly fn: LossFunction;
  constructor(fn: LossFunction, options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'LossFunctionWrapper', LOSS_OPTION_KEYS);
    this.fn = fn;
    this.name = checkName(options.name, 'loss function', fn.name || 'loss');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const out = this.fn(yTrue, yPred);
    if (!(out instanceof Tensor)) {
      throw new ConfigError(
        `loss function ${this.name}: must return a Tensor of per-sample losses, received ${describe(out)}.`,
      );
    }
    return out;
  }
}

/**
 * The built-in losses by Keras class name, with every accepted spelling as an alias: Keras's
 * snake_case and abbreviations ('mse', 'kld', 'mape'), TensorFlow.js's camelCase
 * ('meanSquaredError', 'cosineProximity', 'logcosh').
 */
export const lossRegistry = new Registry<Loss>('loss');
lossRegistry.register(MeanSquaredError, 'mean_squared_error', 'mse', 'MSE', 'meanSquaredError');
lossRegistry.register(MeanAbsoluteError, 'mean_absolute_error', 'mae', 'MAE', 'meanAbsoluteError');
lossRegistry.register(
  MeanAbsolutePercentageError,
  'mean_absolute_percentage_error',
  'mape',
  'MAPE',
  'meanAbsolutePercentageError',
);
lossRegistry.register(
  MeanSquaredLogarithmicError,
  'mean_squared_logarithmic_error',
  'msle',
  'MSLE',
  'meanSquaredLogarithmicError',
);
lossRegistry.register(BinaryCrossentropy, 'binary_crossentropy', 'bce', 'binaryCrossentropy');
lossRegistry.register(
  CategoricalCrossentropy,
  'categorical_crossentropy',
  'cce',
  'categoricalCrossentropy',
);
lossRegistry.register(
  SparseCategoricalCrossentropy,
  'sparse_categorical_crossentropy',
  'sparseCategoricalCrossentropy',
);
lossRegistry.register(Huber, 'huber', 'huber_loss', 'huberLoss');
lossRegistry.register(
  KLDivergence,
  'kl_divergence',
  'kld',
  'KLD',
  'kullback_leibler_divergence',
  'klDivergence',
  'kullbackLeiblerDivergence',
);
lossRegistry.register(CosineSimilarity, 'cosine_similarity', 'cosineSimilarity', 'cosineProximity');
lossRegistry.register(Hinge, 'hinge');
// Keras 3 names it 'log_cosh'; tf.keras 2 and TensorFlow.js 'logcosh'.
lossRegistry.register(LogCosh, 'log_cosh', 'logcosh', 'logCosh');
lossRegistry.register(Poisson, 'poisson');

/**
 * Resolves a loss identifier: a name gives a new instance with default options, a Loss is
 * returned as it is, a function is wrapped (LossFunctionWrapper).
 *
 *   getLoss('mse'); getLoss('sparseCategoricalCrossentropy'); getLoss((t, p) => ...)
 */
export function getLoss(id: LossIdentifier): Loss {
  if (id instanceof Loss) return id;
  if (typeof id === 'function') return new LossFunctionWrapper(id);
  if (typeof id === 'string' && lossRegistry.has(id)) {
    return lossRegistry.get(id).fromConfig({});
  }
  throw new ConfigError(
    `Unknown loss ${describe(id)}; expected one of ${lossRegistry.names().join(', ')}, ` +
      'a Loss object (e.g. sn.losses.binaryCrossentropy({ fromLogits: true })) or a function ' +
      '(yTrue, yPred) => per-sample losses.',
  );
}

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
