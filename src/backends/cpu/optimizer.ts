import type { AdamHyper } from '../backend.js';

const f = Math.fround;

/**
 * The fused Adam step (see Backend.adamUpdate), written as the composite float32 ops it
 * replaces: every intermediate is rounded to float32, so the result is the one the separate
 * sub, mul, add, square, maximum, sqrt and div kernels give, bit for bit.
 */
export function adamUpdate(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  vhat: Float32Array | undefined,
  hyper: AdamHyper,
): { w: Float32Array; m: Float32Array; v: Float32Array; vhat?: Float32Array } {
  const alpha = f(hyper.alpha);
  const c1 = f(hyper.c1);
  const c2 = f(hyper.c2);
  const eps = f(hyper.epsilon);
  const n = w.length;
  const wOut = new Float32Array(n);
  const mOut = new Float32Array(n);
  const vOut = new Float32Array(n);
  const vhatOut = vhat ? new Float32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const m1 = f(m[i]! + f(f(gi - m[i]!) * c1));
    let v1 = f(v[i]! + f(f(f(gi * gi) - v[i]!) * c2));
    mOut[i] = m1;
    vOut[i] = v1;
    if (vhat && vhatOut) {
      const h = vhat[i]!;
      v1 = Number.isNaN(h) || Number.isNaN(v1) ? Number.NaN : h >= v1 ? h : v1;
      vhatOut[i] = v1;
    }
    wOut[i] = f(w[i]! - f(f(m1 * alpha) / f(f(Math.sqrt(v1)) + eps)));
  }
  return vhatOut ? { w: wOut, m: mOut, v: vOut, vhat: vhatOut } : { w: wOut, m: mOut, v: vOut };
}
