import { ShapeError } from '../errors.js';
import { eye, fromArray, randomNormal } from '../tensor/creation.js';
import { allocArray, type DType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigDict } from '../serialization.js';
import { Initializer } from './initializer.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../validation.js';
import { floatDType, optionalSeed, seedConfig, seedOption } from './seeded.js';

/**
 * Q of the QR decomposition of the row-major `rows × cols` matrix
 * `a` (rows >= cols), by modified Gram–Schmidt with one re-orthogonalisation pass, in float64.
 * Gram–Schmidt gives the R with a positive diagonal, which is exactly the sign-corrected Q
 * Keras computes (`q · sign(diag(r))` after a Householder QR): for a full-rank matrix the QR
 * with positive diag(R) is unique.
 */
export function orthonormalColumns(a: Float64Array, rows: number, cols: number): Float64Array {
  const q = Float64Array.from(a);
  for (let j = 0; j < cols; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += q[i * cols + k]! * q[i * cols + j]!;
        for (let i = 0; i < rows; i++) q[i * cols + j]! -= dot * q[i * cols + k]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += q[i * cols + j]! ** 2;
    norm = Math.sqrt(norm);
    // A normal matrix is full rank with probability 1; guard the measure-zero case anyway.
    for (let i = 0; i < rows; i++) q[i * cols + j] = norm > 0 ? q[i * cols + j]! / norm : 0;
  }
  return q;
}

export interface OrthogonalOptions {
  /** Multiplies the orthogonal matrix (default 1). */
  gain?: number;
  seed?: number;
}
const ORTHOGONAL_OPTION_KEYS = optionKeys<OrthogonalOptions>()({ gain: true, seed: true });

/**
 * A random orthogonal matrix (Saxe et al. 2014), as Keras: the shape is flattened to
 * `[product of all but the last dim, last dim]`; a normal matrix of shape [max, min] is
 * QR-decomposed and Q (sign-corrected) is transposed when there are fewer rows than columns,
 * so the rows or the columns (whichever are fewer) are orthonormal; times `gain`.
 */
export class Orthogonal extends Initializer {
  static readonly className = 'OrthogonalInitializer';
  static readonly optionKeys = ORTHOGONAL_OPTION_KEYS;
  readonly gain: number;
  readonly seed: number | undefined;

  constructor(args: OrthogonalOptions = {}) {
    super();
    checkOptionKeys(args, 'orthogonal', ORTHOGONAL_OPTION_KEYS);
    this.gain = checkNumber(args.gain ?? 1, 'orthogonal', 'gain');
    this.seed = optionalSeed(args.seed, 'orthogonal');
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    const d = floatDType(dtype, 'orthogonal');
    if (shape.length < 2) {
      throw new ShapeError(
        `orthogonal initializer: needs a shape of rank >= 2, received ${formatShape(shape)}; ` +
          'for a bias use zeros or a random initializer.',
      );
    }
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const cols = shape.at(-1)!;
    const [tall, narrow] = [Math.max(rows, cols), Math.min(rows, cols)];
    const a = randomNormal([tall, narrow], { dtype: 'float64', ...seedOption(this.seed) });
    const q = orthonormalColumns(a.dataSync() as Float64Array, tall, narrow);
    const out = allocArray(d, rows * cols);
    for (let i = 0; i < tall; i++) {
      for (let j = 0; j < narrow; j++) {
        // q is [tall, narrow]; when rows < cols the result is its transpose [narrow, tall].
        const target = rows >= cols ? i * cols + j : j * cols + i;
        out[target] = this.gain * q[i * narrow + j]!;
      }
    }
    return fromArray(out, [...shape], d);
  }

  getConfig(): ConfigDict {
    return { gain: this.gain, seed: seedConfig(this.seed) };
  }
}

export interface IdentityOptions {
  /** Multiplies the identity matrix (default 1). */
  gain?: number;
}
const IDENTITY_OPTION_KEYS = optionKeys<IdentityOptions>()({ gain: true });

/** `gain` times the identity matrix (rectangular: ones on the main diagonal); 2-D only. */
export class Identity extends Initializer {
  static readonly className = 'IdentityInitializer';
  static readonly optionKeys = IDENTITY_OPTION_KEYS;
  readonly gain: number;

  constructor(args: IdentityOptions = {}) {
    super();
    checkOptionKeys(args, 'identity', IDENTITY_OPTION_KEYS);
    this.gain = checkNumber(args.gain ?? 1, 'identity', 'gain');
  }

  apply(shape: readonly number[], dtype?: DType): Tensor {
    if (shape.length !== 2) {
      throw new ShapeError(
        `identity initializer: only for 2-D matrices, received shape ${formatShape(shape)}; ` +
          'use it for Dense kernels or recurrent kernels.',
      );
    }
    const i = eye(shape[0]!, { numColumns: shape[1]!, dtype: dtype ?? 'float32' });
    if (this.gain === 1) return i;
    const data = i.dataSync().map((v) => v * this.gain);
    return fromArray(data, [...shape], i.dtype);
  }

  getConfig(): ConfigDict {
    return { gain: this.gain };
  }
}
