import { ConfigError, DTypeError, ShapeError, describe } from '../errors.js';
import { toTensor, type TensorLike } from './creation.js';
import type { DType } from './dtype.js';
import { keep } from './scope.js';
import { formatShape, shapesEqual } from './shape.js';
import type { DataStore } from './store.js';
import { Tensor } from './tensor.js';
import { checkBoolean, checkOptionKeys, optionKeys } from '../validation.js';

export interface VariableOptions {
  /** A name for messages, summaries and saved files (default `variable_N`). */
  name?: string;
  /** Whether valueAndGrads differentiates it and optimizers update it (default true). */
  trainable?: boolean;
  dtype?: DType;
}
const VARIABLE_OPTION_KEYS = optionKeys<VariableOptions>()({
  name: true,
  trainable: true,
  dtype: true,
});

let nextVariable = 0;

/**
 * A tensor whose values can be replaced: the trainable state of a model. It keeps its shape
 * and dtype for life; `assign` swaps in new values.
 */
export class Variable extends Tensor {
  readonly name: string;
  #trainable: boolean;
  /**
   * Applied to the new value after each optimizer step (a layer sets it from its
   * kernelConstraint / biasConstraint); any object with `apply(w) → w'`.
   */
  constraint: { apply(w: Tensor): Tensor } | undefined;

  constructor(initial: Tensor, options: VariableOptions = {}) {
    super(initial.dataId, initial.shape, initial.dtype, initial.store);
    checkOptionKeys(options, 'Variable', VARIABLE_OPTION_KEYS);
    this.name = options.name ?? `variable_${nextVariable++}`;
    this.#trainable = checkBoolean(options.trainable, 'Variable', 'trainable', true);
    keep(this); // state: no step scope releases a Variable
  }

  /** Whether valueAndGrads differentiates it and optimizers update it. */
  get trainable(): boolean {
    return this.#trainable;
  }
  set trainable(value: boolean) {
    this.#trainable = value;
  }

  /** Replaces the values; `value` must have this variable's shape and dtype. */
  assign(value: Tensor): void {
    if (!(value instanceof Tensor)) {
      throw new ConfigError(
        `Variable '${this.name}'.assign expects a Tensor, received ${describe(value)}.`,
      );
    }
    if (!shapesEqual(value.shape, this.shape)) {
      throw new ShapeError(
        `Variable '${this.name}' has shape ${formatShape(this.shape)}; assign received shape ` +
          `${formatShape(value.shape)}. Reshape the value, or make a new variable for a new shape.`,
      );
    }
    if (value.dtype !== this.dtype) {
      throw new DTypeError(
        `Variable '${this.name}' has dtype ${this.dtype}; assign received ${value.dtype}. Cast the value first (sn.cast).`,
      );
    }
    this.replaceData(value.dataId, value.store);
  }

  /**
   * Internal (ops/op.ts): copies the values into `store` (the active backend, after a
   * setBackend) and keeps them there. The variable stays the same object, so a tape that
   * watches it and an optimizer that updates it still see it.
   */
  moveTo(store: DataStore): void {
    if (this.store === store) return;
    this.replaceData(store.write(this.store.readSync(this.dataId), this.dtype), store);
  }

  /** A variable is state, never a step's intermediate: a step scope never releases one. */
  override releaseData(): undefined {
    return undefined;
  }
}

/** A trainable (by default) variable starting from `initial`'s values. */
export function variable(initial: TensorLike, options: VariableOptions = {}): Variable {
  checkOptionKeys(options, 'variable()', VARIABLE_OPTION_KEYS);
  const t = toTensor(initial, options.dtype);
  if (options.dtype !== undefined && t.dtype !== options.dtype) {
    throw new DTypeError(
      `variable(): initial value has dtype ${t.dtype} but dtype ${options.dtype} was asked; cast it first (sn.cast).`,
    );
  }
  // No copy needed: tensors are immutable and assign swaps the handle, never the values.
  return new Variable(t, options);
}
