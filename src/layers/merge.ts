import { ConfigError, ShapeError, describe } from '../errors.js';
import { add, concat, div, maximum, minimum, mul, reshape, sub } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import {
  Layer,
  type CallOptions,
  type LayerInput,
  type LayerOptions,
  type LayerOutput,
  LAYER_OPTION_KEY_SET,
} from './layer.js';
import { optionKeys } from '../validation.js';
import { formatSymbolicShape, type SymbolicShape, type SymbolicTensor } from './symbolic.js';

/**
 * Merge layers: combine a list of tensors into one, as Keras's merging layers. Each is applied
 * to a list, `sn.layers.add().apply([a, b])`, of SymbolicTensors (functional models) or of
 * Tensors (a plain call), never to a single tensor. No weights.
 *
 * Elementwise merges (add, subtract, multiply, average, maximum, minimum) follow Keras's
 * _Merge: every input has the same batch size; the other dimensions are aligned from the
 * last and each pair must be equal or 1 (a size-1 dimension is broadcast); an input of lower
 * rank gets size-1 axes inserted after its batch axis. concatenate joins along an axis; dot
 * (dot.ts) takes per-sample dot products.
 */

export type MergeOptions = LayerOptions;
export const MERGE_OPTION_KEYS = optionKeys<MergeOptions>()({ ...LAYER_OPTION_KEY_SET });

function isShapeList(s: SymbolicShape | readonly SymbolicShape[]): s is readonly SymbolicShape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** The list handling every merge layer shares: a list of `min`..`max` inputs, nothing else. */
export abstract class MergeBase extends Layer {
  /**
   * As Layer.apply, typed for a merge: a list of SymbolicTensors gives one SymbolicTensor, a
   * list of Tensors one Tensor (a single tensor is refused at run time, with the fix).
   */
  override apply(inputs: readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor;
  override apply(inputs: readonly Tensor[], options?: CallOptions): Tensor;
  override apply(inputs: Tensor, options?: CallOptions): Tensor;
  override apply(inputs: SymbolicTensor, options?: CallOptions): SymbolicTensor;
  override apply(inputs: LayerInput, options?: CallOptions): LayerOutput;
  override apply(
    inputs: LayerInput | SymbolicTensor | readonly SymbolicTensor[],
    options?: CallOptions,
  ): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    return super.apply(inputs as LayerInput, options);
  }

  /** How many inputs the layer takes (Keras: at least 2 for most, exactly 2 for some). */
  protected abstract readonly inputCount: { min: number; max: number };

  /** The inputs as a list, or a ConfigError naming what was received and the fix. */
  protected inputList<T extends Tensor | SymbolicShape>(
    inputs: T | readonly T[],
    isList: boolean,
    describeOne: (x: T) => string,
  ): readonly T[] {
    const { min, max } = this.inputCount;
    const count = min === max ? `exactly ${min}` : `at least ${min}`;
    const example = `sn.layers.${this.#factoryName}().apply([a, b])`;
    if (!isList) {
      throw new ConfigError(
        `${this.describeSelf()} expects a list of ${count} tensors, received a single tensor of shape ` +
          `${describeOne(inputs as T)}; pass the tensors to merge as a list: ${example}`,
      );
    }
    const list = inputs as readonly T[];
    if (list.length < min || list.length > max) {
      throw new ConfigError(
        `${this.describeSelf()} expects a list of ${count} tensors, received ${list.length} ` +
          `(shapes ${list.map(describeOne).join(', ')})` +
          (max === 2 && list.length > 2
            ? `; pass two, and chain a second layer for a third: ${example}`
            : `; e.g. ${example}`),
      );
    }
    return list;
  }

  /** The input shapes as a list (for computeOutputShape). */
  protected shapeList(inputShape: SymbolicShape | readonly SymbolicShape[]): SymbolicShape[] {
    return [
      ...this.inputList<SymbolicShape>(
        isShapeList(inputShape) ? inputShape : (inputShape as SymbolicShape),
        isShapeList(inputShape),
        formatSymbolicShape,
      ),
    ];
  }

  /** The input tensors as a list (for call). */
  protected tensorList(inputs: LayerInput): Tensor[] {
    return [
      ...this.inputList<Tensor>(inputs, Array.isArray(inputs), (x) => formatSymbolicShape(x.shape)),
    ];
  }

