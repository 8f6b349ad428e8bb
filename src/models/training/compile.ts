import { ConfigError, describe } from '../../errors.js';
import { getLoss, type Loss } from '../../losses/loss.js';
import { getMetric, type Metric } from '../../metrics/metric.js';
import { getOptimizer, type Optimizer } from '../../optimizers/optimizer.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Model } from '../model.js';
import { checkOptionKeys, optionKeys } from '../../validation.js';

/** compile: the optimizer, the loss and weight of each output, and its metrics. */

type LossId = string | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);
type MetricId = string | Metric | ((yTrue: Tensor, yPred: Tensor) => Tensor);

export interface CompileOptions {
  optimizer: string | Optimizer;
  /** One loss for every output, a list (one per output) or a record by output layer name. */
  loss: LossId | readonly LossId[] | Readonly<Record<string, LossId>>;
  /** Metrics for every output, or a record by output layer name. */
  metrics?: readonly MetricId[] | Readonly<Record<string, readonly MetricId[]>>;
  /** Weights of each output's loss in the total (default 1 each). */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}
export const COMPILE_OPTION_KEYS = optionKeys<CompileOptions>()({
  optimizer: true,
  loss: true,
  metrics: true,
  lossWeights: true,
});

/** What compile resolved: one entry per model output. */
export interface Compiled {
  optimizer: Optimizer;
  losses: Loss[];
  lossWeights: number[];
  metricIds: MetricId[][];
  outputNames: string[];
}

export function compile(model: Model, options: CompileOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(
      `compile: expected { optimizer, loss, metrics? }, received ${describe(options)}.`,
    );
  }
  checkOptionKeys(options, 'compile', COMPILE_OPTION_KEYS);
  const outputNames = uniqueNames(model.outputNames);
  const n = Math.max(1, outputNames.length);
  const perOutput = <T>(
    value: T | readonly T[] | Readonly<Record<string, T>> | undefined,
    what: string,
    fallback: T,
  ): T[] => {
    if (value === undefined) return Array.from({ length: n }, () => fallback);
    if (Array.isArray(value)) {
      if (value.length !== n) {
        throw new ConfigError(
          `compile: ${what} has ${value.length} entries but the model has ${n} output(s) (${outputNames.join(', ')}).`,
        );
      }
      return value as T[];
    }
    if (
      typeof value === 'object' &&
      value !== null &&
      !('call' in value) &&
      !('update' in value) &&
      !('applyGradients' in value)
    ) {
      const record = value as Readonly<Record<string, T>>;
      for (const key of Object.keys(record)) {
        if (!outputNames.includes(key)) {
          throw new ConfigError(
            `compile: ${what} names output '${key}', but the outputs are ${outputNames.map((o) => `'${o}'`).join(', ')}.`,
          );
        }
      }
      return outputNames.map((name) => record[name] ?? fallback);
    }
    return Array.from({ length: n }, () => value as T);
  };
  if (options.loss === undefined)
    throw new ConfigError(
      "compile: a loss is required, e.g. compile({ optimizer: 'adam', loss: 'mse' }).",
    );
  const losses = perOutput<LossId>(options.loss, 'loss', 'mse').map((id) => getLoss(id));
  const lossWeights = perOutput<number>(options.lossWeights, 'lossWeights', 1);
  lossWeights.forEach((w) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ConfigError(
        `compile: lossWeights must be finite numbers >= 0, received ${describe(w)}.`,
      );
    }
  });
  let metricIds: MetricId[][];
  if (options.metrics === undefined) metricIds = Array.from({ length: n }, () => []);
  else if (Array.isArray(options.metrics))
    metricIds = Array.from({ length: n }, () => [...(options.metrics as MetricId[])]);
  else
    metricIds = perOutput<readonly MetricId[]>(
      options.metrics as Readonly<Record<string, readonly MetricId[]>>,
      'metrics',
      [],
    ).map((m) => [...m]);
  model.compiled = {
    optimizer: getOptimizer(options.optimizer),
    losses,
    lossWeights,
    metricIds,
    outputNames,
  };
}

/**
 * Output names for logs, made unique as tf.keras does: a layer giving two outputs (or a shared
 * layer) is 'dense', then 'dense_1', 'dense_2'.
 */
function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  const next = new Map<string, number>();
  return names.map((name) => {
    let proposal = name;
    while (used.has(proposal)) {
      const k = next.get(name) ?? 1;
      proposal = `${name}_${k}`;
      next.set(name, k + 1);
    }
    used.add(proposal);
    return proposal;
  });
}

export function compiledOf(model: Model, where: string): Compiled {
  if (!model.compiled) {
    throw new ConfigError(
      `${where}: model '${model.name}' is not compiled; call model.compile({ optimizer: 'adam', loss: 'mse' }) first.`,
    );
  }
  return model.compiled;
}

/**
 * Fresh metric objects for each output (names prefixed by the output's name when several).
 * A sequential model still waiting for its input shape is built from x first, so that
 * 'accuracy' is resolved from the real output shape (binary for one unit).
 */
export function makeMetrics(
  model: Model,
  compiled: Compiled,
  xs: readonly Tensor[],
): { output: number; metric: Metric; name: string }[] {
  if (!model.built && xs[0] !== undefined) model.build([null, ...xs[0].shape.slice(1)]);
  const out: { output: number; metric: Metric; name: string }[] = [];
  compiled.metricIds.forEach((ids, i) => {
    for (const id of ids) {
      const metric = getMetric(id, {
        loss: compiled.losses[i]!,
        outputShape: model.outputs[i]?.shape ?? [],
      });
      const name =
        compiled.outputNames.length > 1 ? `${compiled.outputNames[i]}_${metric.name}` : metric.name;
      out.push({ output: i, metric, name });
    }
  });
  return out;
}
