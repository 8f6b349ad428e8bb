import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';
import * as losses from './index.js';

const yTrue = sn.tensor([
  [0, 1, 0],
  [0, 0, 1],
]);
const yPred = sn.tensor([
  [0.1, 0.8, 0.1],
  [0.2, 0.3, 0.5],
]);

test('getLoss: Keras snake_case, abbreviations and tfjs camelCase names', () => {
  const table: [string, new () => losses.Loss, string][] = [
    ['mean_squared_error', losses.MeanSquaredError, 'mean_squared_error'],
    ['mse', losses.MeanSquaredError, 'mean_squared_error'],
    ['meanSquaredError', losses.MeanSquaredError, 'mean_squared_error'],
    ['mae', losses.MeanAbsoluteError, 'mean_absolute_error'],
    ['meanAbsoluteError', losses.MeanAbsoluteError, 'mean_absolute_error'],
    ['binary_crossentropy', losses.BinaryCrossentropy, 'binary_crossentropy'],
    ['binaryCrossentropy', losses.BinaryCrossentropy, 'binary_crossentropy'],
    ['categorical_crossentropy', losses.CategoricalCrossentropy, 'categorical_crossentropy'],
    ['categoricalCrossentropy', losses.CategoricalCrossentropy, 'categorical_crossentropy'],
    [
      'sparse_categorical_crossentropy',
      losses.SparseCategoricalCrossentropy,
      'sparse_categorical_crossentropy',
    ],
    [
      'sparseCategoricalCrossentropy',
      losses.SparseCategoricalCrossentropy,
      'sparse_categorical_crossentropy',
    ],
    ['huber', losses.Huber, 'huber_loss'],
    ['huberLoss', losses.Huber, 'huber_loss'],
    ['kld', losses.KLDivergence, 'kl_divergence'],
    ['kl_divergence', losses.KLDivergence, 'kl_divergence'],
    ['kullbackLeiblerDivergence', losses.KLDivergence, 'kl_divergence'],
    ['cosine_similarity', losses.CosineSimilarity, 'cosine_similarity'],
    ['cosineProximity', losses.CosineSimilarity, 'cosine_similarity'],
    ['hinge', losses.Hinge, 'hinge'],
    ['MeanSquaredError', losses.MeanSquaredError, 'mean_squared_error'],
    [
      'mean_absolute_percentage_error',
      losses.MeanAbsolutePercentageError,
      'mean_absolute_percentage_error',
    ],
    ['mape', losses.MeanAbsolutePercentageError, 'mean_absolute_percentage_error'],
    ['MAPE', losses.MeanAbsolutePercentageError, 'mean_absolute_percentage_error'],
    [
      'meanAbsolutePercentageError',
      losses.MeanAbsolutePercentageError,
      'mean_absolute_percentage_error',
    ],
    [
      'mean_squared_logarithmic_error',
      losses.MeanSquaredLogarithmicError,
      'mean_squared_logarithmic_error',
    ],
    ['msle', losses.MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error'],
    ['MSLE', losses.MeanSquaredLogarithmicError, 'mean_squared_logarithmic_error'],
    [
      'meanSquaredLogarithmicError',
      losses.MeanSquaredLogarithmicError,
      'mean_squared_logarithmic_error',
    ],
    ['log_cosh', losses.LogCosh, 'log_cosh'],
    ['logcosh', losses.LogCosh, 'log_cosh'],
    ['logCosh', losses.LogCosh, 'log_cosh'],
    ['LogCosh', losses.LogCosh, 'log_cosh'],
    ['poisson', losses.Poisson, 'poisson'],
    ['Poisson', losses.Poisson, 'poisson'],
  ];
  for (const [id, cls, name] of table) {
    const loss = losses.getLoss(id);
    assert.ok(loss instanceof cls, id);
    assert.equal(loss.name, name, id);
  }
  // defaults of string-made losses are Keras's
  const bce = losses.getLoss('binary_crossentropy') as losses.BinaryCrossentropy;
  assert.equal(bce.fromLogits, false);
  assert.equal(bce.labelSmoothing, 0);
  assert.equal((losses.getLoss('huber') as losses.Huber).delta, 1);
  // an instance is returned as it is
  const mine = losses.huber({ delta: 2 });
  assert.equal(losses.getLoss(mine), mine);
});

test('getLoss: a function is wrapped, named after it and reduced like any loss', () => {
  function doubledMse(t: sn.Tensor, p: sn.Tensor): sn.Tensor {
    return sn.mul(2, sn.mean(sn.square(sn.sub(t, p)), -1));
  }
  const loss = losses.getLoss(doubledMse);
  assert.equal(loss.name, 'doubledMse');
  // 2 · (0.02 + 0.126667)/2
  assertClose(losses.computeLoss(loss, yTrue, yPred), 0.02 + 0.38 / 3);
  const bad = losses.getLoss(() => 3 as unknown as sn.Tensor);
  assert.throws(
    () => bad.call(yTrue, yPred),
    (e: Error) => e instanceof sn.ConfigError && /must return a Tensor/.test(e.message),
  );
});

test('getLoss: an unknown name is a ConfigError listing the valid ones', () => {
  assert.throws(
    () => losses.getLoss('softmax_crossentropy'),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      e.message.includes('"softmax_crossentropy"') &&
      e.message.includes('mean_squared_error') &&
      e.message.includes('sparseCategoricalCrossentropy'),
  );
  assert.throws(() => losses.getLoss(42 as unknown as string), sn.ConfigError);
});

test('sparse labels out of range are an IndexError naming label, position and classes', () => {
  const scce = losses.sparseCategoricalCrossentropy();
  assert.throws(
    () => scce.call(sn.tensor([1, 3]), yPred),
    (e: Error) =>
      e instanceof sn.IndexError &&
      e.message.includes('label 3') &&
      e.message.includes('position [1]') &&
      e.message.includes('3 classes') &&
      e.message.includes('0..2'),
  );
  assert.throws(
    () => scce.call(sn.tensor([-1, 0], undefined, 'int32'), yPred),
    (e: Error) =>
      e instanceof sn.IndexError &&
      e.message.includes('label -1') &&
      e.message.includes('position [0]'),
  );
  assert.throws(
    () => scce.call(sn.tensor([0.5, 1]), yPred),
    (e: Error) => e instanceof sn.ConfigError && /label 0.5 .* not a whole number/.test(e.message),
  );
});

test('shape mismatch is a ShapeError naming both shapes and the loss', () => {
  for (const loss of [
    losses.meanSquaredError(),
    losses.binaryCrossentropy(),
    losses.categoricalCrossentropy(),
    losses.hinge(),
    losses.meanAbsolutePercentageError(),
    losses.logcosh(),
    losses.poisson(),
  ]) {
    assert.throws(
      () => loss.call(sn.tensor([[0, 1]]), yPred),
      (e: Error) =>
        e instanceof sn.ShapeError &&
        e.message.includes(loss.name) &&
        e.message.includes('[1, 2]') &&
        e.message.includes('[2, 3]'),
      loss.name,
    );
  }
  // one-hot labels given to the sparse loss
  assert.throws(
    () => losses.sparseCategoricalCrossentropy().call(yTrue, yPred),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      e.message.includes('sparse_categorical_crossentropy') &&
      e.message.includes('[2, 3]') &&
      e.message.includes('categoricalCrossentropy'),
  );
  // sample weights that fit neither the batch nor the per-sample losses
  assert.throws(
    () => losses.computeLoss(losses.meanSquaredError(), yTrue, yPred, sn.tensor([1, 2, 3])),
    (e: Error) =>
      e instanceof sn.ShapeError && e.message.includes('sampleWeight') && e.message.includes('[3]'),
  );
});

test('bad options are ConfigErrors naming the loss and the argument', () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => losses.binaryCrossentropy({ labelSmoothing: 1.5 }),
      /binaryCrossentropy: labelSmoothing .* \[0, 1\], received 1.5/,
    ],
    [
      () => losses.categoricalCrossentropy({ labelSmoothing: -0.1 }),
      /categoricalCrossentropy: labelSmoothing/,
    ],
    [
      () => losses.binaryCrossentropy({ fromLogits: 'yes' as unknown as boolean }),
      /fromLogits must be true or false, received "yes"/,
    ],
    [() => losses.huber({ delta: 0 }), /huber: delta must be a finite number > 0, received 0/],
    [() => losses.cosineSimilarity({ axis: 0.5 }), /cosineSimilarity: axis must be an integer/],
    [() => losses.meanSquaredError({ name: '' }), /name must be a non-empty string/],
    [
      () => losses.MeanSquaredError.fromConfig({ reduction: 'sum' }),
      /reduction "sum" is not supported/,
    ],
  ];
  for (const [fn, re] of cases) {
    assert.throws(fn, (e: Error) => e instanceof sn.ConfigError && re.test(e.message), String(re));
  }
});

