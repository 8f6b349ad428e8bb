import { ConfigError, ShapeError, describe } from '../errors.js';
import { cast, mean } from '../ops/index.js';
import { noGrad } from '../autograd/tape.js';
import type { ConfigDict, JsonValue } from '../serialization.js';
import { toTensor } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkName, checkOptionKeys, optionKeys, type OptionKeySet } from '../validation.js';

/**
 * A stateful metric, as Keras's: `update` accumulates over batches, `result` reads the value
 * so far, `reset` starts again (fit resets at each epoch). State is kept in plain float64
 * numbers, outside the autodiff tape.
 */
export abstract class Metric {
  /** The name in logs and History ('accuracy', 'mse', 'precision', ...). */
  abstract readonly name: string;
  abstract update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;
  abstract result(): number;
  abstract reset(): void;
  /**
   * The running totals, as plain JSON, for fit's checkpoints: a fit resumed mid-epoch restores
   * them with setState so that the epoch's value is the same. undefined: nothing to save.
   */
  getState(): JsonValue | undefined {
    return undefined;
  }
  setState(_state: JsonValue): void {}
  /** The options that re-create the metric, with its name (camelCase Keras keys). */
  getConfig(): ConfigDict {
    return { name: this.name };
  }
}

/** Options every built-in metric accepts. */
export interface MetricOptions {
  /** Name for logs (default Keras's, e.g. 'binary_accuracy'). */
  name?: string;
}
/** The keys of MetricOptions, spread into the key list of every metric with more options. */
export const METRIC_OPTION_KEY_SET: OptionKeySet<MetricOptions> = { name: true };
export const METRIC_OPTION_KEYS = optionKeys<MetricOptions>()(METRIC_OPTION_KEY_SET);

/** A plain function (yTrue, yPred) → per-sample (or per-element) values. */
export type MetricFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * One weight per sample as a flat float64 array of length `batch` (a scalar is repeated;
 * [batch, 1] is accepted). `undefined` gives undefined (every sample weighs 1).
 */
export function sampleWeights(
  sampleWeight: Tensor | undefined,
  batch: number,
  where: string,
): Float64Array | undefined {
  if (sampleWeight === undefined) return undefined;
  const w = toTensor(sampleWeight);
  const values = Float64Array.from(w.dataSync() as ArrayLike<number>);
  if (w.rank === 0) return new Float64Array(batch).fill(values[0]!);
  if (values.length === batch && (w.rank === 1 || (w.rank === 2 && w.shape[1] === 1))) {
    return values;
  }
  throw new ShapeError(
    `${where}: sampleWeight has shape ${formatShape(w.shape)}, expected one weight per sample ` +
      `(shape [${batch}] or [${batch}, 1]) or a scalar.`,
  );
}

/**
 * The mean of a function's per-sample values, weighted by sample: Σ wᵢ·vᵢ / Σ wᵢ over every
 * batch seen since the last reset (Keras's MeanMetricWrapper). Values with more than one
 * axis are first averaged over all but the first, so a function may return per-element
 * values.
 */
export class MeanMetricWrapper extends Metric {
  static readonly className: string = 'MeanMetricWrapper';
  readonly name: string;
  readonly fn: MetricFunction;
  #total = 0;
  #count = 0;
  constructor(fn: MetricFunction, options: MetricOptions = {}) {
    super();
    checkOptionKeys(options, 'MeanMetricWrapper', METRIC_OPTION_KEYS);
    if (typeof fn !== 'function') {
      throw new ConfigError(
        `MeanMetricWrapper: fn must be a function (yTrue, yPred) => values, received ${describe(fn)}.`,
      );
    }
    this.fn = fn;
    this.name = checkName(options.name, 'metric', fn.name || 'mean_metric');
  }
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const values = noGrad(() => {
      const v = this.fn(yTrue, yPred);
      if (!(v instanceof Tensor)) {
        throw new ConfigError(
          `metric ${this.name}: the function must return a Tensor of per-sample values, received ${describe(v)}.`,
        );
      }
      const f = cast(v, 'float64');
      return f.rank > 1 ? mean(f, [...Array(f.rank).keys()].slice(1)) : f;
    }).dataSync();
    const w = sampleWeights(sampleWeight, Math.max(values.length, 1), this.name);
    if (values.length === 0) return;
    for (let i = 0; i < values.length; i++) {
      const wi = w ? w[i]! : 1;
      this.#total += wi * values[i]!;
      this.#count += wi;
    }
  }
  result(): number {
    return this.#count === 0 ? 0 : this.#total / this.#count;
  }
  reset(): void {
    this.#total = 0;
    this.#count = 0;
  }
  override getState(): JsonValue {
    return { total: this.#total, count: this.#count };
  }
  override setState(state: JsonValue): void {
    const s = state as { total: number; count: number };
    this.#total = s.total;
    this.#count = s.count;
  }
}
