import { ConfigError, ShapeError, describe } from '../errors.js';
import { div, matmul, maximum, norm, reshape, transpose } from '../ops/index.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { type LayerInput, type LayerOptions, LAYER_OPTION_KEY_SET } from './layer.js';
import { MergeBase } from './merge.js';
import { optionKeys } from '../validation.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic.js';

export interface DotOptions extends LayerOptions {
  /**
   * The axis of each input to take the dot product over: one axis for both, or a pair
   * [axisOfFirst, axisOfSecond]; negative counts from the end; never the batch axis 0.
   */
  axes: number | readonly [number, number];
  /**
   * L2-normalise each input along its axis first (x / max(‖x‖, 1e-7), as Keras 3), so the
   * output is the cosine similarity (default false).
   */
  normalize?: boolean;
}
export const DOT_OPTION_KEYS = optionKeys<DotOptions>()({
  ...LAYER_OPTION_KEY_SET,
  axes: true,
  normalize: true,
});

/** Keras's bound on the norm when normalising (backend.epsilon()). */
const NORM_EPSILON = 1e-7;

/**
 * The per-sample dot product of two inputs over the given axes (as Keras's Dot, a batch dot):
 * for x [batch, ...p] and y [batch, ...q] contracted over axes i of x and j of y (sizes
 * equal), the output is [batch, ...p without i, ...q without j]; when that leaves only the
 * batch axis the output is [batch, 1].
 *
 *   sn.layers.dot({ axes: 1 }).apply([a, b])                     // [null, 8]·[null, 8] → [null, 1]
 *   sn.layers.dot({ axes: 1, normalize: true }).apply([a, b])    // cosine similarity
 *   sn.layers.dot({ axes: [2, 1] }).apply([x, y])                // [null, 3, 4]·[null, 4, 5] → [null, 3, 5]
 */
export class Dot extends MergeBase {
  static override readonly className: string = 'Dot';
  static override readonly optionKeys: readonly string[] = DOT_OPTION_KEYS;
  protected readonly inputCount = { min: 2, max: 2 };

  readonly axes: number | readonly [number, number];
  readonly normalize: boolean;

  constructor(options: DotOptions) {
    super(options);
    const axes: unknown = options?.axes;
    const valid =
      Number.isInteger(axes) ||
      (Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a)));
    if (!valid || axes === 0 || (Array.isArray(axes) && axes.includes(0))) {
      throw new ConfigError(
        `${this.describeSelf()}: axes must be an integer or a pair of integers [axisOfFirst, axisOfSecond] ` +
          `other than the batch axis 0 (negative counts from the end), received ${describe(axes)}; ` +
          'e.g. sn.layers.dot({ axes: -1 })',
      );
    }
    this.axes = Array.isArray(axes)
      ? (Object.freeze([axes[0], axes[1]]) as [number, number])
      : (axes as number);
    const normalize: unknown = options.normalize ?? false;
    if (typeof normalize !== 'boolean') {
      throw new ConfigError(
        `${this.describeSelf()}: normalize must be true or false, received ${describe(normalize)}.`,
      );
    }
    this.normalize = normalize;
  }

  /** The two contraction axes, non-negative, checked against the shapes. */
  #resolve(shapes: readonly SymbolicShape[]): [number, number] {
    const pair = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    const all = shapes.map(formatSymbolicShape).join(' and ');
    const axes = shapes.map((s, i) => {
      const rank = s.length;
      const a = pair[i]!;
      if (rank < 2) {
        throw new ShapeError(
          `${this.describeSelf()} needs inputs of rank >= 2 (a batch axis and a feature axis), received shapes ${all}.`,
        );
      }
      const axis = a < 0 ? a + rank : a;
      if (axis < 1 || axis >= rank) {
        throw new ShapeError(
          `${this.describeSelf()}: axis ${a} of input ${i} (shape ${formatSymbolicShape(s)}) is ` +
            `${axis === 0 ? 'the batch axis' : 'out of range'}; use an axis in [1, ${rank - 1}] (or [${-(rank - 1)}, -1]).`,
        );
      }
      return axis;
    }) as [number, number];
    const n0 = shapes[0]![axes[0]] ?? null;
    const n1 = shapes[1]![axes[1]] ?? null;
    if (n0 !== null && n1 !== null && n0 !== n1) {
      throw new ShapeError(
        `${this.describeSelf()} takes dot products over axis ${axes[0]} of the first input and axis ` +
          `${axes[1]} of the second, whose sizes differ: ${n0} vs ${n1} (shapes ${all}); choose ` +
          'axes of equal size (the axes option) or make the sizes agree.',
      );
    }
    this.batchOf(shapes);
    return axes;
  }

  override call(inputs: LayerInput): Tensor {
    let [x, y] = this.tensorList(inputs) as [Tensor, Tensor];
    const [ax, ay] = this.#resolve([x.shape, y.shape]);
    if (this.normalize) {
      x = div(x, maximum(norm(x, ax, { keepDims: true }), NORM_EPSILON));
      y = div(y, maximum(norm(y, ay, { keepDims: true }), NORM_EPSILON));
    }
    const batch = x.shape[0]!;
    const k = x.shape[ax]!;
    const restX = x.shape.filter((_, d) => d !== 0 && d !== ax);
    const restY = y.shape.filter((_, d) => d !== 0 && d !== ay);
    const others = (rank: number, skip: number): number[] =>
      Array.from({ length: rank }, (_, d) => d).filter((d) => d !== 0 && d !== skip);
    const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
    // [batch, ...restX, k]·[batch, k, ...restY] as one batched matrix product.
    const xm = reshape(transpose(x, [0, ...others(x.rank, ax), ax]), [batch, size(restX), k]);
    const ym = reshape(transpose(y, [0, ay, ...others(y.rank, ay)]), [batch, k, size(restY)]);
    const out = [...restX, ...restY];
    return reshape(matmul(xm, ym), [batch, ...(out.length === 0 ? [1] : out)]);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shapes = this.shapeList(inputShape);
    const [ax, ay] = this.#resolve(shapes);
    const batch = this.batchOf(shapes);
    const out = [
      ...shapes[0]!.filter((_, d) => d !== 0 && d !== ax),
      ...shapes[1]!.filter((_, d) => d !== 0 && d !== ay),
    ];
    return [batch, ...(out.length === 0 ? [1] : out)];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axes: typeof this.axes === 'number' ? this.axes : [...this.axes],
      normalize: this.normalize,
    };
  }
}
