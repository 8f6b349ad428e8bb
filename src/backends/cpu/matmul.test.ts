import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../../index.js';
import { matmul } from './matmul.js';

// The blocked kernel against the textbook definition, written here with explicit
// multi-indices: C[t, i, j] = Σ_p op(A)[t, i, p] · op(B)[t, p, j], batch axes broadcast.

type DT = 'float32' | 'float64' | 'int32';

interface Case {
  a: number[];
  b: number[];
  transposeA?: boolean;
  transposeB?: boolean;
}

/** Element at multi-index `idx` of a row-major array of `shape`. */
function at(values: ArrayLike<number>, shape: readonly number[], idx: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d]! + idx[d]!;
  return values[flat]!;
}

/** The product by the definition, in doubles: its shape and flat values. */
function naive(
  av: ArrayLike<number>,
  bv: ArrayLike<number>,
  c: Case,
): { shape: number[]; values: number[] } {
  const { a, b, transposeA = false, transposeB = false } = c;
  const m = transposeA ? a.at(-1)! : a.at(-2)!;
  const k = transposeA ? a.at(-2)! : a.at(-1)!;
  const n = transposeB ? b.at(-2)! : b.at(-1)!;
  const batchA = a.slice(0, -2);
  const batchB = b.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let d = 0; d < rank; d++) {
    batch.push(
      Math.max(batchA[batchA.length - rank + d] ?? 1, batchB[batchB.length - rank + d] ?? 1),
    );
  }
  // The index into an operand's own batch axes for an output batch index (1-axes stay 0).
  const own = (shape: number[], t: number[]): number[] =>
    shape.map((size, d) => (size === 1 ? 0 : t[rank - shape.length + d]!));
  const values: number[] = [];
  const count = batch.reduce((x, y) => x * y, 1);
  for (let flat = 0; flat < count; flat++) {
    const t: number[] = [];
    let rest = flat;
    for (let d = rank - 1; d >= 0; d--) {
      t.unshift(rest % batch[d]!);
      rest = Math.floor(rest / batch[d]!);
    }
    const ta = own(batchA, t);
    const tb = own(batchB, t);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const x = at(av, a, [...ta, ...(transposeA ? [p, i] : [i, p])]);
          const y = at(bv, b, [...tb, ...(transposeB ? [j, p] : [p, j])]);
          s += x * y;
        }
        values.push(s);
      }
    }
  }
  return { shape: [...batch, m, n], values };
}

let seed = 100;
function random(shape: number[], dtype: DT): sn.Tensor {
  seed += 1;
  return dtype === 'int32'
    ? sn.randomUniform(shape, { minval: -9, maxval: 10, dtype, seed })
    : sn.randomUniform(shape, { minval: -1, maxval: 1, dtype, seed });
}

/** Runs the kernel on random operands and compares it with `naive`, rounded to the dtype. */
function check(c: Case, dtype: DT): void {
  const a = random(c.a, dtype);
  const b = random(c.b, dtype);
  const want = naive(a.dataSync(), b.dataSync(), c);
  const got = matmul(a, b, c.transposeA ?? false, c.transposeB ?? false, want.shape);
  const label = `${dtype} [${c.a}]${c.transposeA ? 'ᵀ' : ''}·[${c.b}]${c.transposeB ? 'ᵀ' : ''}`;
  assert.ok(
    got instanceof
      (dtype === 'float32' ? Float32Array : dtype === 'float64' ? Float64Array : Int32Array),
    label,
  );
  assert.equal(got.length, want.values.length, label);
  // Summation order differs from the naive loop: float64 agrees to rounding, float32 after
  // rounding its double sum once (sometimes one float32 step away), int32 exactly.
  const tol = dtype === 'float64' ? 1e-12 : dtype === 'float32' ? 1e-6 : 0;
  for (let i = 0; i < got.length; i++) {
    const w = dtype === 'float32' ? Math.fround(want.values[i]!) : want.values[i]!;
    const diff = Math.abs(got[i]! - w);
    assert.ok(
      diff <= tol * Math.max(1, Math.abs(w)),
      `${label} element ${i}: got ${got[i]}, expected ${w}`,
    );
  }
}

