import { classNameOf } from '../../serialization.js';
import { getMetric } from '../../metrics/index.js';
import type { Model } from '../../models/model.js';
import {
  checkBoolean,
  checkNumber,
  checkOptionKeys,
  checkOptionalNumber,
  optionKeys,
} from '../../validation.js';
import { ConfigError, SerializationError } from '../../errors.js';
import { TRAIN_PY } from './python-train.js';

/** The fit() settings train.py starts from (its flags override them). */
export interface ExportFitOptions {
  /** Default 1, as fit. */
  epochs?: number;
  /** The global batch (default 32, as fit). */
  batchSize?: number;
  /** The shuffle seed: train.py draws the order sinew's fit would with it (default random). */
  seed?: number;
  /** Default true. */
  shuffle?: boolean;
  /** The fraction of the samples (the last ones) kept for validation (default 0). */
  validationSplit?: number;
}
export const EXPORT_FIT_OPTION_KEYS = optionKeys<ExportFitOptions>()({
  epochs: true,
  batchSize: true,
  seed: true,
  shuffle: true,
  validationSplit: true,
});

const OPTIMIZERS = ['SGD', 'Adam', 'AdamW', 'Adamax', 'Nadam', 'RMSprop', 'Adagrad'];
const SCHEDULES = ['ExponentialDecay', 'CosineDecay', 'PiecewiseConstantDecay', 'LinearWarmup'];
const METRICS = [
  'MeanSquaredError',
  'MeanAbsoluteError',
  'BinaryAccuracy',
  'CategoricalAccuracy',
  'SparseCategoricalAccuracy',
];
const LOSSES = [
  'MeanSquaredError',
  'MeanAbsoluteError',
  'BinaryCrossentropy',
  'CategoricalCrossentropy',
  'SparseCategoricalCrossentropy',
];

function checkSchedule(lr: unknown, where: string): void {
  if (typeof lr === 'number') return;
  const s = lr as { className?: string; config?: Record<string, unknown> };
  if (!s.className || !SCHEDULES.includes(s.className)) {
    throw new SerializationError(
      `${where}: the learning-rate schedule ${s.className ?? 'given'} has no train.py version; ` +
        `train.py knows ${SCHEDULES.join(', ')}. Fix: compile with one of them, or a number.`,
    );
  }
  if (s.className === 'LinearWarmup') checkSchedule(s.config?.target, where);
}

/**
 * train.py and training.json for a compiled model (nothing for one that is not compiled):
 * the optimizer (class and config, schedule included), the loss, the fit settings.
 */
export function trainingFiles(
  model: Model,
  fit: ExportFitOptions | undefined,
  where: string,
): Record<string, string> {
  const f = checkOptionKeys(fit, `${where}: fit`, EXPORT_FIT_OPTION_KEYS) as ExportFitOptions;
  const settings = {
    epochs: checkNumber(f.epochs, `${where}: fit`, 'epochs', {
      min: 0,
      integer: true,
      fallback: 1,
    }),
    batchSize: checkNumber(f.batchSize, `${where}: fit`, 'batchSize', {
      min: 1,
      integer: true,
      fallback: 32,
    }),
    seed: checkOptionalNumber(f.seed, `${where}: fit`, 'seed', { min: 0, integer: true }) ?? null,
    shuffle: checkBoolean(f.shuffle, `${where}: fit`, 'shuffle', true),
    validationSplit: checkNumber(f.validationSplit, `${where}: fit`, 'validationSplit', {
      min: 0,
      max: 1,
      maxExclusive: true,
      fallback: 0,
    }),
  };
  const compiled = model.compiled;
  if (!compiled) {
    if (fit === undefined) return {};
    throw new ConfigError(
      `${where}: fit settings were given, but ${model.describeSelf()} is not compiled, so there is ` +
        'no train.py to write them for. Fix: call model.compile({ optimizer, loss }) first ' +
        '(or load a model saved with includeOptimizer: true), or leave fit out.',
    );
  }
  const optimizer = compiled.optimizer;
  const optimizerClass = classNameOf(optimizer) ?? '';
  if (!OPTIMIZERS.includes(optimizerClass)) {
    throw new SerializationError(
      `${where}: train.py has no version of the optimizer ${optimizerClass}; it knows ${OPTIMIZERS.join(', ')}. ` +
        'Fix: compile with one of them (or export an uncompiled model: model.py alone).',
    );
  }
  const optimizerConfig = optimizer.getConfig();
  checkSchedule(optimizerConfig.learningRate, where);
  if (compiled.losses.length !== 1 || compiled.lossWeights.some((w) => w !== 1)) {
    throw new SerializationError(
      `${where}: train.py trains one output with one loss; this model has ${compiled.losses.length} ` +
        'losses or loss weights. Fix: export the model uncompiled and write the loop by hand.',
    );
  }
  const loss = compiled.losses[0]!;
  const lossClass = classNameOf(loss) ?? '';
  const lossConfig = loss.getConfig() as Record<string, unknown>;
  if (
    !LOSSES.includes(lossClass) ||
    (lossConfig.reduction ?? 'sum_over_batch_size') !== 'sum_over_batch_size'
  ) {
    throw new SerializationError(
      `${where}: train.py has no version of the loss ${lossClass || loss.name}; it knows ` +
        `${LOSSES.join(', ')} reduced by the batch mean. Fix: compile with one of them ` +
        '(or export an uncompiled model: model.py alone).',
    );
  }
  const outputShape = model.outputs[0]?.shape ?? [];
  const metrics = compiled.metricIds[0]!.map((id) => {
    const metric = getMetric(id, { loss, outputShape });
    const className = classNameOf(metric) ?? '';
    if (!METRICS.includes(className)) {
      throw new SerializationError(
        `${where}: train.py has no version of the metric ${metric.name}; it knows ` +
          `${METRICS.join(', ')}. Fix: compile with those metrics (or none) before exporting.`,
      );
    }
    return { name: metric.name, className, config: metric.getConfig() };
  });
  const config = {
    optimizer: { className: optimizerClass, config: optimizerConfig },
    loss: { className: lossClass, config: lossConfig },
    metrics,
    fit: settings,
  };
  return { 'train.py': TRAIN_PY, 'training.json': `${JSON.stringify(config, null, 2)}\n` };
}
