// Max and average pooling of channels-last float32 tensors and their gradients, four channels
// at a time. The geometry is a block of 15 int32 (Conv2DInfo's fields in order, as conv.ts);
// each call covers the images [bFrom, bTo), so threads that split the batch never write the
// same element. Padding positions are skipped: an average divides by the in-bounds count
// (TensorFlow), a maximum ignores them, and a window with no in-bounds position gives 0.
// A NaN in a window is its maximum (f32x4.max propagates NaN, as TensorFlow's max pool).

const MAX: i32 = 0;

@inline
function field(meta: usize, i: i32): i32 {
  return load<i32>(meta + <usize>i * 4);
}

/** y for images [bFrom, bTo): op 0 max, 1 average. */
export function pool2d(meta: usize, op: i32, x: usize, y: usize, bFrom: i32, bTo: i32): void {
  const inH = field(meta, 1), inW = field(meta, 2), c = field(meta, 3);
  const outH = field(meta, 4), outW = field(meta, 5);
  const fh = field(meta, 7), fw = field(meta, 8), sh = field(meta, 9), sw = field(meta, 10);
  const dh = field(meta, 11), dw = field(meta, 12), padTop = field(meta, 13), padLeft = field(meta, 14);
  const start = op == MAX ? f32x4.splat(-Infinity) : f32x4.splat(0);
  let out = y + <usize>(bFrom * outH * outW * c) * 4;
  for (let b = bFrom; b < bTo; b++) {
    const image = x + <usize>(b * inH * inW * c) * 4;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sh - padTop;
      for (let ox = 0; ox < outW; ox++, out += <usize>c * 4) {
        const ix0 = ox * sw - padLeft;
        let count = 0;
        for (let ky = 0; ky < fh; ky++) {
          if (<u32>(iy0 + ky * dh) >= <u32>inH) continue;
          for (let kx = 0; kx < fw; kx++) if (<u32>(ix0 + kx * dw) < <u32>inW) count++;
        }
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          let acc = start;
          for (let ky = 0; ky < fh; ky++) {
            const iy = iy0 + ky * dh;
            if (<u32>iy >= <u32>inH) continue;
            for (let kx = 0; kx < fw; kx++) {
              const ix = ix0 + kx * dw;
              if (<u32>ix >= <u32>inW) continue;
              const v = v128.load(image + <usize>((iy * inW + ix) * c + ch) * 4);
              acc = op == MAX ? f32x4.max(acc, v) : f32x4.add(acc, v);
            }
          }
          if (count == 0) acc = f32x4.splat(0);
          else if (op != MAX) acc = f32x4.div(acc, f32x4.splat(<f32>count));
          v128.store(out + <usize>ch * 4, acc);
        }
        for (; ch < c; ch++) {
          let acc: f32 = op == MAX ? -Infinity : 0;
          for (let ky = 0; ky < fh; ky++) {
            const iy = iy0 + ky * dh;
            if (<u32>iy >= <u32>inH) continue;
            for (let kx = 0; kx < fw; kx++) {
              const ix = ix0 + kx * dw;
              if (<u32>ix >= <u32>inW) continue;
              const v = load<f32>(image + <usize>((iy * inW + ix) * c + ch) * 4);
              acc = op == MAX ? max<f32>(acc, v) : acc + v;
            }
          }
          if (count == 0) acc = 0;
          else if (op != MAX) acc /= <f32>count;
          store<f32>(out + <usize>ch * 4, acc);
        }
      }
    }
  }
}

/**
 * dx for images [bFrom, bTo) (overwritten), from x and dy: each dy to its window's first
 * maximum (row-major; a NaN is the maximum) for op 0, shared equally by its window for op 1.
 */