/** The same product under all four transposes: the stored operands are transposed to match. */
function allTransposes(
  m: number,
  k: number,
  n: number,
  batchA: number[] = [],
  batchB: number[] = [],
): Case[] {
  return [false, true].flatMap((transposeA) =>
    [false, true].map((transposeB) => ({
      a: [...batchA, ...(transposeA ? [k, m] : [m, k])],
      b: [...batchB, ...(transposeB ? [n, k] : [k, n])],
      transposeA,
      transposeB,
    })),
  );
}

test('matmul kernel: awkward 2-D shapes, every transpose combination, float32', () => {
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [5, 7, 3],
    [17, 33, 9],
    [4, 4, 4],
    [3, 1, 6],
    [6, 2, 1],
  ];
  for (const [m, k, n] of sizes) for (const c of allTransposes(m, k, n)) check(c, 'float32');
});

test('matmul kernel: several cache blocks (m > 64, k > 256, n > 256, none a multiple of 4)', () => {
  for (const c of allTransposes(67, 261, 259)) check(c, 'float64');
});

test('matmul kernel: 128×784 · 784×256 (the autoencoder layer)', () => {
  check({ a: [128, 784], b: [784, 256] }, 'float32');
});

test('matmul kernel: float64 and int32, every transpose combination', () => {
  for (const c of allTransposes(9, 13, 6)) {
    check(c, 'float64');
    check(c, 'int32');
  }
});

test('matmul kernel: broadcast batch dimensions', () => {
  check({ a: [2, 3, 4, 5], b: [5, 6] }, 'float32');
  check({ a: [4, 5], b: [2, 3, 5, 6] }, 'float64');
  check({ a: [2, 1, 3, 4], b: [1, 5, 4, 2] }, 'float64');
  check({ a: [3, 2, 5], b: [3, 5, 7] }, 'int32');
  for (const c of allTransposes(3, 6, 5, [2, 1], [4])) check(c, 'float64');
});

test('matmul kernel: k = 0 gives zeros; empty m or n give empty outputs', () => {
  const zeros = matmul(sn.zeros([2, 3, 0]), sn.zeros([0, 4]), false, false, [2, 3, 4]);
  assert.deepEqual(Array.from(zeros), new Array(24).fill(0));
  assert.equal(matmul(sn.zeros([0, 5]), sn.ones([5, 4]), false, false, [0, 4]).length, 0);
  assert.equal(matmul(sn.ones([3, 5]), sn.ones([5, 0]), false, false, [3, 0]).length, 0);
  assert.equal(matmul(sn.ones([0, 3, 5]), sn.ones([5, 2]), false, false, [0, 3, 2]).length, 0);
});

test('matmul kernel: hand-computed 2×3 · 3×2 and its transposes', () => {
  const a = sn.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = sn.tensor([
    [7, 8],
    [9, 10],
    [11, 12],
  ]);
  // [1·7+2·9+3·11, 1·8+2·10+3·12; 4·7+5·9+6·11, 4·8+5·10+6·12]
  assert.deepEqual(Array.from(matmul(a, b, false, false, [2, 2])), [58, 64, 139, 154]);
  // aᵀ·aᵀ-shaped check: aᵀ [3, 2] · bᵀ [2, 3] = (b·a)ᵀ; b·a = [[39, 54, 69], [49, 68, 87], [59, 82, 105]]
  assert.deepEqual(
    Array.from(matmul(a, b, true, true, [3, 3])),
    [39, 49, 59, 54, 68, 82, 69, 87, 105],
  );
});

test('matmul kernel: int32 results wrap like Int32Array stores, summed exactly in doubles', () => {
  // 2^20 · 2^20 · 2 = 2^41, stored in int32 wraps to 0; 2^15·2^15 + 1 = 2^30 + 1 fits.
  const big = matmul(
    sn.tensor([[1 << 20, 1 << 20]], undefined, 'int32'),
    sn.tensor([[1 << 20], [1 << 20]], undefined, 'int32'),
    false,
    false,
    [1, 1],
  );
  assert.equal(big[0], 0);
  const fits = matmul(
    sn.tensor([[1 << 15, 1]], undefined, 'int32'),
    sn.tensor([[1 << 15], [1]], undefined, 'int32'),
    false,
    false,
    [1, 1],
  );
  assert.equal(fits[0], (1 << 30) + 1);
});
