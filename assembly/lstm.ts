// The fused LSTM gates of one time step (float32), four units at a time. z is [batch, 4·units]
// (gate order i, f, c, o), c and the outputs [batch, units]:
//   i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o);  c' = f·c + i·g;  h = o·tanh(c')
// and its gradient from the saved gates (see the reference, src/backends/cpu/lstm.ts). σ and
// tanh go through the SIMD exp of elementwise.ts (tanh(x) = sign(x)·(1 − e)/(1 + e),
// e = exp(−2|x|)); a block with a lane beyond ±40 (or NaN) takes the scalar Mathf path.
import { vexp } from './elementwise';

@inline
export function ssigmoid(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

@inline
export function vsigmoid(v: v128): v128 {
  const one = f32x4.splat(1);
  const e = vexp(f32x4.neg(f32x4.abs(v)));
  const d = f32x4.add(one, e);
  return v128.bitselect(f32x4.div(one, d), f32x4.div(e, d), f32x4.ge(v, f32x4.splat(0)));
}

@inline
export function vtanh(v: v128): v128 {
  const one = f32x4.splat(1);
  const e = vexp(f32x4.mul(f32x4.splat(-2), f32x4.abs(v)));
  const t = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  // copy v's sign onto t (t ≥ 0)
  const sign = v128.and(v, i32x4.splat(0x80000000));
  return v128.or(t, sign);
}

@inline
export function inRange(v: v128): bool {
  return i32x4.all_true(f32x4.le(f32x4.abs(v), f32x4.splat(40)));
}

export function lstmGates(
  z: usize, c: usize, gates: usize, cNext: usize, h: usize, batch: i32, units: i32,
): void {
  const gateBytes = <usize>units * 4;
  for (let b = 0; b < batch; b++) {
    const zr = z + <usize>b * 4 * gateBytes;
    const gr = gates + <usize>b * 4 * gateBytes;
    const sr = <usize>b * gateBytes;
    let u = 0;
    for (; u + 4 <= units; u += 4) {
      const o4 = <usize>u * 4;
      const zi = v128.load(zr + o4);
      const zf = v128.load(zr + gateBytes + o4);
      const zc = v128.load(zr + 2 * gateBytes + o4);
      const zo = v128.load(zr + 3 * gateBytes + o4);
      if (!(inRange(zi) && inRange(zf) && inRange(zc) && inRange(zo))) break;
      const i = vsigmoid(zi);
      const f = vsigmoid(zf);
      const g = vtanh(zc);
      const o = vsigmoid(zo);
      const next = f32x4.add(f32x4.mul(f, v128.load(c + sr + o4)), f32x4.mul(i, g));
      let t = f32x4.splat(0);
      if (inRange(next)) t = vtanh(next);
      else {
        t = f32x4(
          Mathf.tanh(f32x4.extract_lane(next, 0)),
          Mathf.tanh(f32x4.extract_lane(next, 1)),
          Mathf.tanh(f32x4.extract_lane(next, 2)),
          Mathf.tanh(f32x4.extract_lane(next, 3)),
        );
      }
      v128.store(gr + o4, i);
      v128.store(gr + gateBytes + o4, f);
      v128.store(gr + 2 * gateBytes + o4, g);
      v128.store(gr + 3 * gateBytes + o4, o);
      v128.store(cNext + sr + o4, next);
      v128.store(h + sr + o4, f32x4.mul(o, t));
    }
    // The tail, and every unit from a block with an out-of-range lane on: scalar.
    for (; u < units; u++) {
      const o4 = <usize>u * 4;
      const i = ssigmoid(load<f32>(zr + o4));
      const f = ssigmoid(load<f32>(zr + gateBytes + o4));
      const g = Mathf.tanh(load<f32>(zr + 2 * gateBytes + o4));
      const o = ssigmoid(load<f32>(zr + 3 * gateBytes + o4));
      const next = f * load<f32>(c + sr + o4) + i * g;
      store<f32>(gr + o4, i);
      store<f32>(gr + gateBytes + o4, f);
      store<f32>(gr + 2 * gateBytes + o4, g);
      store<f32>(gr + 3 * gateBytes + o4, o);
      store<f32>(cNext + sr + o4, next);
      store<f32>(h + sr + o4, o * Mathf.tanh(next));
    }
  }
}

export function lstmGatesGrad(
  gates: usize, c: usize, cNext: usize, dh: usize, dcNext: usize, dz: usize, dc: usize,
  batch: i32, units: i32,
): void {
  const gateBytes = <usize>units * 4;
  const one = f32x4.splat(1);
  for (let b = 0; b < batch; b++) {
    const gr = gates + <usize>b * 4 * gateBytes;
    const dr = dz + <usize>b * 4 * gateBytes;
    const sr = <usize>b * gateBytes;
    let u = 0;
    for (; u + 4 <= units; u += 4) {
      const o4 = <usize>u * 4;
      const next = v128.load(cNext + sr + o4);
      if (!inRange(next)) break;
      const i = v128.load(gr + o4);
      const f = v128.load(gr + gateBytes + o4);
      const g = v128.load(gr + 2 * gateBytes + o4);
      const o = v128.load(gr + 3 * gateBytes + o4);
      const t = vtanh(next);
      const dhv = v128.load(dh + sr + o4);
      const total = f32x4.add(
        v128.load(dcNext + sr + o4),
        f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(t, t))),
      );
      v128.store(dr + o4, f32x4.mul(f32x4.mul(total, g), f32x4.mul(i, f32x4.sub(one, i))));
      const cv = v128.load(c + sr + o4);
      v128.store(
        dr + gateBytes + o4,
        f32x4.mul(f32x4.mul(total, cv), f32x4.mul(f, f32x4.sub(one, f))),
      );
      v128.store(dr + 2 * gateBytes + o4, f32x4.mul(f32x4.mul(total, i), f32x4.sub(one, f32x4.mul(g, g))));
      v128.store(dr + 3 * gateBytes + o4, f32x4.mul(f32x4.mul(dhv, t), f32x4.mul(o, f32x4.sub(one, o))));
      v128.store(dc + sr + o4, f32x4.mul(total, f));
    }
    for (; u < units; u++) {
      const o4 = <usize>u * 4;
      const i = load<f32>(gr + o4);
      const f = load<f32>(gr + gateBytes + o4);
      const g = load<f32>(gr + 2 * gateBytes + o4);
      const o = load<f32>(gr + 3 * gateBytes + o4);
      const t = Mathf.tanh(load<f32>(cNext + sr + o4));
      const dhs = load<f32>(dh + sr + o4);
      const total = load<f32>(dcNext + sr + o4) + dhs * o * (1 - t * t);
      store<f32>(dr + o4, total * g * i * (1 - i));
      store<f32>(dr + gateBytes + o4, total * load<f32>(c + sr + o4) * f * (1 - f));
      store<f32>(dr + 2 * gateBytes + o4, total * i * (1 - g * g));
      store<f32>(dr + 3 * gateBytes + o4, dhs * t * o * (1 - o));
      store<f32>(dc + sr + o4, total * f);
    }
  }
}