test('getConfig / fromConfig round trip through the registry (Keras class names)', () => {
  const objs: losses.Loss[] = [
    losses.meanSquaredError(),
    losses.meanAbsoluteError(),
    losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    losses.categoricalCrossentropy({ labelSmoothing: 0.2 }),
    losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    losses.huber({ delta: 2.5 }),
    losses.kld(),
    losses.cosineSimilarity({ axis: 0 }),
    losses.hinge(),
    losses.meanAbsolutePercentageError(),
    losses.meanSquaredLogarithmicError({ name: 'msle_of_counts' }),
    losses.logcosh(),
    losses.poisson(),
  ];
  for (const loss of objs) {
    const ser = losses.lossRegistry.serialize(loss);
    const back = losses.lossRegistry.deserialize(JSON.parse(JSON.stringify(ser)));
    assert.equal(back.constructor, loss.constructor);
    assert.deepEqual(back.getConfig(), loss.getConfig());
  }
  assert.deepEqual(losses.lossRegistry.serialize(objs[2]!), {
    className: 'BinaryCrossentropy',
    config: {
      name: 'binary_crossentropy',
      reduction: 'sum_over_batch_size',
      fromLogits: true,
      labelSmoothing: 0.1,
      axis: -1,
    },
  });
  assert.deepEqual(losses.lossRegistry.serialize(losses.logcosh()), {
    className: 'LogCosh',
    config: { name: 'log_cosh', reduction: 'sum_over_batch_size' },
  });
  // a custom name is kept
  assert.equal(losses.meanSquaredError({ name: 'recon' }).name, 'recon');
});
