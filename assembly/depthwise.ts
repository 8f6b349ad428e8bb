// Depthwise 2-D convolution of channels-last float32 tensors and its two gradients, computed
// directly from the windows: input channel c has `mult` filters, output channel c·mult + q.
// The filter [fh, fw, cin, mult] read flat per tap is indexed like an output row, so with one
// filter per channel (mult = 1, the usual case) every loop runs four channels at a time; with
// more, one input value is broadcast to its `mult` outputs. Same geometry block as conv.ts.

@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline
function field(meta: usize, i: i32): i32 {
  return load<i32>(meta + <usize>i * 4);
}

// The pass a window loop runs.
const FORWARD: i32 = 0; // y row += x pixel ⊙ f[tap]
const INPUT: i32 = 1; // dx pixel += Σ_q dy row ⊙ f[tap]
const FILTER: i32 = 2; // dF[tap] += x pixel ⊙ dy row

/**
 * One pass over output positions [mFrom, mTo): FORWARD (a = x, b = f, out = y), INPUT
 * (a = dy, b = f, out = dx, whose images the caller zeroes), FILTER (a = x, b = dy,
 * out = dF, zeroed here).
 */
// prettier-ignore
function depthwise(kind: i32, meta: usize, a: usize, b: usize, out: usize, mFrom: i32, mTo: i32): void {
  const inH = field(meta, 1), inW = field(meta, 2), cin = field(meta, 3);
  const outH = field(meta, 4), outW = field(meta, 5), cout = field(meta, 6);
  const fh = field(meta, 7), fw = field(meta, 8), sh = field(meta, 9), sw = field(meta, 10);
  const dh = field(meta, 11), dw = field(meta, 12), padTop = field(meta, 13), padLeft = field(meta, 14);
  const mult = cout / cin;
  if (kind == FILTER) memory.fill(out, 0, <usize>(fh * fw * cout) * 4);
  const imageBytes = <usize>(inH * inW * cin) * 4;
  // The pixels of the windows (x, or dx for INPUT), the output-shaped rows (y, dy), the taps.
  const pixels = kind == INPUT ? out : a;
  const rows = kind == FORWARD ? out : kind == INPUT ? a : b;
  const taps = kind == FILTER ? out : b;
  let ox = mFrom % outW;
  const t = mFrom / outW;
  let oy = t % outH;
  let image = pixels + <usize>(t / outH) * imageBytes;
  for (let m = mFrom; m < mTo; m++) {
    const row = rows + <usize>m * <usize>cout * 4;
    if (kind == FORWARD) memory.fill(row, 0, <usize>cout * 4);
    const iy0 = oy * sh - padTop;
    const ix0 = ox * sw - padLeft;
    for (let ky = 0; ky < fh; ky++) {
      const iy = iy0 + ky * dh;
      if (<u32>iy >= <u32>inH) continue;
      for (let kx = 0; kx < fw; kx++) {
        const ix = ix0 + kx * dw;
        if (<u32>ix >= <u32>inW) continue;
        const p = image + <usize>((iy * inW + ix) * cin) * 4;
        const w = taps + <usize>((ky * fw + kx) * cout) * 4;
        if (mult == 1) {
          // x pixel, output row and tap all have cin = cout channels.
          const dst = kind == FORWARD ? row : kind == INPUT ? p : w;
          const u = kind == FILTER ? p : kind == INPUT ? row : p;
          const v = kind == FILTER ? row : w;
          let c = 0;
          for (; c + 4 <= cin; c += 4) {
            const o = <usize>c * 4;
            v128.store(dst + o, madd(v128.load(u + o), v128.load(v + o), v128.load(dst + o)));
          }
          for (; c < cin; c++) {
            const o = <usize>c * 4;
            store<f32>(dst + o, load<f32>(dst + o) + load<f32>(u + o) * load<f32>(v + o));
          }
        } else {
          for (let c = 0; c < cin; c++) {
            const pc = p + <usize>c * 4;
            const xv = load<f32>(pc);
            let s: f32 = 0;
            for (let q = 0; q < mult; q++) {
              const o = <usize>(c * mult + q) * 4;
              if (kind == FORWARD) store<f32>(row + o, load<f32>(row + o) + xv * load<f32>(w + o));
              else if (kind == FILTER) store<f32>(w + o, load<f32>(w + o) + xv * load<f32>(row + o));
              else s += load<f32>(row + o) * load<f32>(w + o);
            }
            if (kind == INPUT) store<f32>(pc, xv + s);
          }
        }
      }
    }
    if (++ox == outW) {
      ox = 0;
      if (++oy == outH) {
        oy = 0;
        image += imageBytes;
      }
    }
  }
}

/** y rows [mFrom, mTo) (output positions) of a depthwise convolution. */
export function depthwiseForward(meta: usize, x: usize, f: usize, y: usize, mFrom: i32, mTo: i32): void {
  depthwise(FORWARD, meta, x, f, y, mFrom, mTo);
}

/** dx for images [bFrom, bTo) (overwritten) of a depthwise convolution. */
export function depthwiseInput(meta: usize, dy: usize, f: usize, dx: usize, bFrom: i32, bTo: i32): void {
  const imageBytes = <usize>(field(meta, 1) * field(meta, 2) * field(meta, 3)) * 4;
  memory.fill(dx + <usize>bFrom * imageBytes, 0, <usize>(bTo - bFrom) * imageBytes);
  const positions = field(meta, 4) * field(meta, 5);
  depthwise(INPUT, meta, dy, f, dx, bFrom * positions, bTo * positions);
}

/** dF (written, not added) from output positions [mFrom, mTo) of a depthwise convolution. */
export function depthwiseFilter(meta: usize, x: usize, dy: usize, out: usize, mFrom: i32, mTo: i32): void {
  depthwise(FILTER, meta, x, dy, out, mFrom, mTo);
}
