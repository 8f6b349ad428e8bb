// Convolutions with a single output channel (a decoder's last layer, say), computed directly
// from the windows, four input channels at a time: as a product, each window value would be
// used once (N = 1), so copying the windows into packed panels (conv.ts) costs as much as the
// arithmetic. Same geometry block and ranges as conv.ts.

@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline
function field(meta: usize, i: i32): i32 {
  return load<i32>(meta + <usize>i * 4);
}

@inline
function hsum(v: v128): f32 {
  const s = f32x4.add(v, v128.shuffle<u32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.add(s, v128.shuffle<u32>(s, s, 1, 0, 3, 2)), 0);
}

// The kind of pass a window loop runs.
const FORWARD: i32 = 0; // y[m] = Σ window · f
const FILTER: i32 = 1; // dF[tap] += window · dy[m]
const INPUT: i32 = 2; // dx window += f[tap] · dy[m]

/**
 * One pass over output positions [mFrom, mTo) of a convolution with one output channel:
 * `kind` says which (y, f) roles `a`, `b` and `out` play: FORWARD (x, f, y), FILTER (x, dy,
 * dF, dF zeroed first), INPUT (dy, f, dx: the caller zeroes dx's images).
 */
// prettier-ignore
function single(kind: i32, meta: usize, a: usize, b: usize, out: usize, mFrom: i32, mTo: i32): void {
  const inH = field(meta, 1), inW = field(meta, 2), cin = field(meta, 3);
  const outH = field(meta, 4), outW = field(meta, 5);
  const fh = field(meta, 7), fw = field(meta, 8), sh = field(meta, 9), sw = field(meta, 10);
  const dh = field(meta, 11), dw = field(meta, 12), padTop = field(meta, 13), padLeft = field(meta, 14);
  if (kind == FILTER) memory.fill(out, 0, <usize>(fh * fw * cin) * 4);
  const imageBytes = <usize>(inH * inW * cin) * 4;
  // The window's values: x (FORWARD, FILTER) or dx (INPUT); the per-tap weights: f or dF.
  const pixels = kind == INPUT ? out : a;
  const taps = kind == FILTER ? out : b;
  let ox = mFrom % outW;
  const t = mFrom / outW;
  let oy = t % outH;
  let image = pixels + <usize>(t / outH) * imageBytes;
  for (let m = mFrom; m < mTo; m++) {
    const g: f32 = kind == FORWARD ? 0 : load<f32>((kind == FILTER ? b : a) + <usize>m * 4);
    const gv = f32x4.splat(g);
    let acc = f32x4.splat(0);
    let rest: f32 = 0;
    const iy0 = oy * sh - padTop;
    const ix0 = ox * sw - padLeft;
    for (let ky = 0; ky < fh; ky++) {
      const iy = iy0 + ky * dh;
      if (<u32>iy >= <u32>inH) continue;
      for (let kx = 0; kx < fw; kx++) {
        const ix = ix0 + kx * dw;
        if (<u32>ix >= <u32>inW) continue;
        const p = image + <usize>((iy * inW + ix) * cin) * 4;
        const w = taps + <usize>((ky * fw + kx) * cin) * 4;
        let c = 0;
        if (kind == FORWARD) {
          for (; c + 4 <= cin; c += 4) acc = madd(v128.load(p + <usize>c * 4), v128.load(w + <usize>c * 4), acc);
          for (; c < cin; c++) rest += load<f32>(p + <usize>c * 4) * load<f32>(w + <usize>c * 4);
        } else {
          // FILTER adds the window into dF, INPUT adds f into the window, both times dy[m].
          const src = kind == FILTER ? p : w;
          const dst = kind == FILTER ? w : p;
          for (; c + 4 <= cin; c += 4) {
            const o = <usize>c * 4;
            v128.store(dst + o, madd(v128.load(src + o), gv, v128.load(dst + o)));
          }
          for (; c < cin; c++) {
            const o = <usize>c * 4;
            store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o) * g);
          }
        }
      }
    }
    if (kind == FORWARD) store<f32>(out + <usize>m * 4, hsum(acc) + rest);
    if (++ox == outW) {
      ox = 0;
      if (++oy == outH) {
        oy = 0;
        image += imageBytes;
      }
    }
  }
}

/** y[m] for output positions [mFrom, mTo) of a convolution with one output channel. */
export function forwardSingle(meta: usize, x: usize, f: usize, y: usize, mFrom: i32, mTo: i32): void {
  single(FORWARD, meta, x, f, y, mFrom, mTo);
}

/** dF (written, not added) from output positions [mFrom, mTo), one output channel. */
export function filterSingle(meta: usize, x: usize, dy: usize, out: usize, mFrom: i32, mTo: i32): void {
  single(FILTER, meta, x, dy, out, mFrom, mTo);
}

/** Adds into dx (zeroed by the caller) the input gradient of positions [mFrom, mTo), one output channel. */
export function inputSingle(meta: usize, dy: usize, f: usize, dx: usize, mFrom: i32, mTo: i32): void {
  single(INPUT, meta, dy, f, dx, mFrom, mTo);
}
