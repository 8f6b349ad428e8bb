// Float32 reductions over one contiguous block of axes: x seen as [outer, n, inner] gives
// out[o·inner + j] = op over r < n of x[(o·n + r)·inner + j]. Op codes: 0 sum, 1 prod, 2 max,
// 3 min. Sums over a contiguous run (inner == 1) accumulate in float64.

@inline
function vred(op: i32, acc: v128, v: v128): v128 {
  switch (op) {
    case 0: return f32x4.add(acc, v);
    case 1: return f32x4.mul(acc, v);
    case 2: return f32x4.max(acc, v);
    default: return f32x4.min(acc, v);
  }
}

@inline
function sred(op: i32, acc: f32, v: f32): f32 {
  switch (op) {
    case 0: return acc + v;
    case 1: return acc * v;
    case 2: return v > acc || v != v ? v : acc;
    default: return v < acc || v != v ? v : acc;
  }
}

@inline
function identity(op: i32): f32 {
  return op == 0 ? 0 : op == 1 ? 1 : op == 2 ? -Infinity : Infinity;
}

function sumRow(x: usize, n: i32): f32 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)));
  }
  const s = f64x2.add(s0, s1);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) t += <f64>load<f32>(x + <usize>i * 4);
  return <f32>t;
}

export function reduce(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>(o * n * inner) * 4;
    const dst = out + <usize>(o * inner) * 4;
    if (inner == 1) {
      if (op == 0) {
        store<f32>(dst, sumRow(base, n));
      } else {
        let acc = identity(op);
        for (let r = 0; r < n; r++) acc = sred(op, acc, load<f32>(base + <usize>r * 4));
        store<f32>(dst, acc);
      }
      continue;
    }
    const id = identity(op);
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      let acc = f32x4.splat(id);
      for (let r = 0; r < n; r++) acc = vred(op, acc, v128.load(base + <usize>(r * inner + j) * 4));
      v128.store(dst + <usize>j * 4, acc);
    }
    for (; j < inner; j++) {
      let acc = id;
      for (let r = 0; r < n; r++) acc = sred(op, acc, load<f32>(base + <usize>(r * inner + j) * 4));
      store<f32>(dst + <usize>j * 4, acc);
    }
  }
}