  /** The sn.layers factory, for examples in messages ('add', 'concatenate'). */
  get #factoryName(): string {
    const name = this.className;
    return name.charAt(0).toLowerCase() + name.slice(1);
  }

  /** Every known batch size must agree; the shared one (or null). */
  protected batchOf(shapes: readonly SymbolicShape[]): number | null {
    let batch: number | null = null;
    for (const s of shapes) {
      const b = s[0] ?? null;
      if (b === null) continue;
      if (batch !== null && b !== batch) {
        throw new ShapeError(
          `${this.describeSelf()} received inputs with different batch sizes (shapes ` +
            `${shapes.map(formatSymbolicShape).join(', ')}); every input must hold the same ` +
            'samples: feed the same batch to each branch.',
        );
      }
      batch = b;
    }
    return batch;
  }
}

/**
 * An elementwise merge: the output shape from Keras's rule (dimensions after the batch,
 * aligned from the last, equal or 1), inputs of lower rank expanded after the batch axis.
 */
export abstract class ElementwiseMerge extends MergeBase {
  protected readonly inputCount = { min: 2, max: Infinity };

  /** The merge of inputs that now have the same rank (they broadcast). */
  protected abstract merge(inputs: readonly Tensor[]): Tensor;

  override call(inputs: LayerInput): Tensor {
    const list = this.tensorList(inputs);
    this.#outputShape(list.map((x) => x.shape));
    const rank = Math.max(...list.map((x) => x.rank));
    const same = list.map((x) =>
      x.rank === rank
        ? x
        : reshape(x, [x.shape[0]!, ...Array<number>(rank - x.rank).fill(1), ...x.shape.slice(1)]),
    );
    return this.merge(same);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return this.#outputShape(this.shapeList(inputShape));
  }

  #outputShape(shapes: readonly SymbolicShape[]): SymbolicShape {
    const scalar = shapes.find((s) => s.length === 0);
    if (scalar) {
      throw new ShapeError(
        `${this.describeSelf()} needs inputs with a batch axis, received shapes ` +
          `${shapes.map(formatSymbolicShape).join(', ')}; add a batch dimension with sn.expandDims(x, 0).`,
      );
    }
    const batch = this.batchOf(shapes);
    let out: readonly (number | null)[] = shapes[0]!.slice(1);
    for (let i = 1; i < shapes.length; i++) {
      const next = shapes[i]!.slice(1);
      const [long, short] = out.length >= next.length ? [out, next] : [next, out];
      const lead = long.slice(0, long.length - short.length);
      const tail = short.map((b, k) => {
        const a = long[long.length - short.length + k]!;
        if (a === null || b === null) return null;
        if (a === 1) return b;
        if (b === 1 || a === b) return a;
        throw new ShapeError(
          `${this.describeSelf()} cannot merge inputs of shapes ${formatSymbolicShape(shapes[0]!)}` +
            `${shapes
              .slice(1, i + 1)
              .map((s) => ` and ${formatSymbolicShape(s)}`)
              .join('')}: after the batch axis, dimensions are aligned from the last and each ` +
            `pair must be equal or 1 (here ${a} and ${b}). Make the shapes agree (a dense() or ` +
            'reshape() on one branch), or join them with concatenate() instead.',
        );
      });
      out = [...lead, ...tail];
    }
    return [batch, ...out];
  }
}

/**
 * Adds its inputs elementwise: add().apply([a, b, ...]) = a + b + ... (as Keras's Add).
 *
 *   const y = sn.layers.add().apply([branch1, branch2]);   // residual connection
 */
export class Add extends ElementwiseMerge {
  static override readonly className: string = 'Add';
  static override readonly optionKeys: readonly string[] = MERGE_OPTION_KEYS;

  constructor(options: MergeOptions = {}) {
    super(options);
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce((a, b) => add(a, b), inputs[0]!);
  }
}

/** Subtracts the second of exactly two inputs from the first: a − b (as Keras's Subtract). */
export class Subtract extends ElementwiseMerge {
  static override readonly className: string = 'Subtract';
  static override readonly optionKeys: readonly string[] = MERGE_OPTION_KEYS;
  protected override readonly inputCount = { min: 2, max: 2 };

  constructor(options: MergeOptions = {}) {
    super(options);
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return sub(inputs[0]!, inputs[1]!);
  }
}

/** Multiplies its inputs elementwise: a · b · ... (as Keras's Multiply). */
export class Multiply extends ElementwiseMerge {
  static override readonly className: string = 'Multiply';
  static override readonly optionKeys: readonly string[] = MERGE_OPTION_KEYS;

  constructor(options: MergeOptions = {}) {
    super(options);
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce((a, b) => mul(a, b), inputs[0]!);
  }
}

