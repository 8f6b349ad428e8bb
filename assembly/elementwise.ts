// Elementwise float32 kernels: binary arithmetic in the two broadcast layouts that matter
// (a repeating row — same shape, scalar, bias — and a repeating column, as x - max(x, -1)),
// and unary functions. Op codes match src/backends/wasm/codes.ts.

@inline
function vbin(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case 0: return f32x4.add(a, b);
    case 1: return f32x4.sub(a, b);
    case 2: return f32x4.mul(a, b);
    case 3: return f32x4.div(a, b);
    case 4: return f32x4.max(a, b);
    default: return f32x4.min(a, b);
  }
}

@inline
function sbin(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return a != a || b != b ? NaN : (a >= b ? a : b);
    default: return a != a || b != b ? NaN : (a <= b ? a : b);
  }
}

/**
 * out[s + j] = op(full[s + j], part[j]) for s a multiple of m below n (op(part, full) when
 * partFirst). m == n is the same-shape case, m == 1 a scalar.
 */
export function binaryRow(op: i32, full: usize, part: usize, out: usize, n: i32, m: i32, partFirst: bool): void {
  if (m == 1) {
    const sv = load<f32>(part);
    const v = f32x4.splat(sv);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const x = v128.load(full + <usize>i * 4);
      v128.store(out + <usize>i * 4, partFirst ? vbin(op, v, x) : vbin(op, x, v));
    }
    for (; i < n; i++) {
      const x = load<f32>(full + <usize>i * 4);
      store<f32>(out + <usize>i * 4, partFirst ? sbin(op, sv, x) : sbin(op, x, sv));
    }
    return;
  }
  for (let s = 0; s < n; s += m) {
    const f = full + <usize>s * 4;
    const o = out + <usize>s * 4;
    let j = 0;
    for (; j + 4 <= m; j += 4) {
      const x = v128.load(f + <usize>j * 4);
      const y = v128.load(part + <usize>j * 4);
      v128.store(o + <usize>j * 4, partFirst ? vbin(op, y, x) : vbin(op, x, y));
    }
    for (; j < m; j++) {
      const x = load<f32>(f + <usize>j * 4);
      const y = load<f32>(part + <usize>j * 4);
      store<f32>(o + <usize>j * 4, partFirst ? sbin(op, y, x) : sbin(op, x, y));
    }
  }
}

/** out[r·inner + j] = op(full[r·inner + j], part[r]) for r < outer (op(part, full) when partFirst). */
export function binaryCol(op: i32, full: usize, part: usize, out: usize, outer: i32, inner: i32, partFirst: bool): void {
  for (let r = 0; r < outer; r++) {
    const off = <usize>(r * inner) * 4;
    binaryRow(op, full + off, part + <usize>r * 4, out + off, inner, 1, partFirst);
  }
}

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;

@inline
function sigmoid(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

@inline
function softplus(x: f32): f32 {
  return max(x, 0) + Mathf.log1p(Mathf.exp(-Mathf.abs(x)));
}

@inline
function sunary(op: i32, x: f32, p: f32): f32 {
  switch (op) {
    case 0: return -x;
    case 1: return Mathf.abs(x);
    case 2: return x * x;
    case 3: return Mathf.sqrt(x);
    case 4: return 1 / Mathf.sqrt(x);
    case 5: return 1 / x;
    case 6: return Mathf.exp(x);
    case 7: return Mathf.expm1(x);
    case 8: return Mathf.log(x);
    case 9: return Mathf.log1p(x);
    case 10: return Mathf.floor(x);
    case 11: return sigmoid(x);
    case 12: return -softplus(-x);
    case 13: return Mathf.tanh(x);
    case 14: return x != x ? x : (x > 0 ? x : 0);
    case 15: return x != x ? x : (x > 0 ? (x < 6 ? x : 6) : 0);
    case 16: return x > 0 ? x : p * x;
    case 17: return x > 0 ? x : p * Mathf.expm1(x);
    case 18: return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Mathf.expm1(x));
    case 19: return softplus(x);
    case 20: return isFinite<f32>(x) ? x / (1 + Mathf.abs(x)) : (x != x ? x : (x > 0 ? 1 : -1));
    case 21: return x * sigmoid(x);
    default: return x > 0 ? 1 : (x < 0 ? -1 : (x == 0 ? 0 : NaN));
  }
}

/**
 * exp(x) four lanes at a time for x in [-80, 80] (Cephes' expf: range reduction by ln 2 in
 * two parts, a degree-6 polynomial, the power of two built in the exponent bits; within 2
 * ulp). Callers send lanes outside that range (and NaN) to the scalar Mathf.exp.
 */
@inline
export function vexp(x: v128): v128 {
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), f32x4.splat(1));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2);
}

/** sigmoid four lanes at a time: e = exp(−|x|), then 1/(1 + e) for x ≥ 0, e/(1 + e) below. */
function sigmoidSimd(x: usize, out: usize, n: i32): i32 {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const limit = f32x4.splat(80);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    const a = f32x4.abs(v);
    // NaN compares false: such a block (or one with |x| > 80) takes the scalar path.
    if (!i32x4.all_true(f32x4.le(a, limit))) {
      for (let j = 0; j < 4; j++) {
        const o = <usize>(i + j) * 4;
        store<f32>(out + o, sigmoid(load<f32>(x + o)));
      }
      continue;
    }
    const e = vexp(f32x4.neg(a));
    const d = f32x4.add(one, e);
    const r = v128.bitselect(f32x4.div(one, d), f32x4.div(e, d), f32x4.ge(v, zero));
    v128.store(out + <usize>i * 4, r);
  }
  return i;
}

/** out[i] = f(x[i]) for i < n; the cheap functions four lanes at a time. */
export function unary(op: i32, x: usize, out: usize, n: i32, p: f32): void {
  let i = 0;
  if (op == 11) i = sigmoidSimd(x, out, n);
  if (op <= 5 || op == 14 || op == 16) {
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    const pv = f32x4.splat(p);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + <usize>i * 4);
      let r: v128;
      switch (op) {
        case 0: r = f32x4.neg(v); break;
        case 1: r = f32x4.abs(v); break;
        case 2: r = f32x4.mul(v, v); break;
        case 3: r = f32x4.sqrt(v); break;
        case 4: r = f32x4.div(one, f32x4.sqrt(v)); break;
        case 5: r = f32x4.div(one, v); break;
        // relu: keep x where x > 0 or x is NaN (x != x), else 0.
        case 14: r = v128.bitselect(v, zero, v128.or(f32x4.gt(v, zero), f32x4.ne(v, v))); break;
        default: r = v128.bitselect(v, f32x4.mul(v, pv), f32x4.gt(v, zero)); break;
      }
      v128.store(out + <usize>i * 4, r);
    }
  }
  for (; i < n; i++) store<f32>(out + <usize>i * 4, sunary(op, load<f32>(x + <usize>i * 4), p));
}