export function pool2dGrad(
  meta: usize, op: i32, x: usize, dy: usize, dx: usize, bFrom: i32, bTo: i32,
): void {
  const inH = field(meta, 1), inW = field(meta, 2), c = field(meta, 3);
  const outH = field(meta, 4), outW = field(meta, 5);
  const fh = field(meta, 7), fw = field(meta, 8), sh = field(meta, 9), sw = field(meta, 10);
  const dh = field(meta, 11), dw = field(meta, 12), padTop = field(meta, 13), padLeft = field(meta, 14);
  const imageBytes = <usize>(inH * inW * c) * 4;
  memory.fill(dx + <usize>bFrom * imageBytes, 0, <usize>(bTo - bFrom) * imageBytes);
  let g = dy + <usize>(bFrom * outH * outW * c) * 4;
  for (let b = bFrom; b < bTo; b++) {
    const image = x + <usize>b * imageBytes;
    const dImage = dx + <usize>b * imageBytes;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sh - padTop;
      for (let ox = 0; ox < outW; ox++, g += <usize>c * 4) {
        const ix0 = ox * sw - padLeft;
        // The in-bounds taps: their count, and the byte offset of the first one's pixel.
        let count = 0;
        let first = -1;
        for (let ky = 0; ky < fh; ky++) {
          const iy = iy0 + ky * dh;
          if (<u32>iy >= <u32>inH) continue;
          for (let kx = 0; kx < fw; kx++) {
            const ix = ix0 + kx * dw;
            if (<u32>ix >= <u32>inW) continue;
            if (first < 0) first = (iy * inW + ix) * c * 4;
            count++;
          }
        }
        if (count == 0) continue;
        if (op != MAX) {
          for (let ky = 0; ky < fh; ky++) {
            const iy = iy0 + ky * dh;
            if (<u32>iy >= <u32>inH) continue;
            for (let kx = 0; kx < fw; kx++) {
              const ix = ix0 + kx * dw;
              if (<u32>ix >= <u32>inW) continue;
              const dst = dImage + <usize>((iy * inW + ix) * c) * 4;
              let ch = 0;
              for (; ch + 4 <= c; ch += 4) {
                const o = <usize>ch * 4;
                const v = f32x4.div(v128.load(g + o), f32x4.splat(<f32>count));
                v128.store(dst + o, f32x4.add(v128.load(dst + o), v));
              }
              for (; ch < c; ch++) {
                const o = <usize>ch * 4;
                store<f32>(dst + o, load<f32>(dst + o) + load<f32>(g + o) / <f32>count);
              }
            }
          }
          continue;
        }
        let ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          const o = <usize>ch * 4;
          let best = v128.load(image + <usize>first + o);
          let at = i32x4.splat(first);
          for (let ky = 0; ky < fh; ky++) {
            const iy = iy0 + ky * dh;
            if (<u32>iy >= <u32>inH) continue;
            for (let kx = 0; kx < fw; kx++) {
              const ix = ix0 + kx * dw;
              if (<u32>ix >= <u32>inW) continue;
              const pixel = (iy * inW + ix) * c * 4;
              const v = v128.load(image + <usize>pixel + o);
              // Strictly larger, or the first NaN: later equal values keep the first.
              const nan = v128.and(f32x4.ne(v, v), f32x4.eq(best, best));
              const take = v128.or(f32x4.gt(v, best), nan);
              best = v128.bitselect(v, best, take);
              at = v128.bitselect(i32x4.splat(pixel), at, take);
            }
          }
          const d = dImage + o;
          const gv = v128.load(g + o);
          const a0 = d + <usize>i32x4.extract_lane(at, 0);
          store<f32>(a0, load<f32>(a0) + f32x4.extract_lane(gv, 0));
          const a1 = d + <usize>i32x4.extract_lane(at, 1) + 4;
          store<f32>(a1, load<f32>(a1) + f32x4.extract_lane(gv, 1));
          const a2 = d + <usize>i32x4.extract_lane(at, 2) + 8;
          store<f32>(a2, load<f32>(a2) + f32x4.extract_lane(gv, 2));
          const a3 = d + <usize>i32x4.extract_lane(at, 3) + 12;
          store<f32>(a3, load<f32>(a3) + f32x4.extract_lane(gv, 3));
        }
        for (; ch < c; ch++) {
          const o = <usize>ch * 4;
          let best = load<f32>(image + <usize>first + o);
          let at = first;
          for (let ky = 0; ky < fh; ky++) {
            const iy = iy0 + ky * dh;
            if (<u32>iy >= <u32>inH) continue;
            for (let kx = 0; kx < fw; kx++) {
              const ix = ix0 + kx * dw;
              if (<u32>ix >= <u32>inW) continue;
              const pixel = (iy * inW + ix) * c * 4;
              const v = load<f32>(image + <usize>pixel + o);
              if (v > best || (v != v && best == best)) {
                best = v;
                at = pixel;
              }
            }
          }
          const a = dImage + <usize>at + o;
          store<f32>(a, load<f32>(a) + load<f32>(g + o));
        }
      }
    }
  }
}
