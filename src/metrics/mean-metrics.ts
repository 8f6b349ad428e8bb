import { ConfigError, ShapeError, describe } from '../errors.js';
import { argMax, cast, equal, greater, reshape } from '../ops/index.js';
import { alignTargets, floatPrediction } from '../losses/loss.js';
import { MeanAbsoluteError as MaeLoss, MeanSquaredError as MseLoss } from '../losses/regression.js';
import type { ConfigDict, JsonValue } from '../serialization.js';
import { toTensor } from '../tensor/creation.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { MeanMetricWrapper } from './function.js';
import { METRIC_OPTION_KEYS, METRIC_OPTION_KEY_SET, Metric, type MetricOptions } from './metric.js';
import { checkName, checkOptionKeys, optionKeys } from '../validation.js';

/** Metrics that average a per-sample value: the accuracies, mean squared and absolute error. */

export interface BinaryAccuracyOptions extends MetricOptions {
  /** A prediction above this counts as class 1 (default 0.5). */
  threshold?: number;
}
const BINARY_ACCURACY_OPTION_KEYS = optionKeys<BinaryAccuracyOptions>()({
  ...METRIC_OPTION_KEY_SET,
  threshold: true,
});

/** The fraction of elements where (yPred > threshold) equals yTrue (labels 0 or 1). */
export class BinaryAccuracy extends MeanMetricWrapper {
  static override readonly className = 'BinaryAccuracy';
  static readonly optionKeys = BINARY_ACCURACY_OPTION_KEYS;
  readonly threshold: number;
  constructor(options: BinaryAccuracyOptions = {}) {
    checkOptionKeys(options, 'binaryAccuracy', BINARY_ACCURACY_OPTION_KEYS);
    const { threshold = 0.5 } = options;
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
      throw new ConfigError(
        `binaryAccuracy: threshold must be a number, received ${describe(threshold)}.`,
      );
    }
    const name = checkName(options.name, 'binaryAccuracy', 'binary_accuracy');
    super(
      (yTrue, yPred) => {
        const [t, p] = alignTargets(yTrue, yPred, name);
        return cast(equal(t, cast(greater(p, threshold), t.dtype)), 'float32');
      },
      { name },
    );
    this.threshold = threshold;
  }
  override getConfig(): ConfigDict {
    return { name: this.name, threshold: this.threshold };
  }
}

/** The fraction of samples where argMax(yPred) equals argMax(yTrue) (one-hot labels). */
export class CategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className = 'CategoricalAccuracy';
  static readonly optionKeys = METRIC_OPTION_KEYS;
  constructor(options: MetricOptions = {}) {
    checkOptionKeys(options, 'categoricalAccuracy', METRIC_OPTION_KEYS);
    const name = checkName(options.name, 'categoricalAccuracy', 'categorical_accuracy');
    super(
      (yTrue, yPred) => {
        const [t, p] = alignTargets(yTrue, yPred, name);
        return cast(equal(argMax(t, -1), argMax(p, -1)), 'float32');
      },
      { name },
    );
  }
}

/**
 * The fraction of samples where argMax(yPred) equals the integer label yTrue (shape
 * yPred.shape[:-1], or with a trailing axis of length 1).
 */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className = 'SparseCategoricalAccuracy';
  static readonly optionKeys = METRIC_OPTION_KEYS;
  constructor(options: MetricOptions = {}) {
    checkOptionKeys(options, 'sparseCategoricalAccuracy', METRIC_OPTION_KEYS);
    const name = checkName(
      options.name,
      'sparseCategoricalAccuracy',
      'sparse_categorical_accuracy',
    );
    super(
      (yTrue, yPred) => {
        const p = floatPrediction(yPred, name);
        let t = toTensor(yTrue);
        const want = p.shape.slice(0, -1);
        if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = reshape(t, want);
        if (p.rank === 0 || !shapesEqual(t.shape, want)) {
          throw new ShapeError(
            `${name}: integer labels yTrue have shape ${formatShape(t.shape)} but yPred has shape ` +
              `${formatShape(p.shape)}; expected labels of shape ${formatShape(want)}.`,
          );
        }
        return cast(equal(cast(t, 'float32'), cast(argMax(p, -1), 'float32')), 'float32');
      },
      { name },
    );
  }
}

