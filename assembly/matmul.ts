// Single-precision matrix product C = op(A)·op(B) on raw pointers into linear memory.
//
// Goto's scheme with a 2×16 register tile (8 f32x4 accumulators; more spill registers in V8):
// k is cut into slices of KC, n into blocks of NC, m into blocks of MC. For each slice the
// KC×NC block of op(B) is packed into 16-column panels and each MC×KC block of op(A) into
// 2-row panels; packing reads through element strides, so a transposed operand costs no copy,
// and pads edge panels with zeros so the micro-kernel always computes a full tile.
// With relaxed SIMD the multiply-add is fused (one instruction); otherwise mul + add.

export const MR: i32 = 2;
export const NR: i32 = 16;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 512;

/** Bytes of scratch memory sgemm needs (packed panels of A and B plus an edge tile). */
export function sgemmScratchBytes(): i32 {
  return (MC * KC + NC * KC + MR * NR) * 4;
}

@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * C[m×n, row-major, leading dimension ldc] = op(A)·op(B), where op(A)[i][p] is at
 * a + 4·(i·ars + p·acs) and op(B)[p][j] at b + 4·(p·brs + j·bcs). `scratch` points to
 * sgemmScratchBytes() bytes. C is overwritten (k = 0 gives zeros).
 */
export function sgemm(
  m: i32, n: i32, k: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32,
  c: usize, ldc: i32,
  scratch: usize,
): void {
  if (k == 0) {
    for (let i = 0; i < m; i++) memory.fill(c + <usize>(i * ldc) * 4, 0, <usize>n * 4);
    return;
  }
  const aPack = scratch;
  const bPack = scratch + <usize>(MC * KC) * 4;
  const tile = bPack + <usize>(NC * KC) * 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b + <usize>(pc * brs + jc * bcs) * 4, brs, bcs, kc, nc, bPack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a + <usize>(ic * ars + pc * acs) * 4, ars, acs, mc, kc, aPack);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bp = bPack + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const cp = c + <usize>((ic + ir) * ldc + jc + jr) * 4;
            const ap = aPack + <usize>(ir * kc) * 4;
            if (rows == MR && cols == NR) {
              kernel(ap, bp, kc, cp, ldc, pc > 0);
            } else {
              kernel(ap, bp, kc, tile, NR, false);
              for (let r = 0; r < rows; r++) {
                for (let s = 0; s < cols; s++) {
                  const dst = cp + <usize>(r * ldc + s) * 4;
                  const v = load<f32>(tile + <usize>(r * NR + s) * 4);
                  store<f32>(dst, pc > 0 ? load<f32>(dst) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/** bPack[(panel·kc + p)·16 + s] = op(B)[p][panel·16 + s], zero past `width` columns. */
export function packB(src: usize, prs: i32, pcs: i32, kc: i32, width: i32, dst: usize): void {
  for (let q = 0; q < width; q += NR) {
    const cols = min(NR, width - q);
    const panel = dst + <usize>(q * kc) * 4;
    const from = src + <usize>(q * pcs) * 4;
    if (pcs == 1 && cols == NR) {
      for (let p = 0; p < kc; p++) {
        const s = from + <usize>(p * prs) * 4;
        const d = panel + <usize>(p * NR) * 4;
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        v128.store(d, v128.load(s, 32), 32);
        v128.store(d, v128.load(s, 48), 48);
      }
    } else if (prs == 1 && cols == NR) {
      // op(B) is a transposed matrix: 4×4 blocks, read along p and transposed in registers.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        for (let s = 0; s < NR; s += 4) {
          const col = from + <usize>(s * pcs + p) * 4;
          const r0 = v128.load(col);
          const r1 = v128.load(col + <usize>pcs * 4);
          const r2 = v128.load(col + <usize>pcs * 8);
          const r3 = v128.load(col + <usize>pcs * 12);
          const t0 = v128.shuffle<u32>(r0, r1, 0, 4, 1, 5);
          const t1 = v128.shuffle<u32>(r2, r3, 0, 4, 1, 5);
          const t2 = v128.shuffle<u32>(r0, r1, 2, 6, 3, 7);
          const t3 = v128.shuffle<u32>(r2, r3, 2, 6, 3, 7);
          const d = panel + <usize>(p * NR + s) * 4;
          v128.store(d, v128.shuffle<u64>(t0, t1, 0, 2));
          v128.store(d, v128.shuffle<u64>(t0, t1, 1, 3), NR * 4);
          v128.store(d, v128.shuffle<u64>(t2, t3, 0, 2), NR * 8);
          v128.store(d, v128.shuffle<u64>(t2, t3, 1, 3), NR * 12);
        }
      }
      for (; p < kc; p++) {
        for (let s = 0; s < NR; s++) {
          store<f32>(panel + <usize>(p * NR + s) * 4, load<f32>(from + <usize>(s * pcs + p) * 4));
        }
      }
    } else {
      // Column by column: contiguous reads when op(B) is a transposed matrix (prs == 1).
      for (let s = 0; s < NR; s++) {
        if (s < cols) {
          const col = from + <usize>(s * pcs) * 4;
          for (let p = 0; p < kc; p++) {
            store<f32>(panel + <usize>(p * NR + s) * 4, load<f32>(col + <usize>(p * prs) * 4));
          }
        } else {
          for (let p = 0; p < kc; p++) store<f32>(panel + <usize>(p * NR + s) * 4, 0);
        }
      }
    }
  }
}

/** aPack[(panel·kc + p)·2 + r] = op(A)[panel·2 + r][p], zero past `height` rows. */
export function packA(src: usize, ars: i32, acs: i32, height: i32, kc: i32, dst: usize): void {
  for (let i = 0; i < height; i += MR) {
    const panel = dst + <usize>(i * kc) * 4;
    const r0 = src + <usize>(i * ars) * 4;
    if (i + 1 < height) {
      const r1 = r0 + <usize>ars * 4;
      for (let p = 0; p < kc; p++) {
        const off = <usize>(p * acs) * 4;
        store<f32>(panel + <usize>p * 8, load<f32>(r0 + off));
        store<f32>(panel + <usize>p * 8 + 4, load<f32>(r1 + off));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        store<f32>(panel + <usize>p * 8, load<f32>(r0 + <usize>(p * acs) * 4));
        store<f32>(panel + <usize>p * 8 + 4, 0);
      }
    }
  }
}

/** The 2×16 tile: C[r][s] (+)= Σ_p aPanel[2p + r]·bPanel[16p + s] over a slice of depth kc. */
// prettier-ignore
export function kernel(ap: usize, bp: usize, kc: i32, cp: usize, ldc: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const b2 = v128.load(bp, 32);
    const b3 = v128.load(bp, 48);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c02 = madd(a0, b2, c02); c03 = madd(a0, b3, c03);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11); c12 = madd(a1, b2, c12); c13 = madd(a1, b3, c13);
    ap += 8;
    bp += 64;
  }
  const c1 = cp + <usize>ldc * 4;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(cp)); c01 = f32x4.add(c01, v128.load(cp, 16));
    c02 = f32x4.add(c02, v128.load(cp, 32)); c03 = f32x4.add(c03, v128.load(cp, 48));
    c10 = f32x4.add(c10, v128.load(c1)); c11 = f32x4.add(c11, v128.load(c1, 16));
    c12 = f32x4.add(c12, v128.load(c1, 32)); c13 = f32x4.add(c13, v128.load(c1, 48));
  }
  v128.store(cp, c00); v128.store(cp, c01, 16); v128.store(cp, c02, 32); v128.store(cp, c03, 48);
  v128.store(c1, c10); v128.store(c1, c11, 16); v128.store(c1, c12, 32); v128.store(c1, c13, 48);
}