/** The elementwise mean of its inputs: (a + b + ...) / n (as Keras's Average). */
export class Average extends ElementwiseMerge {
  static override readonly className: string = 'Average';
  static override readonly optionKeys: readonly string[] = MERGE_OPTION_KEYS;

  constructor(options: MergeOptions = {}) {
    super(options);
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return div(
      inputs.slice(1).reduce((a, b) => add(a, b), inputs[0]!),
      inputs.length,
    );
  }
}

/** The elementwise maximum of its inputs (as Keras's Maximum); ties send the gradient to the first. */
export class Maximum extends ElementwiseMerge {
  static override readonly className: string = 'Maximum';
  static override readonly optionKeys: readonly string[] = MERGE_OPTION_KEYS;

  constructor(options: MergeOptions = {}) {
    super(options);
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce((a, b) => maximum(a, b), inputs[0]!);
  }
}

/** The elementwise minimum of its inputs (as Keras's Minimum); ties send the gradient to the first. */
export class Minimum extends ElementwiseMerge {
  static override readonly className: string = 'Minimum';
  static override readonly optionKeys: readonly string[] = MERGE_OPTION_KEYS;

  constructor(options: MergeOptions = {}) {
    super(options);
  }

  protected merge(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce((a, b) => minimum(a, b), inputs[0]!);
  }
}

export interface ConcatenateOptions extends LayerOptions {
  /** The axis to join along (default -1, the last; negative counts from the end). */
  axis?: number;
}
export const CONCATENATE_OPTION_KEYS = optionKeys<ConcatenateOptions>()({
  ...LAYER_OPTION_KEY_SET,
  axis: true,
});

/**
 * Joins its inputs along `axis` (as Keras's Concatenate). The inputs have the same rank and
 * the same sizes on every other axis; the output's size on `axis` is the sum of theirs.
 *
 *   sn.layers.concatenate().apply([a, b])   // [null, 3] and [null, 5] → [null, 8]
 */
export class Concatenate extends MergeBase {
  static override readonly className: string = 'Concatenate';
  static override readonly optionKeys: readonly string[] = CONCATENATE_OPTION_KEYS;
  protected readonly inputCount = { min: 2, max: Infinity };

  readonly axis: number;

  constructor(options: ConcatenateOptions = {}) {
    super(options);
    const axis: unknown = options.axis ?? -1;
    if (!Number.isInteger(axis)) {
      throw new ConfigError(
        `${this.describeSelf()}: axis must be an integer (negative counts from the end), received ` +
          `${describe(axis)}; e.g. sn.layers.concatenate({ axis: -1 })`,
      );
    }
    this.axis = axis as number;
  }

  override call(inputs: LayerInput): Tensor {
    const list = this.tensorList(inputs);
    return concat(list, this.#outputShape(list.map((x) => x.shape)).axis);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return this.#outputShape(this.shapeList(inputShape)).shape;
  }

  #outputShape(shapes: readonly SymbolicShape[]): { shape: SymbolicShape; axis: number } {
    const all = shapes.map(formatSymbolicShape).join(', ');
    const rank = shapes[0]!.length;
    if (shapes.some((s) => s.length !== rank)) {
      throw new ShapeError(
        `${this.describeSelf()} needs inputs of the same rank, received shapes ${all}; ` +
          'reshape or flatten the inputs first.',
      );
    }
    if (this.axis < -rank || this.axis >= rank) {
      throw new ShapeError(
        `${this.describeSelf()}: axis ${this.axis} is out of range for inputs of rank ${rank} ` +
          `(shapes ${all}); use an axis in [${-rank}, ${rank - 1}].`,
      );
    }
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const out: (number | null)[] = [];
    for (let d = 0; d < rank; d++) {
      const sizes = shapes.map((s) => s[d] ?? null);
      if (d === axis) {
        out.push(sizes.every((n) => n !== null) ? sizes.reduce<number>((a, b) => a + b!, 0) : null);
        continue;
      }
      const known = sizes.filter((n): n is number => n !== null);
      if (known.some((n) => n !== known[0])) {
        const what = d === 0 ? 'batch sizes' : `sizes on axis ${d}`;
        throw new ShapeError(
          `${this.describeSelf()} (axis ${this.axis}) needs inputs whose shapes match except on the ` +
            `concatenation axis, received shapes ${all} (${what} differ: ${sizes.map((n) => n ?? 'null').join(' vs ')}); ` +
            (d === 0
              ? 'feed the same batch to each branch.'
              : `concatenate along axis ${d} instead (sn.layers.concatenate({ axis: ${d} })), or reshape the inputs.`),
        );
      }
      out.push(known[0] ?? null);
    }
    return { shape: out, axis };
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }
}
