import { DTypeError, ShapeError } from '../errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { upcast } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { unbroadcast } from './binary.js';
import { cast } from './cast.js';
import { backend, checkOptions, convert, defineGradients, makeTensor } from './op.js';
import { optionKeys } from '../validation.js';

export interface MatmulOptions {
  /** Use the transpose of a's last two axes (default false). */
  transposeA?: boolean;
  /** Use the transpose of b's last two axes (default false). */
  transposeB?: boolean;
}
const MATMUL_OPTION_KEYS = optionKeys<MatmulOptions>()({
  transposeA: true,
  transposeB: true,
});

/** What a product saves: its operands (after promotion) and the transpose flags. */
interface MatmulSaved {
  matmul: { a: Tensor; b: Tensor; transposeA: boolean; transposeB: boolean };
}
const recordMatmul = defineGradients<MatmulSaved>({
  matmul: ([dy], { a, b, transposeA, transposeB }, needed) => {
    // With C = op(A)·op(B): d op(A) = dC·op(B)ᵀ and d op(B) = op(A)ᵀ·dC; transposing those
    // back to A's and B's stored layout only flips the flags. Batch axes that an input was
    // broadcast along are summed away. A gradient nobody needs (the input batch's) is skipped.
    const [da, db] = matmulGradients(dy, a, b, transposeA, transposeB);
    return [
      needed[0] ? unbroadcast(da(), a.shape) : undefined,
      needed[1] ? unbroadcast(db(), b.shape) : undefined,
    ];
  },
});

/**
 * Matrix product a·b. 2-D: [m, k]·[k, n] → [m, n]. Batched: [...batch, m, k]·[...batch, k, n]
 * with batch dimensions broadcast (NumPy's rules: [2, 3, m, k]·[k, n] and [2, 1, m, k]·[1, 5,
 * k, n] both work). `transposeA`/`transposeB` use the transpose of the last two axes without
 * copying: matmul(a, b, { transposeB: true }) is a·bᵀ.
 *
 * Both operands need rank >= 2 (as TensorFlow.js): a vector is rejected with a ShapeError
 * rather than silently promoted; make it a row or a column with sn.expandDims. Dtypes are
 * promoted as in binary ops (int32 < float32 < float64); bool is rejected.
 *
 *   sn.matmul(x, w)                          // [batch, in]·[in, out] → [batch, out]
 *   sn.matmul(x, dz, { transposeA: true })   // xᵀ·dz
 */
export function matmul(a: TensorLike, b: TensorLike, options?: MatmulOptions): Tensor {
  const { transposeA = false, transposeB = false } = checkOptions(
    options,
    'matmul',
    'matmul(a, b, { transposeA: true })',
    MATMUL_OPTION_KEYS,
  );
  let ta = convert(a, 'matmul', 'a');
  let tb = convert(b, 'matmul', 'b');
  checkRank(ta, 'a', 0);
  checkRank(tb, 'b', -1);
  if (ta.dtype === 'bool' || tb.dtype === 'bool') {
    throw new DTypeError(
      `matmul: operands must be numeric, received dtypes ${ta.dtype} and ${tb.dtype}. ` +
        `Cast masks first, e.g. sn.cast(mask, 'float32').`,
    );
  }
  const dtype = upcast(ta.dtype, tb.dtype);
  ta = cast(ta, dtype);
  tb = cast(tb, dtype);
  const shape = productShape(ta.shape, tb.shape, transposeA, transposeB);

  const y = makeTensor(backend().matmul(ta, tb, transposeA, transposeB, shape), shape, dtype);
  recordMatmul('matmul', [ta, tb], [y], { a: ta, b: tb, transposeA, transposeB });
  return y;
}

