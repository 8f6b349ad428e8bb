import { ConfigError, IndexError, ShapeError } from '../errors.js';
import { add, cast, clip, div, log, logSoftmax, mul, neg, oneHot, reshape } from '../ops/index.js';
import { softplus, sub, sum } from '../ops/index.js';
import { noGrad } from '../autograd/tape.js';
import { fromConfigDefault, type ConfigDict } from '../serialization.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { EPSILON, Loss, alignTargets, checkReduction } from './loss.js';
import { checkSmoothing, floatPrediction, meanLastAxis, toTensorChecked } from './loss.js';
import { LOSS_OPTION_KEYS, LOSS_OPTION_KEY_SET, type LossOptions } from './loss.js';
import { checkBoolean, checkName, checkOptionKeys, optionKeys } from '../validation.js';

/**
 * Crossentropies, KL divergence and Poisson, with Keras's exact formulas: probabilities are
 * clipped to [1e-7, 1 − 1e-7]; `fromLogits` uses the stable forms (softplus for binary,
 * logSoftmax for categorical), so logits of any size give finite losses.
 */

export interface CrossentropyOptions extends LossOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Moves the labels towards uniform by this amount, in [0, 1] (default 0). */
  labelSmoothing?: number;
}
const CROSSENTROPY_OPTION_KEYS = optionKeys<CrossentropyOptions>()({
  ...LOSS_OPTION_KEY_SET,
  fromLogits: true,
  labelSmoothing: true,
});

function clipProbabilities(p: Tensor): Tensor {
  return clip(p, { min: EPSILON, max: 1 - EPSILON });
}

/** What the binary and categorical crossentropies share: their options and config. */
abstract class SmoothedCrossentropy extends Loss {
  static readonly optionKeys: readonly string[] = CROSSENTROPY_OPTION_KEYS;
  readonly name: string;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(options: CrossentropyOptions, where: string, defaultName: string) {
    super();
    checkOptionKeys(options, where, CROSSENTROPY_OPTION_KEYS);
    this.fromLogits = checkBoolean(options.fromLogits, where, 'fromLogits', false);
    const { labelSmoothing = 0 } = options;
    this.labelSmoothing = checkSmoothing(labelSmoothing, where);
    this.name = checkName(options.name, where, defaultName);
  }
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      axis: -1,
    };
  }
}

/**
 * −[y·log p + (1 − y)·log(1 − p)], mean over the last axis. Label smoothing s moves y to
 * y·(1 − s) + s/2. From logits x: softplus(x) − x·y (= −[y·log σ(x) + (1−y)·log(1−σ(x))]).
 */
export class BinaryCrossentropy extends SmoothedCrossentropy {
  static override readonly optionKeys: readonly string[] = CROSSENTROPY_OPTION_KEYS;
  static readonly className = 'BinaryCrossentropy';
  constructor(options: CrossentropyOptions = {}) {
    super(options, 'binaryCrossentropy', 'binary_crossentropy');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    let [y, p] = alignTargets(yTrue, yPred, this.name);
    const s = this.labelSmoothing;
    if (s > 0) y = add(mul(y, 1 - s), 0.5 * s);
    if (this.fromLogits) return meanLastAxis(sub(softplus(p), mul(p, y)));
    p = clipProbabilities(p);
    const ce = add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p))));
    return meanLastAxis(neg(ce));
  }
}

/** log of the class probabilities: logSoftmax of logits, or log of renormalised, clipped p. */
function logProbabilities(p: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return logSoftmax(p, -1);
  // As Keras: rescale so each row sums to 1, then clip.
  return log(clipProbabilities(div(p, sum(p, -1, { keepDims: true }))));
}

/**
 * −Σ y·log p over the last (class) axis, with one-hot (or soft) labels y. Probabilities are
 * rescaled to sum to 1 and clipped, as Keras; from logits, log p = logSoftmax(x). Label
 * smoothing s: y·(1 − s) + s/numClasses.
 */
export class CategoricalCrossentropy extends SmoothedCrossentropy {
  static override readonly optionKeys: readonly string[] = CROSSENTROPY_OPTION_KEYS;
  static readonly className = 'CategoricalCrossentropy';
  constructor(options: CrossentropyOptions = {}) {
    super(options, 'categoricalCrossentropy', 'categorical_crossentropy');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [labels, p] = alignTargets(yTrue, yPred, this.name);
    let y = labels;
    if (p.rank === 0) {
      throw new ShapeError(
        `${this.name}: yPred must have a class axis (rank >= 1), received shape ${formatShape(p.shape)}.`,
      );
    }
    const s = this.labelSmoothing;
    if (s > 0) y = add(mul(y, 1 - s), s / p.shape[p.rank - 1]!);
    return neg(sum(mul(y, logProbabilities(p, this.fromLogits)), -1));
  }
}

export interface SparseCategoricalCrossentropyOptions extends LossOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
}
const SPARSE_CATEGORICAL_CROSSENTROPY_OPTION_KEYS =
  optionKeys<SparseCategoricalCrossentropyOptions>()({
    ...LOSS_OPTION_KEY_SET,
    fromLogits: true,
  });

/**
 * Categorical crossentropy with integer labels: yTrue has yPred's shape without the class
 * axis (or with a class axis of length 1), int32 or float values that are whole numbers in
 * 0..numClasses−1. A label out of range is an IndexError naming it, its position and the
 * number of classes (Keras would silently give a loss of 0 or NaN).
 */
