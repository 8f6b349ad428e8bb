// Fused optimizer updates: one pass over a variable instead of a dozen elementwise ops, each
// with its own output. Every operation rounds to float32 in the order the composite ops use
// (no fused multiply-add), so the results equal theirs bit for bit.

/**
 * Adam (Keras form) on n float32 values: m' = m + (g − m)·c1, v' = v + (g² − v)·c2,
 * vhat' = max(vhat, v') when vhat != 0 (then used for v' below), w' = w − (m'·α)/(√v' + ε).
 * Outputs go to wOut, mOut, vOut (and vhatOut); every buffer is 16-byte aligned.
 */
export function adamUpdate(
  w: usize, g: usize, m: usize, v: usize, vhat: usize,
  wOut: usize, mOut: usize, vOut: usize, vhatOut: usize,
  n: i32, alpha: f32, c1: f32, c2: f32, eps: f32,
): void {
  const av = f32x4.splat(alpha);
  const c1v = f32x4.splat(c1);
  const c2v = f32x4.splat(c2);
  const ev = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const gv = v128.load(g + o);
    const m0 = v128.load(m + o);
    const v0 = v128.load(v + o);
    const m1 = f32x4.add(m0, f32x4.mul(f32x4.sub(gv, m0), c1v));
    let v1 = f32x4.add(v0, f32x4.mul(f32x4.sub(f32x4.mul(gv, gv), v0), c2v));
    v128.store(mOut + o, m1);
    v128.store(vOut + o, v1);
    if (vhat != 0) {
      v1 = f32x4.max(v128.load(vhat + o), v1);
      v128.store(vhatOut + o, v1);
    }
    const step = f32x4.div(f32x4.mul(m1, av), f32x4.add(f32x4.sqrt(v1), ev));
    v128.store(wOut + o, f32x4.sub(v128.load(w + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const gi = load<f32>(g + o);
    const m0 = load<f32>(m + o);
    const v0 = load<f32>(v + o);
    const m1: f32 = m0 + (gi - m0) * c1;
    let v1: f32 = v0 + (gi * gi - v0) * c2;
    store<f32>(mOut + o, m1);
    store<f32>(vOut + o, v1);
    if (vhat != 0) {
      const h = load<f32>(vhat + o);
      v1 = h != h || v1 != v1 ? NaN : (h >= v1 ? h : v1);
      store<f32>(vhatOut + o, v1);
    }
    store<f32>(wOut + o, load<f32>(w + o) - (m1 * alpha) / (Mathf.sqrt(v1) + eps));
  }
}