/** The two gradients of a product, each computed only when called. */
function matmulGradients(
  dc: Tensor,
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
): [() => Tensor, () => Tensor] {
  if (!transposeA && !transposeB) {
    // C = A·B: dA = dC·Bᵀ, dB = Aᵀ·dC.
    return [() => matmul(dc, b, { transposeB: true }), () => matmul(a, dc, { transposeA: true })];
  }
  if (!transposeA && transposeB) {
    // C = A·Bᵀ: dA = dC·B, dB = dCᵀ·A.
    return [() => matmul(dc, b), () => matmul(dc, a, { transposeA: true })];
  }
  if (transposeA && !transposeB) {
    // C = Aᵀ·B: dA = B·dCᵀ, dB = A·dC.
    return [() => matmul(b, dc, { transposeB: true }), () => matmul(a, dc)];
  }
  // C = Aᵀ·Bᵀ: dA = Bᵀ·dCᵀ, dB = dCᵀ·Aᵀ.
  return [
    () => matmul(b, dc, { transposeA: true, transposeB: true }),
    () => matmul(dc, a, { transposeA: true, transposeB: true }),
  ];
}

function checkRank(x: Tensor, name: 'a' | 'b', vectorAxis: number): void {
  if (x.rank >= 2) return;
  const fix =
    x.rank === 1
      ? `make the vector a ${vectorAxis === 0 ? 'row' : 'column'} with sn.expandDims(${name}, ${vectorAxis}) ` +
        `(shape ${formatShape(vectorAxis === 0 ? [1, x.shape[0]!] : [x.shape[0]!, 1])}) and squeeze the result`
      : 'for a scalar factor use sn.mul';
  throw new ShapeError(
    `matmul: ${name} must have rank >= 2 (a matrix or a batch of matrices), received shape ` +
      `${formatShape(x.shape)}; ${fix}.`,
  );
}

/** [...batch, m, n] for op(a)·op(b), or a ShapeError naming both shapes and the fix. */
function productShape(
  a: readonly number[],
  b: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): number[] {
  const [aRows, aCols] = a.slice(-2) as [number, number];
  const [bRows, bCols] = b.slice(-2) as [number, number];
  const [m, ka] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [kb, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  const flags = `transposeA: ${transposeA}, transposeB: ${transposeB}`;
  const both = `a has shape ${formatShape(a)} and b has shape ${formatShape(b)} (${flags})`;
  if (ka !== kb) {
    throw new ShapeError(
      `matmul: inner dimensions differ: ${both}, so op(a) has ${ka} columns but op(b) has ${kb} ` +
        `rows (${ka} vs ${kb}). ${innerFix(aRows, aCols, bRows, bCols, transposeA, transposeB)}`,
    );
  }
  const batchA = a.slice(0, -2);
  const batchB = b.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = batchA[batchA.length - rank + i] ?? 1;
    const db = batchB[batchB.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `matmul: batch dimensions cannot be broadcast: ${both}; their batch shapes ` +
          `${formatShape(batchA)} and ${formatShape(batchB)} differ at axis ${i - rank - 2} ` +
          `(${da} vs ${db}). Batch dimensions must be equal or 1; reshape or expandDims one operand.`,
      );
    }
    batch[i] = da === 1 ? db : da;
  }
  return [...batch, m, n];
}

/** Suggests the transpose flags that would make the inner dimensions agree, if any. */
function innerFix(
  aRows: number,
  aCols: number,
  bRows: number,
  bCols: number,
  transposeA: boolean,
  transposeB: boolean,
): string {
  const k = (ta: boolean): number => (ta ? aRows : aCols);
  const kb = (tb: boolean): number => (tb ? bCols : bRows);
  const call = (ta: boolean, tb: boolean): string => {
    const flags = [ta && 'transposeA: true', tb && 'transposeB: true'].filter(Boolean);
    return flags.length === 0 ? 'matmul(a, b)' : `matmul(a, b, { ${flags.join(', ')} })`;
  };
  // Flip as few flags as possible: one flag (either), else both.
  const one = [
    [transposeA, !transposeB],
    [!transposeA, transposeB],
  ].filter(([ta, tb]) => k(ta!) === kb(tb!));
  if (one.length > 0) {
    return `To multiply by a transpose, write ${one.map(([ta, tb]) => call(ta!, tb!)).join(' or ')}.`;
  }
  if (k(!transposeA) === kb(!transposeB)) {
    return `To multiply by the transposes, write ${call(!transposeA, !transposeB)}.`;
  }
  return 'No transpose makes them agree: check which tensors are being multiplied.';
}
