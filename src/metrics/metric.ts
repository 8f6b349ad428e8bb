import { ShapeError } from '../errors.js';
import { fromConfigDefault, type ConfigDict, type JsonValue } from '../serialization.js';
import { toTensor } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionKeys, type OptionKeySet } from '../validation.js';

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
  /** Rebuilds a metric from getConfig()'s output (its options, null meaning default). */
  static fromConfig(config: ConfigDict): Metric {
    return fromConfigDefault(this, config);
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
