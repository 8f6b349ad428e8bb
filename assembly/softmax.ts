// Float32 softmax / logSoftmax along one axis: x seen as [outer, n, inner], every line
// x[(o·n + r)·inner + j] for r < n is shifted by its maximum m, then
//   softmax:    y = exp(x − m) / Σ exp(x − m)
//   logSoftmax: y = (x − m) − log Σ exp(x − m)
// in three passes (max; exp and the float64 sum; scale), with no intermediate buffer. Four
// lines (inner > 1) or four elements of a line (inner == 1) go at a time through the SIMD
// exp of elementwise.ts; a block where some x − m is below −80 (masked −Infinity logits,
// far-off values) uses the scalar Mathf.exp, and a line whose maximum is not finite (NaN,
// +Infinity, or only −Infinity) takes the scalar path, which gives NaN as the formula does.
// The reference is src/backends/cpu/softmax.ts.
import { vexp } from './elementwise';

const LOW: f32 = -80;

/** One line of n values `stride` elements apart, scalar. */
function lineScalar(x: usize, out: usize, n: i32, stride: i32, log: bool): void {
  const step = <usize>stride * 4;
  let m: f32 = -Infinity;
  for (let r = 0; r < n; r++) {
    const v = load<f32>(x + <usize>r * step);
    m = v > m || v != v ? v : m;
  }
  let sum: f64 = 0;
  for (let r = 0; r < n; r++) sum += <f64>Mathf.exp(load<f32>(x + <usize>r * step) - m);
  if (log) {
    const ls = <f32>Math.log(sum);
    for (let r = 0; r < n; r++) {
      const o = <usize>r * step;
      store<f32>(out + o, (load<f32>(x + o) - m) - ls);
    }
  } else {
    const s = <f32>sum;
    for (let r = 0; r < n; r++) {
      const o = <usize>r * step;
      store<f32>(out + o, Mathf.exp(load<f32>(x + o) - m) / s);
    }
  }
}

/** exp(v) four lanes at a time, lanes of v in [−Infinity, 0]; scalar where one is below LOW. */
@inline
function expShifted(v: v128): v128 {
  if (i32x4.all_true(f32x4.ge(v, f32x4.splat(LOW)))) return vexp(v);
  return f32x4(
    Mathf.exp(f32x4.extract_lane(v, 0)),
    Mathf.exp(f32x4.extract_lane(v, 1)),
    Mathf.exp(f32x4.extract_lane(v, 2)),
    Mathf.exp(f32x4.extract_lane(v, 3)),
  );
}

/** One contiguous line of n values, four at a time. */
function lineSimd(x: usize, out: usize, n: i32, log: bool): void {
  let mv = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) mv = f32x4.max(mv, v128.load(x + <usize>i * 4));
  // f32x4.max propagates NaN; the scalar tail and the lane fold do too.
  mv = f32x4.max(mv, v128.shuffle<u32>(mv, mv, 2, 3, 0, 1));
  mv = f32x4.max(mv, v128.shuffle<u32>(mv, mv, 1, 0, 3, 2));
  let ms = f32x4.extract_lane(mv, 0);
  for (; i < n; i++) {
    const v = load<f32>(x + <usize>i * 4);
    ms = v > ms || v != v ? v : ms;
  }
  if (!isFinite<f32>(ms)) {
    lineScalar(x, out, n, 1, log);
    return;
  }
  const m = f32x4.splat(ms);
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = expShifted(f32x4.sub(v128.load(x + <usize>i * 4), m));
    if (!log) v128.store(out + <usize>i * 4, e);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<u32>(e, e, 2, 3, 0, 1)));
  }
  const s = f64x2.add(s0, s1);
  let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) {
    const e = Mathf.exp(load<f32>(x + <usize>i * 4) - ms);
    if (!log) store<f32>(out + <usize>i * 4, e);
    sum += <f64>e;
  }
  i = 0;
  if (log) {
    const ls = <f32>Math.log(sum);
    const lv = f32x4.splat(ls);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i * 4;
      v128.store(out + o, f32x4.sub(f32x4.sub(v128.load(x + o), m), lv));
    }
    for (; i < n; i++) {
      const o = <usize>i * 4;
      store<f32>(out + o, (load<f32>(x + o) - ms) - ls);
    }
  } else {
    const sf = <f32>sum;
    const sv = f32x4.splat(sf);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i * 4;
      v128.store(out + o, f32x4.div(v128.load(out + o), sv));
    }
    for (; i < n; i++) {
      const o = <usize>i * 4;
      store<f32>(out + o, load<f32>(out + o) / sf);
    }
  }
}

/** Four adjacent lines (columns j..j+3 of an [n, inner] block), one lane each. */
function columnsSimd(x: usize, out: usize, n: i32, inner: i32, log: bool): void {
  const step = <usize>inner * 4;
  let m = f32x4.splat(-Infinity);
  for (let r = 0; r < n; r++) m = f32x4.max(m, v128.load(x + <usize>r * step));
  const finite = f32x4.lt(f32x4.abs(m), f32x4.splat(Infinity)); // false for NaN too
  if (!i32x4.all_true(finite)) {
    for (let j = 0; j < 4; j++) lineScalar(x + <usize>j * 4, out + <usize>j * 4, n, inner, log);
    return;
  }
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  for (let r = 0; r < n; r++) {
    const o = <usize>r * step;
    const e = expShifted(f32x4.sub(v128.load(x + o), m));
    if (!log) v128.store(out + o, e);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<u32>(e, e, 2, 3, 0, 1)));
  }
  const sum = f32x4.demote_f64x2_zero(s0);
  const sv = v128.shuffle<u32>(sum, f32x4.demote_f64x2_zero(s1), 0, 1, 4, 5);
  if (log) {
    const lv = f32x4(
      <f32>Math.log(f64x2.extract_lane(s0, 0)),
      <f32>Math.log(f64x2.extract_lane(s0, 1)),
      <f32>Math.log(f64x2.extract_lane(s1, 0)),
      <f32>Math.log(f64x2.extract_lane(s1, 1)),
    );
    for (let r = 0; r < n; r++) {
      const o = <usize>r * step;
      v128.store(out + o, f32x4.sub(f32x4.sub(v128.load(x + o), m), lv));
    }
  } else {
    for (let r = 0; r < n; r++) {
      const o = <usize>r * step;
      v128.store(out + o, f32x4.div(v128.load(out + o), sv));
    }
  }
}

export function softmax(x: usize, out: usize, outer: i32, n: i32, inner: i32, log: bool): void {
  if (n == 0) return;
  for (let o = 0; o < outer; o++) {
    const base = <usize>(o * n * inner) * 4;
    if (inner == 1) {
      lineSimd(x + base, out + base, n, log);
      continue;
    }
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      columnsSimd(x + base + <usize>j * 4, out + base + <usize>j * 4, n, inner, log);
    }
    for (; j < inner; j++) {
      lineScalar(x + base + <usize>j * 4, out + base + <usize>j * 4, n, inner, log);
    }
  }
}
