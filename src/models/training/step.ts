import { ConfigError, describe } from '../../errors.js';
import type { Metric } from '../../metrics/metric.js';
import { Tensor } from '../../tensor/tensor.js';
import type { Logs } from '../callback.js';
import type { Model } from '../model.js';
import { modelInput, stepLogs, trainStep } from './batch.js';
import { compiledOf, type Compiled } from './compile.js';
import { checkOptionKeys, optionKeys } from '../../validation.js';

/**
 * The training step behind fit and trainOnBatch: fit calls `model.trainStep(batch)`, which a
 * subclass may override (Keras 3's train_step); the built-in step is `defaultTrainStep`.
 */

/** One batch, as `model.trainStep` receives it. */
export interface TrainStepData {
  /** The model's input: a tensor, or a list of tensors for a model with several inputs. */
  x: Tensor | Tensor[];
  /** The targets: a tensor, or a list of tensors (one per output) for several outputs. */
  y: Tensor | Tensor[];
  /** One weight per sample, when fit was given sampleWeight or classWeight. */
  sampleWeight?: Tensor;
}
/** Its keys: a step override calling `super.trainStep({ x, y, sampleWeigth })` is told. */
const TRAIN_STEP_DATA_KEYS = optionKeys<TrainStepData>()({ x: true, y: true, sampleWeight: true });

/** What `model.trainStep` returns: the batch's values by name, numbers or scalar tensors. */
export type TrainStepLogs = Record<string, number | Tensor>;

/** The metrics of the fit (or trainOnBatch) whose step is running, for the built-in step. */
let active: { model: Model; metrics: readonly Tracked[]; ran: boolean } | undefined;

type Tracked = { output: number; metric: Metric; name: string };

/**
 * One step of fit or trainOnBatch on a batch: calls `model.trainStep` and returns its logs as
 * numbers. Run it inside a step scope (batch.ts stepScope): only numbers leave it.
 */
export function fitStep(
  model: Model,
  compiled: Compiled,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  sw: Tensor | undefined,
  metrics: readonly Tracked[],
): Logs {
  const data: TrainStepData = {
    x: modelInput(model, xs),
    y: compiled.outputNames.length > 1 || ys.length > 1 ? [...ys] : ys[0]!,
    ...(sw ? { sampleWeight: sw } : {}),
  };
  const previous = active;
  const context = { model, metrics, ran: false };
  active = context;
  let logs: unknown;
  try {
    logs = model.trainStep(data);
  } finally {
    active = previous;
  }
  if (metrics.length > 0 && !context.ran) {
    throw new ConfigError(
      `${model.describeSelf()}.trainStep did not run the built-in step, so the compiled ` +
        `metrics (${metrics.map((m) => m.name).join(', ')}) were never updated. Fix: call ` +
        'super.trainStep(data) in the override, or compile without metrics and return your ' +
        'own values in the logs.',
    );
  }
  return stepNumbers(model, logs);
}

/**
 * The built-in step: the compiled loss plus every regularization loss (docs/semantics.md rule 13),
 * its gradients with respect to the trainable weights, one optimizer step, the compiled
 * metrics (inside fit); returns `{ loss, regularization_loss }` (and each output's loss).
 */
export function defaultTrainStep(model: Model, data: TrainStepData): Logs {
  const compiled = compiledOf(model, 'trainStep');
  checkOptionKeys(data, `${model.describeSelf()}.trainStep`, TRAIN_STEP_DATA_KEYS);
  const context = active?.model === model ? active : undefined;
  if (context) context.ran = true;
  const list = (v: Tensor | Tensor[], what: string): Tensor[] => {
    const tensors = Array.isArray(v) ? v : [v];
    const bad = tensors.find((t) => !(t instanceof Tensor));
    if (bad !== undefined || tensors.length === 0) {
      throw new ConfigError(
        `${model.describeSelf()}.trainStep: data.${what} must be a tensor or a list of tensors, received ${describe(v)}.`,
      );
    }
    return tensors;
  };
  const result = trainStep(
    model,
    compiled,
    list(data.x, 'x'),
    list(data.y, 'y'),
    data.sampleWeight,
    context?.metrics ?? [],
  );
  return stepLogs(result, compiled);
}

/** trainStep's logs as numbers: each value a number or a one-element tensor. */
function stepNumbers(model: Model, logs: unknown): Logs {
  const fix =
    'Fix: return a record of numbers (or scalar tensors) by name, e.g. return { loss: value }.';
  if (typeof logs !== 'object' || logs === null || Array.isArray(logs) || logs instanceof Tensor) {
    throw new ConfigError(
      `${model.describeSelf()}.trainStep returned ${describe(logs)}; expected its logs. ${fix}`,
    );
  }
  const out: Logs = {};
  for (const [key, value] of Object.entries(logs)) {
    if (typeof value === 'number') out[key] = value;
    else if (value instanceof Tensor && value.size === 1) out[key] = value.item();
    else {
      throw new ConfigError(
        `${model.describeSelf()}.trainStep returned ${describe(value)} for '${key}'; expected a number or a scalar tensor. ${fix}`,
      );
    }
  }
  return out;
}
