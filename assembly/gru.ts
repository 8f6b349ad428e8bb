// The fused GRU gates of one time step (float32, the resetAfter form), four units at a time.
// x (the input projection) and inner (the recurrent product plus its bias) are
// [batch, 3·units] (gate order z, r, h), h and h' [batch, units]:
//   z = σ(x_z + inner_z), r = σ(x_r + inner_r), ĥ = tanh(x_h + r·inner_h), h' = z·h + (1 − z)·ĥ
// and its gradient from the saved gates (see the reference, src/backends/cpu/gru.ts). σ and
// tanh are the SIMD forms of lstm.ts; a block with a lane beyond ±40 (or NaN) takes the
// scalar Mathf path.
import { inRange, ssigmoid, vsigmoid, vtanh } from './lstm';

export function gruGates(
  x: usize, inner: usize, h: usize, gates: usize, hNext: usize, batch: i32, units: i32,
): void {
  const gateBytes = <usize>units * 4;
  const one = f32x4.splat(1);
  for (let b = 0; b < batch; b++) {
    const xr = x + <usize>b * 3 * gateBytes;
    const ir = inner + <usize>b * 3 * gateBytes;
    const gr = gates + <usize>b * 3 * gateBytes;
    const sr = <usize>b * gateBytes;
    let u = 0;
    for (; u + 4 <= units; u += 4) {
      const o4 = <usize>u * 4;
      const az = f32x4.add(v128.load(xr + o4), v128.load(ir + o4));
      const ar = f32x4.add(v128.load(xr + gateBytes + o4), v128.load(ir + gateBytes + o4));
      if (!(inRange(az) && inRange(ar))) break;
      const z = vsigmoid(az);
      const r = vsigmoid(ar);
      const a = f32x4.add(
        v128.load(xr + 2 * gateBytes + o4),
        f32x4.mul(r, v128.load(ir + 2 * gateBytes + o4)),
      );
      if (!inRange(a)) break;
      const c = vtanh(a);
      v128.store(gr + o4, z);
      v128.store(gr + gateBytes + o4, r);
      v128.store(gr + 2 * gateBytes + o4, c);
      const hv = v128.load(h + sr + o4);
      v128.store(hNext + sr + o4, f32x4.add(f32x4.mul(z, hv), f32x4.mul(f32x4.sub(one, z), c)));
    }
    // The tail, and every unit from a block with an out-of-range lane on: scalar.
    for (; u < units; u++) {
      const o4 = <usize>u * 4;
      const z = ssigmoid(load<f32>(xr + o4) + load<f32>(ir + o4));
      const r = ssigmoid(load<f32>(xr + gateBytes + o4) + load<f32>(ir + gateBytes + o4));
      const c = Mathf.tanh(
        load<f32>(xr + 2 * gateBytes + o4) + r * load<f32>(ir + 2 * gateBytes + o4),
      );
      store<f32>(gr + o4, z);
      store<f32>(gr + gateBytes + o4, r);
      store<f32>(gr + 2 * gateBytes + o4, c);
      store<f32>(hNext + sr + o4, z * load<f32>(h + sr + o4) + (1 - z) * c);
    }
  }
}

export function gruGatesGrad(
  gates: usize, inner: usize, h: usize, dhNext: usize, dx: usize, dInner: usize, dh: usize,
  batch: i32, units: i32,
): void {
  const gateBytes = <usize>units * 4;
  const one = f32x4.splat(1);
  for (let b = 0; b < batch; b++) {
    const gr = gates + <usize>b * 3 * gateBytes;
    const ir = inner + <usize>b * 3 * gateBytes;
    const xr = dx + <usize>b * 3 * gateBytes;
    const nr = dInner + <usize>b * 3 * gateBytes;
    const sr = <usize>b * gateBytes;
    let u = 0;
    for (; u + 4 <= units; u += 4) {
      const o4 = <usize>u * 4;
      const z = v128.load(gr + o4);
      const r = v128.load(gr + gateBytes + o4);
      const c = v128.load(gr + 2 * gateBytes + o4);
      const g = v128.load(dhNext + sr + o4);
      const hv = v128.load(h + sr + o4);
      const dzPre = f32x4.mul(
        f32x4.mul(g, f32x4.sub(hv, c)),
        f32x4.mul(z, f32x4.sub(one, z)),
      );
      const da = f32x4.mul(f32x4.mul(g, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(c, c)));
      const drPre = f32x4.mul(
        f32x4.mul(da, v128.load(ir + 2 * gateBytes + o4)),
        f32x4.mul(r, f32x4.sub(one, r)),
      );
      v128.store(xr + o4, dzPre);
      v128.store(xr + gateBytes + o4, drPre);
      v128.store(xr + 2 * gateBytes + o4, da);
      v128.store(nr + o4, dzPre);
      v128.store(nr + gateBytes + o4, drPre);
      v128.store(nr + 2 * gateBytes + o4, f32x4.mul(da, r));
      v128.store(dh + sr + o4, f32x4.mul(g, z));
    }
    for (; u < units; u++) {
      const o4 = <usize>u * 4;
      const z = load<f32>(gr + o4);
      const r = load<f32>(gr + gateBytes + o4);
      const c = load<f32>(gr + 2 * gateBytes + o4);
      const g = load<f32>(dhNext + sr + o4);
      const dzPre = g * (load<f32>(h + sr + o4) - c) * z * (1 - z);
      const da = g * (1 - z) * (1 - c * c);
      const drPre = da * load<f32>(ir + 2 * gateBytes + o4) * r * (1 - r);
      store<f32>(xr + o4, dzPre);
      store<f32>(xr + gateBytes + o4, drPre);
      store<f32>(xr + 2 * gateBytes + o4, da);
      store<f32>(nr + o4, dzPre);
      store<f32>(nr + gateBytes + o4, drPre);
      store<f32>(nr + 2 * gateBytes + o4, da * r);
      store<f32>(dh + sr + o4, g * z);
    }
  }
}
