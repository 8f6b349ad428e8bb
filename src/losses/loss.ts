import { ConfigError, ShapeError, describe } from '../errors.js';
import { cast, mean, reshape } from '../ops/index.js';
import { fromConfigDefault, type ConfigDict, type Serializable } from '../serialization.js';
import { toTensor, type TensorLike } from '../tensor/creation.js';
import { floatTypeOf } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { optionKeys, type OptionKeySet } from '../validation.js';

/** Keras's fuzz factor (keras.backend.epsilon()): probabilities are clipped to [ε, 1 − ε]. */
export const EPSILON = 1e-7;

/**
 * A loss: maps (yTrue, yPred) to per-sample losses. `computeLoss` (compute.ts) reduces them to
 * the scalar that training minimises, as Keras's 'sum_over_batch_size'.
 */
export abstract class Loss implements Serializable {
  /** The Keras name ('mean_squared_error', 'binary_crossentropy', ...). */
  abstract readonly name: string;
  /**
   * Per-sample losses: shape [batch] for inputs of shape [batch, d] (the loss is reduced over
   * the last axis, as Keras); [batch, ...] for higher ranks.
   */
  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;
  /** Keras's config keys in camelCase: name, reduction and the loss's own options. */
  getConfig(): ConfigDict {
    return { name: this.name, reduction: 'sum_over_batch_size' };
  }
  /**
   * A loss from its Keras config: its options (the family's default, fromConfigDefault: only
   * the class's own optionKeys are kept), plus a `reduction` that must be the default.
   */
  static fromConfig(config: ConfigDict): Loss {
    checkReduction(config, nameOfClass(this));
    return fromConfigDefault(this, config);
  }
}

/** A class's registered name (its static className), else its JavaScript name. */
function nameOfClass(cls: { readonly className?: string; readonly name: string }): string {
  return cls.className ?? cls.name;
}

/** Options every built-in loss accepts. */
export interface LossOptions {
  /** Name for logs (default the Keras name, e.g. 'mean_squared_error'). */
  name?: string;
}
/** The keys of LossOptions, spread into the key list of every loss with more options. */
export const LOSS_OPTION_KEY_SET: OptionKeySet<LossOptions> = { name: true };
export const LOSS_OPTION_KEYS = optionKeys<LossOptions>()(LOSS_OPTION_KEY_SET);

/** Keras configs carry `reduction`; sinew's losses only do 'sum_over_batch_size'. */
export function checkReduction(config: ConfigDict, where: string): void {
  const r = config['reduction'];
  if (r !== undefined && r !== null && r !== 'sum_over_batch_size') {
    throw new ConfigError(
      `${where}: reduction ${describe(r)} is not supported; sinew's losses use Keras's default ` +
        "'sum_over_batch_size' (the mean over the batch). Leave reduction out.",
    );
  }
}

/** A label-smoothing amount: a number in [0, 1]. */
export function checkSmoothing(value: unknown, where: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ConfigError(
      `${where}: labelSmoothing must be a number in [0, 1], received ${describe(value)}; ` +
        'e.g. 0.1 moves each one-hot label 10% of the way towards uniform.',
    );
  }
  return value;
}

/** yPred as a float tensor. */
export function floatPrediction(yPred: TensorLike, where: string): Tensor {
  const p = toTensorChecked(yPred, where, 'yPred');
  return cast(p, floatTypeOf(p.dtype));
}

export function toTensorChecked(x: TensorLike, where: string, arg: string): Tensor {
  if (x === undefined || x === null) {
    throw new ConfigError(`${where}: ${arg} is required, received ${describe(x)}.`);
  }
  return toTensor(x);
}

/**
 * yTrue and yPred with the same shape and yPred's float dtype. As Keras, a trailing axis of
 * length 1 may be missing on one side ([batch] labels for a [batch, 1] output); any other
 * difference is a ShapeError naming both shapes and the loss.
 */
export function alignTargets(
  yTrue: TensorLike,
  yPred: TensorLike,
  where: string,
): [Tensor, Tensor] {
  const p = floatPrediction(yPred, where);
  let t = toTensorChecked(yTrue, where, 'yTrue');
  if (!shapesEqual(t.shape, p.shape)) {
    if (sameButTrailingOne(t.shape, p.shape) || sameButTrailingOne(p.shape, t.shape)) {
      t = reshape(t, p.shape);
    } else {
      throw new ShapeError(
        `${where}: yTrue has shape ${formatShape(t.shape)} but yPred has shape ${formatShape(p.shape)}; ` +
          'they must match (a trailing axis of length 1 may be left out on one side). ' +
          'Check that the labels are encoded as the model outputs them (one-hot vs integer labels).',
      );
    }
  }
  return [cast(t, p.dtype), p];
}

/** Whether `a` is `b` with an extra trailing axis of length 1. */
function sameButTrailingOne(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length + 1 && a[a.length - 1] === 1 && shapesEqual(a.slice(0, -1), b);
}

/**
 * The mean over the last axis, Keras's per-sample reduction, for rank >= 2. A rank-1 input
 * holds one value per sample and is returned as it is (Keras would average the whole batch
 * into a scalar; the mean over the batch is the same either way).
 */
export function meanLastAxis(x: Tensor): Tensor {
  return x.rank >= 2 ? mean(x, -1) : x;
}