export class SparseCategoricalCrossentropy extends Loss {
  static readonly className = 'SparseCategoricalCrossentropy';
  static readonly optionKeys: readonly string[] = SPARSE_CATEGORICAL_CROSSENTROPY_OPTION_KEYS;
  readonly name: string;
  readonly fromLogits: boolean;
  constructor(options: SparseCategoricalCrossentropyOptions = {}) {
    super();
    const where = 'sparseCategoricalCrossentropy';
    checkOptionKeys(options, where, SPARSE_CATEGORICAL_CROSSENTROPY_OPTION_KEYS);
    this.fromLogits = checkBoolean(options.fromLogits, where, 'fromLogits', false);
    this.name = checkName(
      options.name,
      'sparseCategoricalCrossentropy',
      'sparse_categorical_crossentropy',
    );
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const p = floatPrediction(yPred, this.name);
    const labels = sparseLabels(yTrue, p, this.name);
    const numClasses = p.shape[p.rank - 1]!;
    const y = oneHot(labels, numClasses, { dtype: p.dtype });
    return neg(sum(mul(y, logProbabilities(p, this.fromLogits)), -1));
  }
  override getConfig(): ConfigDict {
    return { ...super.getConfig(), fromLogits: this.fromLogits, ignoreClass: null };
  }
  static override fromConfig(config: ConfigDict): Loss {
    checkReduction(config, 'SparseCategoricalCrossentropy');
    if (config['ignoreClass'] !== undefined && config['ignoreClass'] !== null) {
      throw new ConfigError(
        'SparseCategoricalCrossentropy: ignoreClass is not supported; leave it out (or null).',
      );
    }
    return fromConfigDefault(this, config);
  }
}

/**
 * Integer labels as int32 with shape p.shape[:-1], checked: whole numbers in 0..numClasses−1.
 * Also used by the sparse accuracy metric's callers that want the same checks.
 */
export function sparseLabels(yTrue: Tensor, p: Tensor, where: string): Tensor {
  let t = toTensorChecked(yTrue, where, 'yTrue');
  if (p.rank === 0) {
    throw new ShapeError(
      `${where}: yPred must have a class axis (rank >= 1), received shape ${formatShape(p.shape)}.`,
    );
  }
  const want = p.shape.slice(0, -1);
  if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = reshape(t, t.shape.slice(0, -1));
  if (!shapesEqual(t.shape, want)) {
    throw new ShapeError(
      `${where}: integer labels yTrue have shape ${formatShape(t.shape)} but yPred has shape ` +
        `${formatShape(p.shape)}; expected labels of shape ${formatShape(want)} (or ${formatShape([...want, 1])}), ` +
        'one class index per sample. For one-hot labels use categoricalCrossentropy.',
    );
  }
  const numClasses = p.shape[p.rank - 1]!;
  const values = noGrad(() => t.dataSync());
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isInteger(v) && v >= 0 && v < numClasses) continue;
    const position = formatShape(unravel(i, want));
    if (!Number.isInteger(v)) {
      throw new ConfigError(
        `${where}: label ${v} at position ${position} is not a whole number; sparse labels ` +
          `are class indices in 0..${numClasses - 1}.`,
      );
    }
    throw new IndexError(
      `${where}: label ${v} at position ${position} is out of range for ${numClasses} classes ` +
        `(yPred has shape ${formatShape(p.shape)}); labels must be integers in 0..${numClasses - 1}.`,
    );
  }
  return cast(t, 'int32');
}

/** The multi-index of flat offset `i` in `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return index;
}

/**
 * Σ y·log(y / p) over the last axis, with y and p clipped to [1e-7, 1] (as Keras 3; tf.keras
 * and TensorFlow.js multiply by the unclipped y, which differs by at most ~1e-6 per zero).
 */
export class KLDivergence extends Loss {
  static readonly className = 'KLDivergence';
  static readonly optionKeys: readonly string[] = LOSS_OPTION_KEYS;
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'kld', LOSS_OPTION_KEYS);
    this.name = checkName(options.name, 'kld', 'kl_divergence');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    const y = clip(t, { min: EPSILON, max: 1 });
    const q = clip(p, { min: EPSILON, max: 1 });
    return sum(mul(y, log(div(y, q))), -1);
  }
}

/**
 * mean(yPred − yTrue·log(yPred + 1e-7)) over the last axis (Keras's poisson): the negative
 * Poisson log-likelihood of counts yTrue with rates yPred, up to a term in yTrue alone. yPred
 * must be >= 0 (use an exponential or softplus output); negative rates give NaN, as in Keras.
 */
export class Poisson extends Loss {
  static readonly className = 'Poisson';
  static readonly optionKeys: readonly string[] = LOSS_OPTION_KEYS;
  readonly name: string;
  constructor(options: LossOptions = {}) {
    super();
    checkOptionKeys(options, 'poisson', LOSS_OPTION_KEYS);
    this.name = checkName(options.name, 'poisson', 'poisson');
  }
  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const [t, p] = alignTargets(yTrue, yPred, this.name);
    return meanLastAxis(sub(p, mul(t, log(add(p, EPSILON)))));
  }
}
