import { noGrad } from '../../autograd/tape.js';
import { ConfigError, describe } from '../../errors.js';
import { getLoss, type Loss } from '../../losses/index.js';
import { getMetric, type Metric } from '../../metrics/index.js';
import { getOptimizer, type Optimizer } from '../../optimizers/index.js';
import type { SymbolicShape } from '../../layers/symbolic.js';
import { tensor } from '../../tensor/creation.js';
import { withScope } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import { takeRows } from '../data.js';
import { modelInput } from './batch.js';
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
      return outputNames.map((name) => (Object.hasOwn(record, name) ? record[name]! : fallback));
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
 * A model still waiting for its input shape is built from x first (buildFromData), so that
 * 'accuracy' is resolved from the real output shape (binary for one unit).
 */
export function makeMetrics(
  model: Model,
  compiled: Compiled,
  xs: readonly Tensor[],
): { output: number; metric: Metric; name: string }[] {
  const outputShapes = buildFromData(model, xs, compiled.metricIds.flat().length > 0);
  const out: { output: number; metric: Metric; name: string }[] = [];
  compiled.metricIds.forEach((ids, i) => {
    for (const id of ids) {
      const metric = getMetric(id, {
        loss: compiled.losses[i]!,
        outputShape: outputShapes[i] ?? [],
      });
      const name =
        compiled.outputNames.length > 1 ? `${compiled.outputNames[i]}_${metric.name}` : metric.name;
      out.push({ output: i, metric, name });
    }
  });
  return out;
}

/**
 * Builds a model still waiting for its input shape from x, and returns its output shapes. A
 * subclassed model (its own call) has no graph to build: it is run once, in inference mode,
 * on x's first sample, so that every layer it uses makes its weights before the first step
 * (the step differentiates them, a checkpoint is restored into them); `needShapes` runs it
 * again once built, to learn the output shapes for the metrics.
 */
function buildFromData(model: Model, xs: readonly Tensor[], needShapes: boolean): SymbolicShape[] {
  if (!model.subclassed) {
    if (!model.built && xs[0] !== undefined) model.build([null, ...xs[0].shape.slice(1)]);
    return model.outputs.map((o) => o.shape);
  }
  if ((model.built && !needShapes) || xs.length === 0 || xs[0]!.shape[0] === 0) return [];
  return noGrad(() =>
    withScope(
      'building a subclassed model',
      () => {
        const first = takeRows(xs, tensor([0], undefined, 'int32'));
        const out = model.apply(modelInput(model, first), { training: false });
        return (Array.isArray(out) ? out : [out]).map((y) => [null, ...y.shape.slice(1)]);
      },
      () => () => false,
    ),
  );
}
