import type { Constraint } from '../../constraints/constraint.js';
import {
  constraintRegistry,
  getConstraint,
  type ConstraintIdentifier,
} from '../../constraints/index.js';
import { DTypeError, IndexError, ShapeError, describe } from '../../errors.js';
import {
  getInitializer,
  initializerRegistry,
  type InitializerIdentifier,
} from '../../initializers/index.js';
import type { Initializer } from '../../initializers/initializer.js';
import { cast, gather, greater, max, mul, notEqual, reshape } from '../../ops/index.js';
import type { Regularizer } from '../../regularizers/regularizer.js';
import { regularizerRegistry, type RegularizerIdentifier } from '../../regularizers/index.js';
import { type ConfigDict } from '../../serialization.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkBoolean, checkNumber, optionKeys } from '../../validation.js';
import {
  Layer,
  type LayerInput,
  type LayerOptions,
  type LayerVariable,
  LAYER_OPTION_KEY_SET,
} from '../layer.js';
import type { SymbolicShape } from '../symbolic.js';

export interface EmbeddingOptions extends LayerOptions {
  /** Number of distinct indices (the vocabulary size): indices are 0 … inputDim − 1. */
  inputDim: number;
  /** Size of each vector. */
  outputDim: number;
  /** Default uniform in [−0.05, 0.05], as Keras. */
  embeddingsInitializer?: InitializerIdentifier;
  embeddingsRegularizer?: RegularizerIdentifier;
  embeddingsConstraint?: ConstraintIdentifier;
  /**
   * Index 0 is padding: the layer makes a mask (index ≠ 0) that recurrent layers after it
   * read, skipping those steps (Keras's mask_zero). Index 0 still has a vector.
   */
  maskZero?: boolean;
  /** Accepted for Keras 2 / TF.js configs: when set, the input's steps must equal it. */
  inputLength?: number | null;
}
export const EMBEDDING_OPTION_KEYS = optionKeys<EmbeddingOptions>()({
  ...LAYER_OPTION_KEY_SET,
  inputDim: true,
  outputDim: true,
  embeddingsInitializer: true,
  embeddingsRegularizer: true,
  embeddingsConstraint: true,
  maskZero: true,
  inputLength: true,
});

/**
 * Turns integer indices into learned vectors (a lookup in a table, Keras's Embedding):
 * input [batch, ...] of integers in 0 … inputDim − 1 → output [batch, ..., outputDim].
 * Weight: embeddings [inputDim, outputDim]; its gradient touches only the rows looked up.
 * An index outside the range or not an integer is an error (Keras on GPU returns zeros).
 *
 *   sn.layers.embedding({ inputDim: 10000, outputDim: 64, maskZero: true })
 */
export class Embedding extends Layer {
  static override readonly className: string = 'Embedding';
  static override readonly optionKeys: readonly string[] = EMBEDDING_OPTION_KEYS;

  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  embeddingsConstraint: Constraint | undefined;
  readonly maskZero: boolean;
  readonly inputLength: number | undefined;
  embeddings: LayerVariable | undefined;

  constructor(options: EmbeddingOptions) {
    super(options);
    const where = this.describeSelf();
    const size = (arg: string, value: unknown): number =>
      checkNumber(value, where, arg, { min: 1, integer: true, example: `${arg}: 16` });
    this.inputDim = size('inputDim', options?.inputDim);
    this.outputDim = size('outputDim', options.outputDim);
    this.embeddingsInitializer = getInitializer(
      options.embeddingsInitializer ?? {
        className: 'RandomUniform',
        config: { minval: -0.05, maxval: 0.05 },
      },
    );
    this.embeddingsRegularizer = options.embeddingsRegularizer;
    this.embeddingsConstraint = getConstraint(options.embeddingsConstraint);
    this.maskZero = checkBoolean(options.maskZero, where, 'maskZero', false);
    this.inputLength =
      options.inputLength === undefined || options.inputLength === null
        ? undefined
        : size('inputLength', options.inputLength);
  }

  /** Settable at any time, also after build (docs/semantics.md rule 10). */
  get embeddingsRegularizer(): Regularizer | undefined {
    return this.weightRegularizer('embeddings');
  }
  set embeddingsRegularizer(id: RegularizerIdentifier | undefined) {
    this.setWeightRegularizer('embeddings', id);
  }