/** The mean of (yTrue − yPred)² (default name 'mean_squared_error'). */
export class MeanSquaredError extends MeanMetricWrapper {
  static override readonly className = 'MeanSquaredError';
  static readonly optionKeys = METRIC_OPTION_KEYS;
  constructor(options: MetricOptions = {}) {
    checkOptionKeys(options, 'meanSquaredError', METRIC_OPTION_KEYS);
    const loss = new MseLoss();
    const name = checkName(options.name, 'meanSquaredError', 'mean_squared_error');
    super((t, p) => loss.call(t, p), { name });
  }
}

/** The mean of |yTrue − yPred| (default name 'mean_absolute_error'). */
export class MeanAbsoluteError extends MeanMetricWrapper {
  static override readonly className = 'MeanAbsoluteError';
  static readonly optionKeys = METRIC_OPTION_KEYS;
  constructor(options: MetricOptions = {}) {
    checkOptionKeys(options, 'meanAbsoluteError', METRIC_OPTION_KEYS);
    const loss = new MaeLoss();
    const name = checkName(options.name, 'meanAbsoluteError', 'mean_absolute_error');
    super((t, p) => loss.call(t, p), { name });
  }
}

/**
 * 'accuracy' before its kind is known: the first update picks binary, sparse categorical or
 * categorical accuracy from the shapes, as Keras 3 does (yPred's last axis 1 → binary; labels
 * of lower rank than yPred, or a last axis of 1 against several classes → sparse; else
 * categorical). getMetric resolves it at once when the loss or output shape tells.
 */
export class AutoAccuracy extends Metric {
  static readonly className = 'AutoAccuracy';
  static readonly optionKeys = METRIC_OPTION_KEYS;
  readonly name: string;
  #inner: Metric | undefined;
  constructor(options: MetricOptions = {}) {
    checkOptionKeys(options, 'accuracy', METRIC_OPTION_KEYS);
    super();
    this.name = checkName(options.name, 'accuracy', 'accuracy');
  }
  /** The resolved metric, once the first update has shown the shapes. */
  get resolved(): Metric | undefined {
    return this.#inner;
  }
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    if (!this.#inner) {
      const t = toTensor(yTrue).shape;
      const p = toTensor(yPred).shape;
      const pLast = p[p.length - 1];
      const sparse =
        t.length < p.length || (t[t.length - 1] === 1 && pLast !== undefined && pLast > 1);
      const opts = { name: this.name };
      this.#inner =
        pLast === 1
          ? new BinaryAccuracy(opts)
          : sparse
            ? new SparseCategoricalAccuracy(opts)
            : new CategoricalAccuracy(opts);
    }
    this.#inner.update(yTrue, yPred, sampleWeight);
  }
  result(): number {
    return this.#inner ? this.#inner.result() : 0;
  }
  reset(): void {
    this.#inner?.reset();
  }
  /** Which accuracy the first update chose, and its running totals. */
  override getState(): JsonValue {
    const kind =
      this.#inner instanceof BinaryAccuracy
        ? 'binary'
        : this.#inner instanceof SparseCategoricalAccuracy
          ? 'sparse'
          : this.#inner instanceof CategoricalAccuracy
            ? 'categorical'
            : null;
    return { kind, inner: this.#inner?.getState() ?? null };
  }
  override setState(state: JsonValue): void {
    const { kind, inner } = state as { kind: string | null; inner: JsonValue };
    const opts = { name: this.name };
    this.#inner =
      kind === 'binary'
        ? new BinaryAccuracy(opts)
        : kind === 'sparse'
          ? new SparseCategoricalAccuracy(opts)
          : kind === 'categorical'
            ? new CategoricalAccuracy(opts)
            : undefined;
    if (this.#inner && inner !== null) this.#inner.setState(inner);
  }
}
