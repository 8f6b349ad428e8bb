import { ConfigError, describe } from '../errors.js';
import { cast, mean } from '../ops/index.js';
import { noGrad } from '../autograd/tape.js';
import type { JsonValue } from '../serialization.js';
import { Tensor } from '../tensor/tensor.js';
import { checkName, checkOptionKeys } from '../validation.js';
import {
  METRIC_OPTION_KEYS,
  Metric,
  sampleWeights,
  type MetricFunction,
  type MetricOptions,
} from './metric.js';

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