  override build(inputShape: SymbolicShape): void {
    this.#checkLength(inputShape);
    this.embeddings = this.addWeight({
      name: 'embeddings',
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer,
      constraint: this.embeddingsConstraint,
    });
  }

  #checkLength(shape: SymbolicShape | readonly number[]): void {
    const steps = shape[1];
    if (
      this.inputLength !== undefined &&
      steps !== null &&
      steps !== undefined &&
      steps !== this.inputLength
    ) {
      throw new ShapeError(
        `${this.describeSelf()} has inputLength ${this.inputLength}, received input of shape ${formatShape(shape as number[])}; ` +
          'pad or cut the sequences to that length, or leave inputLength out.',
      );
    }
  }

  call(inputs: LayerInput): Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : (inputs as Tensor);
    this.#checkLength(x.shape);
    return gather(this.embeddings!, this.#indices(x));
  }

  /** The input as int32 indices, after checking every value is an integer in range. */
  #indices(x: Tensor): Tensor {
    if (x.dtype === 'bool') {
      throw new DTypeError(
        `${this.describeSelf()} expects integer indices, received a bool tensor of shape ${formatShape(x.shape)}; cast it to int32.`,
      );
    }
    const values = x.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (!Number.isInteger(v)) {
        throw new IndexError(
          `${this.describeSelf()} expects integer indices, received ${describe(v)} at flat position ${i} of input shape ${formatShape(x.shape)}; ` +
            'round or map the data to integer ids first.',
        );
      }
      if (v < 0 || v >= this.inputDim) {
        throw new IndexError(
          `${this.describeSelf()} has inputDim ${this.inputDim} (indices 0 … ${this.inputDim - 1}), received index ${v} at flat position ${i} ` +
            `of input shape ${formatShape(x.shape)}; raise inputDim to at least ${v + 1} or map the data into range.`,
        );
      }
    }
    return x.dtype === 'int32' ? x : cast(x, 'int32');
  }

  override computeMask(inputs: LayerInput, _mask?: Tensor): Tensor | undefined {
    if (!this.maskZero) return undefined;
    const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : (inputs as Tensor);
    return notEqual(x, 0);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape, this.outputDim];
  }

  override computeOutputDType(): 'float32' | 'float64' {
    return this.dtype === 'float64' ? 'float64' : 'float32';
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: initializerRegistry.toJson(this.embeddingsInitializer),
      embeddingsRegularizer: regularizerRegistry.toJson(this.embeddingsRegularizer),
      embeddingsConstraint: constraintRegistry.toJson(this.embeddingsConstraint),
      maskZero: this.maskZero,
      ...(this.inputLength === undefined ? {} : { inputLength: this.inputLength }),
    };
  }
}

export interface MaskingOptions extends LayerOptions {
  /** Steps whose features all equal it are masked (default 0). */
  maskValue?: number;
}
export const MASKING_OPTION_KEYS = optionKeys<MaskingOptions>()({
  ...LAYER_OPTION_KEY_SET,
  maskValue: true,
});

/**
 * Marks padded steps of [batch, steps, features]: a step whose features all equal maskValue
 * is masked (recurrent layers after it skip it) and its output set to 0; other steps pass
 * unchanged (Keras's Masking).
 *
 *   sn.layers.masking({ maskValue: 0 })
 */
export class Masking extends Layer {
  static override readonly className: string = 'Masking';
  static override readonly optionKeys: readonly string[] = MASKING_OPTION_KEYS;
  readonly maskValue: number;

  constructor(options: MaskingOptions = {}) {
    super(options);
    this.maskValue = checkNumber(options.maskValue, this.describeSelf(), 'maskValue', {
      fallback: 0,
    });
  }

  /** [batch, steps]: true where some feature differs from maskValue. */
  #keep(x: Tensor): Tensor {
    return greater(max(cast(notEqual(x, this.maskValue), 'float32'), -1), 0);
  }

  call(inputs: LayerInput): Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : (inputs as Tensor);
    const keep = cast(this.#keep(x), x.dtype);
    return mul(x, reshape(keep, [...keep.shape, 1]));
  }

  override computeMask(inputs: LayerInput, _mask?: Tensor): Tensor | undefined {
    const x = Array.isArray(inputs) ? (inputs[0] as Tensor) : (inputs as Tensor);
    return this.#keep(x);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
