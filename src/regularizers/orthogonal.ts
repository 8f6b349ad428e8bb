import { ShapeError } from '../errors.js';
import { abs, matmul, maximum, mul, rsqrt, square, sub, sum } from '../ops/index.js';
import { eye, scalar } from '../tensor/creation.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { asFloat } from './float.js';
import { Regularizer } from './regularizer.js';
import { checkNumber, checkOneOf, checkOptionKeys, optionKeys } from '../validation.js';

export type OrthogonalMode = 'rows' | 'columns';

export interface OrthogonalOptions {
  /** The factor in front of the mean |cosine| (default 0.01). */
  factor?: number;
  /** Make the rows (default) or the columns of the matrix orthogonal to each other. */
  mode?: OrthogonalMode;
}
export const ORTHOGONAL_OPTION_KEYS = optionKeys<OrthogonalOptions>()({ factor: true, mode: true });

const EXAMPLE = "sn.regularizers.orthogonal({ factor: 0.01, mode: 'rows' })";

/**
 * Keras's OrthogonalRegularizer (docs/semantics.md rule 2): normalise each row (or column) of a
 * matrix by `x / sqrt(max(Σx², 1e-14))`, take the Gram matrix P of the unit vectors, zero its
 * diagonal; penalty = `factor · 0.5 · Σ|P_ij| / (n(n−1)/2)`, i.e. factor × the mean |cosine|
 * over distinct pairs. Rank-2 input only. With a single row (no pairs) the penalty is 0
 * (Keras divides 0 by 0).
 */
export class OrthogonalRegularizer extends Regularizer {
  static readonly className = 'OrthogonalRegularizer';
  static readonly optionKeys = ORTHOGONAL_OPTION_KEYS;
  readonly factor: number;
  readonly mode: OrthogonalMode;

  constructor(args: OrthogonalOptions = {}) {
    super();
    checkOptionKeys(args, 'orthogonal', ORTHOGONAL_OPTION_KEYS);
    this.factor = checkNumber(args.factor ?? 0.01, 'orthogonal', 'factor', {
      min: 0,
      example: EXAMPLE,
    });
    const modes: OrthogonalMode[] = ['rows', 'columns'];
    this.mode = checkOneOf(args.mode ?? 'rows', 'orthogonal', 'mode', modes, { example: EXAMPLE });
  }

  apply(x: Tensor): Tensor {
    if (x.rank !== 2) {
      throw new ShapeError(
        `orthogonal regularizer: expects a rank-2 tensor (a matrix such as a Dense kernel), ` +
          `received shape ${formatShape(x.shape)}. Reshape it to 2-D first ` +
          `(e.g. sn.reshape(w, [-1, ${x.shape[x.rank - 1] ?? 1}])), or use it only on Dense kernels.`,
      );
    }
    const t = asFloat(x);
    const rows = this.mode === 'rows';
    const n = t.shape[rows ? 0 : 1]!;
    if (n < 2) return scalar(0, t.dtype);
    const squares = sum(square(t), rows ? 1 : 0, { keepDims: true });
    const unit = mul(t, rsqrt(maximum(squares, 1e-14)));
    const gram = rows
      ? matmul(unit, unit, { transposeB: true })
      : matmul(unit, unit, { transposeA: true });
    const offDiagonal = mul(gram, sub(1, eye(n, { dtype: t.dtype })));
    const pairs = (n * (n - 1)) / 2;
    return mul(sum(abs(offDiagonal)), (this.factor * 0.5) / pairs);
  }

  getConfig(): ConfigDict {
    return { factor: this.factor, mode: this.mode };
  }
}
