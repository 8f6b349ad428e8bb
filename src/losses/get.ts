import { Registry, type KerasSerializedObject, type SerializedObject } from '../serialization.js';
import { LossFunctionWrapper, type LossFunction } from './function.js';
import { Hinge } from './hinge.js';
import { Loss } from './loss.js';
import { BinaryCrossentropy, CategoricalCrossentropy, KLDivergence } from './probabilistic.js';
import { Poisson, SparseCategoricalCrossentropy } from './probabilistic.js';
import { CosineSimilarity, Huber, LogCosh, MeanAbsoluteError } from './regression.js';
import { MeanAbsolutePercentageError, MeanSquaredError } from './regression.js';
import { MeanSquaredLogarithmicError } from './regression.js';

/** A loss name (Keras snake_case or TensorFlow.js camelCase), a Loss, a function or a config. */
export type LossIdentifier =
  string | Loss | LossFunction | SerializedObject | KerasSerializedObject;

/**
 * The built-in losses by Keras class name, with every accepted spelling as an alias: Keras's
 * snake_case and abbreviations ('mse', 'kld', 'mape'), TensorFlow.js's camelCase
 * ('meanSquaredError', 'cosineProximity', 'logcosh').
 */
export const lossRegistry = new Registry<Loss>('loss', Loss);
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
 * returned as it is, a function is wrapped (LossFunctionWrapper), a config
 * `{ className | class_name, config }` gives a new instance from it.
 *
 *   getLoss('mse'); getLoss('sparseCategoricalCrossentropy'); getLoss((t, p) => ...)
 */
export function getLoss(id: LossIdentifier): Loss {
  return lossRegistry.resolve(id, {
    owner: 'getLoss',
    classNames: true,
    required: true,
    fromFunction: (fn) => new LossFunctionWrapper(fn as LossFunction),
    functionForm: '(yTrue, yPred) => per-sample losses',
    fix:
      'Pass a Loss object (e.g. sn.losses.binaryCrossentropy({ fromLogits: true })) or a ' +
      'function (yTrue, yPred) => per-sample losses.',
  });
}
