import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Conv2DInfo, PoolOp, TensorInfo } from '../backend.js';
import { CpuBackend } from '../cpu/index.js';
import { windowInfo } from '../../ops/conv-geometry.js';
import type { DataId } from '../../tensor/store.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';
import { MIN_FLOPS } from './pool.js';
import { lcg, runUntilShared } from '../../../test/helpers.js';

// The wasm convolution and pooling kernels (assembly/conv.ts, pool.ts, ./conv.ts) against the
// cpu reference kernels (src/backends/cpu/conv.ts, themselves checked against TensorFlow.js and
// finite differences) on random inputs over many geometries. wasm sums in float32 in its own
// order: a convolution may differ from the reference by float32 rounding, bounded here by a
// small multiple of the sum of the absolute values of its terms (the reference kernel run on
// |x| and |f|). A maximum is exact; an average within a float32 rounding or two.

const shared = loadKernels(true, true);
const plain = loadKernels(false);
const skip = typeof shared === 'string' ? shared : typeof plain === 'string' ? plain : false;
const made: WasmBackend[] = [];
after(() => {
  for (const be of made) be.close();
});

/**
 * One backend of each thread count for the whole file (made on first use), each with the
 * collector on, as users have it (see ./collector.test.ts for the exit abort this once hit).
 */
function backends(): { one: WasmBackend; two: WasmBackend; simd: WasmBackend } {
  if (typeof shared === 'string' || typeof plain === 'string') throw new Error(String(skip));
  if (made.length === 0) {
    made.push(
      new WasmBackend(shared, { threads: 1 }),
      new WasmBackend(shared, { threads: 2 }),
      new WasmBackend(plain, { threads: 1 }),
    );
  }
  const [one, two, simd] = made as [WasmBackend, WasmBackend, WasmBackend];
  return { one, two, simd };
}

const cpu = new CpuBackend();
type AnyBackend = WasmBackend | CpuBackend;

interface Geometry {
  batch: number;
  size: [number, number];
  cin: number;
  cout: number;
  filter: [number, number];
  strides?: [number, number];
  dilations?: [number, number];
  padding: 'valid' | 'same';
}

function infoOf(g: Geometry): Conv2DInfo {
  const shape = [g.batch, g.size[0], g.size[1], g.cin];
  const options = {
    filter: g.filter,
    strides: g.strides ?? [1, 1],
    dilations: g.dilations ?? [1, 1],
    padding: g.padding,
    outChannels: g.cout,
  } as const;
  return windowInfo(shape, options, 'conv.test');
}

function tensor(be: AnyBackend, values: Float32Array, shape: number[]): TensorInfo {
  return { dataId: be.write(values, 'float32'), shape, dtype: 'float32' };
}

/** A copy of the values of `id`, which is then released (as are `inputs`). */
function read(be: AnyBackend, id: DataId, ...inputs: TensorInfo[]): Float32Array {
  const values = Float32Array.from(be.readSync(id) as Float32Array);
  for (const t of [id, ...inputs.map((i) => i.dataId)]) be.release(t);
  return values;
}

const abs = (v: Float32Array): Float32Array => v.map(Math.abs);

type Kernel = 'forward' | 'input' | 'filter' | 'depthwise' | 'depthwiseInput' | 'depthwiseFilter';

/** The two operands of a kernel (values and shapes) for geometry `info`. */
function operands(info: Conv2DInfo, kernel: Kernel, seed: number): [Float32Array, number[]][] {
  const xShape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
  const yShape = [info.batch, info.outHeight, info.outWidth, info.outChannels];
  const fShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  const dShape = [...fShape.slice(0, 3), info.outChannels / info.inChannels];
  const [a, b] = {
    forward: [xShape, fShape],
    input: [yShape, fShape],
    filter: [xShape, yShape],
    depthwise: [xShape, dShape],
    depthwiseInput: [yShape, dShape],
    depthwiseFilter: [xShape, yShape],
  }[kernel];
  const size = (s: number[]): number => s.reduce((p, d) => p * d, 1);
  return [
    [lcg(size(a!), seed), a!],
    [lcg(size(b!), seed + 1), b!],
  ];
}

function run(be: AnyBackend, kernel: Kernel, info: Conv2DInfo, ops: [Float32Array, number[]][]) {
  const [a, b] = ops.map(([v, s]) => tensor(be, v, s)) as [TensorInfo, TensorInfo];
  const id = {
    forward: () => be.conv2d(a, b, info),
    input: () => be.conv2dBackpropInput(a, b, info),
    filter: () => be.conv2dBackpropFilter(a, b, info),
    depthwise: () => be.depthwiseConv2d(a, b, info),
    depthwiseInput: () => be.depthwiseConv2dBackpropInput(a, b, info),
    depthwiseFilter: () => be.depthwiseConv2dBackpropFilter(a, b, info),
  }[kernel]();
  return read(be, id, a, b);
}

/** wasm's result against the reference, within float32 rounding of the sum of |terms|. */
function assertConv(
  got: Float32Array,
  kernel: Kernel,
  info: Conv2DInfo,
  ops: [Float32Array, number[]][],
  what: string,
): void {
  const want = run(cpu, kernel, info, ops);
  const bound = run(
    cpu,
    kernel,
    info,
    ops.map(([v, s]) => [abs(v), s]),
  );
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= 2e-6 * bound[i]! + 1e-7)) {
      assert.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]} (Σ|terms| ${bound[i]})`);
    }
  }
}

const GEOMETRIES: Geometry[] = [
  // Fewer than 16 output channels run transposed (positions along the micro-kernel's
  // columns): more than 512 positions, more than 512 taps, and a 1×1 window among them.
  { batch: 3, size: [15, 13], cin: 2, cout: 3, filter: [3, 3], padding: 'same' },
  { batch: 1, size: [5, 5], cin: 60, cout: 3, filter: [3, 3], padding: 'same' },
  { batch: 2, size: [5, 6], cin: 9, cout: 3, filter: [1, 1], padding: 'valid' },
  // One output channel runs directly from the windows (vector lanes and a scalar tail).
  { batch: 3, size: [7, 9], cin: 5, cout: 1, filter: [3, 3], dilations: [2, 2], padding: 'same' },
  { batch: 2, size: [5, 7], cin: 3, cout: 5, filter: [3, 3], padding: 'valid' },
  { batch: 3, size: [9, 11], cin: 5, cout: 7, filter: [3, 3], strides: [2, 2], padding: 'same' },
  { batch: 2, size: [10, 9], cin: 6, cout: 17, filter: [3, 3], dilations: [2, 2], padding: 'same' },
  { batch: 1, size: [13, 13], cin: 16, cout: 8, filter: [3, 3], padding: 'same' },
  { batch: 3, size: [6, 5], cin: 7, cout: 19, filter: [1, 1], padding: 'valid' },
  { batch: 2, size: [7, 7], cin: 4, cout: 6, filter: [1, 1], strides: [2, 2], padding: 'same' },
  { batch: 2, size: [8, 12], cin: 3, cout: 33, filter: [2, 5], strides: [1, 2], padding: 'same' },
  { batch: 2, size: [6, 6], cin: 40, cout: 20, filter: [3, 3], padding: 'same' },
  { batch: 4, size: [14, 14], cin: 1, cout: 16, filter: [3, 3], padding: 'same' },
  { batch: 2, size: [9, 8], cin: 2, cout: 1, filter: [4, 3], strides: [3, 2], padding: 'valid' },
  { batch: 1, size: [4, 4], cin: 3, cout: 2, filter: [4, 4], padding: 'valid' },
];

test('conv2d and both gradients on one thread match the cpu reference', { skip }, () => {
  const { one, simd } = backends();
  GEOMETRIES.forEach((g, gi) => {
    const info = infoOf(g);
    for (const kernel of ['forward', 'input', 'filter'] as const) {
      const ops = operands(info, kernel, 10 * gi);
      // The relaxed-SIMD build (fused multiply-add) and the plain-SIMD one.
      for (const [name, be] of [
        ['relaxed', one],
        ['simd', simd],
      ] as const) {
        const what = `${name} ${kernel} ${JSON.stringify(g)}`;
        assertConv(run(be, kernel, info, ops), kernel, info, ops, what);
      }
    }
  });
});

test(
  'conv2d and both gradients split over 2 threads match one thread and the reference',
  { skip },
  async () => {
    const { one, two } = backends();
    await two.ready();
    const geometries: Geometry[] = [
      { batch: 16, size: [14, 14], cin: 16, cout: 16, filter: [3, 3], padding: 'same' },
      {
        batch: 16,
        size: [33, 31],
        cin: 9,
        cout: 21,
        filter: [3, 3],
        strides: [2, 2],
        padding: 'same',
      },
      { batch: 12, size: [12, 12], cin: 64, cout: 48, filter: [1, 1], padding: 'valid' },
      { batch: 16, size: [28, 28], cin: 40, cout: 1, filter: [3, 3], padding: 'same' },
      { batch: 16, size: [16, 16], cin: 20, cout: 6, filter: [3, 3], padding: 'same' },
    ];
    for (const g of geometries) {
      const info = infoOf(g);
      const flops =
        2 *
        info.batch *
        info.outHeight *
        info.outWidth *
        g.cout *
        g.cin *
        g.filter[0] *
        g.filter[1];
      assert.ok(flops >= MIN_FLOPS, `large enough to go parallel: ${flops}`);
      for (const kernel of ['forward', 'input', 'filter'] as const) {
        const what = `${kernel} ${JSON.stringify(g)}`;
        const ops = operands(info, kernel, 7);
        const got = runUntilShared(two, () => run(two, kernel, info, ops), what);
        // Rows of the forward pass and images of the input gradient are split: each element is
        // computed as on one thread. The filter gradient adds per-thread partial sums.
        if (kernel !== 'filter') assert.deepEqual(got, run(one, kernel, info, ops), what);
        assertConv(got, kernel, info, ops, what);
      }
    }
  },
);

const DEPTHWISE: (Geometry & { mult: number })[] = [
  { batch: 2, size: [7, 9], cin: 6, cout: 6, mult: 1, filter: [3, 3], padding: 'same' },
  {
    batch: 3,
    size: [9, 8],
    cin: 5,
    cout: 10,
    mult: 2,
    filter: [3, 2],
    strides: [2, 1],
    padding: 'valid',
  },
  {
    batch: 1,
    size: [10, 10],
    cin: 3,
    cout: 9,
    mult: 3,
    filter: [3, 3],
    dilations: [2, 2],
    padding: 'same',
  },
  {
    batch: 2,
    size: [6, 7],
    cin: 9,
    cout: 9,
    mult: 1,
    filter: [2, 2],
    strides: [2, 2],
    padding: 'same',
  },
];
const DEPTHWISE_KERNELS = ['depthwise', 'depthwiseInput', 'depthwiseFilter'] as const;

test('depthwiseConv2d and both gradients match the cpu reference', { skip }, () => {
  const { one, simd } = backends();
  DEPTHWISE.forEach((g, gi) => {
    const info = infoOf(g);
    for (const kernel of DEPTHWISE_KERNELS) {
      const ops = operands(info, kernel, 5 * gi + 100);
      for (const [name, be] of [
        ['relaxed', one],
        ['simd', simd],
      ] as const) {
        const what = `${name} ${kernel} ${JSON.stringify(g)}`;
        assertConv(run(be, kernel, info, ops), kernel, info, ops, what);
      }
    }
  });
});

test('depthwiseConv2d and both gradients split over 2 threads', { skip }, async () => {
  const { one, two } = backends();
  await two.ready();
  for (const g of [
    { batch: 32, size: [16, 16], cin: 8, cout: 8, filter: [3, 3], padding: 'same' },
    {
      batch: 16,
      size: [15, 17],
      cin: 5,
      cout: 10,
      filter: [3, 3],
      strides: [2, 2],
      padding: 'same',
    },
  ] as Geometry[]) {
    const info = infoOf(g);
    for (const kernel of DEPTHWISE_KERNELS) {
      const what = `${kernel} ${JSON.stringify(g)}`;
      const ops = operands(info, kernel, 11);
      const got = runUntilShared(two, () => run(two, kernel, info, ops), what);
      if (kernel !== 'depthwiseFilter') assert.deepEqual(got, run(one, kernel, info, ops), what);
      assertConv(got, kernel, info, ops, what);
    }
  }
});

interface PoolCase {
  batch: number;
  size: [number, number];
  c: number;
  pool: [number, number];
  strides: [number, number];
  dilations?: [number, number];
  padding: 'valid' | 'same';
}

const POOLS: PoolCase[] = [
  { batch: 2, size: [7, 9], c: 5, pool: [2, 2], strides: [2, 2], padding: 'valid' },
  { batch: 3, size: [9, 7], c: 6, pool: [3, 3], strides: [2, 2], padding: 'same' },
  { batch: 1, size: [6, 6], c: 4, pool: [3, 3], strides: [1, 1], padding: 'same' },
  {
    batch: 2,
    size: [8, 10],
    c: 9,
    pool: [2, 3],
    strides: [3, 1],
    dilations: [2, 2],
    padding: 'same',
  },
  { batch: 2, size: [5, 5], c: 1, pool: [5, 5], strides: [1, 1], padding: 'valid' },
];

function poolInfo(p: PoolCase): Conv2DInfo {
  const options = {
    filter: p.pool,
    strides: p.strides,
    dilations: p.dilations ?? [1, 1],
    padding: p.padding,
    outChannels: p.c,
  } as const;
  return windowInfo([p.batch, p.size[0], p.size[1], p.c], options, 'conv.test');
}

function runPool(
  be: AnyBackend,
  op: PoolOp,
  info: Conv2DInfo,
  xv: Float32Array,
  dyv: Float32Array,
) {
  const x = tensor(be, xv, [info.batch, info.inHeight, info.inWidth, info.inChannels]);
  const dy = tensor(be, dyv, [info.batch, info.outHeight, info.outWidth, info.outChannels]);
  const y = read(be, be.pool2d(op, x, info));
  return [y, read(be, be.pool2dGrad(op, x, dy, info), x, dy)] as const;
}

function assertPool(
  op: PoolOp,
  info: Conv2DInfo,
  got: readonly Float32Array[],
  xv: Float32Array,
  dyv: Float32Array,
  what: string,
): void {
  const want = runPool(cpu, op, info, xv, dyv);
  for (const [j, name] of ['pool', 'grad'].entries()) {
    const [g, w] = [got[j]!, want[j]!];
    assert.equal(g.length, w.length, what);
    for (let i = 0; i < w.length; i++) {
      // A maximum is exact; sums (an average, overlapping windows' gradients) are rounded.
      const tol = op === 'max' && name === 'pool' ? 0 : 4e-7 * (1 + Math.abs(w[i]!));
      if (Number.isNaN(w[i]!) ? !Number.isNaN(g[i]!) : !(Math.abs(g[i]! - w[i]!) <= tol)) {
        assert.fail(`${op} ${name} ${what}: element ${i} is ${g[i]}, expected ${w[i]}`);
      }
    }
  }
}

test('maxPool and avgPool and their gradients match the cpu reference', { skip }, () => {
  const { one } = backends();
  POOLS.forEach((p, pi) => {
    const info = poolInfo(p);
    const xv = lcg(info.batch * info.inHeight * info.inWidth * p.c, 3 * pi + 1);
    const dyv = lcg(info.batch * info.outHeight * info.outWidth * p.c, 3 * pi + 2);
    for (const op of ['max', 'avg'] as const) {
      assertPool(op, info, runPool(one, op, info, xv, dyv), xv, dyv, JSON.stringify(p));
    }
  });
});

test('maxPool: a NaN is the window maximum, ties go to the first position', { skip }, () => {
  const { one } = backends();
  const info = poolInfo({
    batch: 1,
    size: [4, 4],
    c: 5,
    pool: [2, 2],
    strides: [2, 2],
    padding: 'valid',
  });
  const xv = lcg(80, 9);
  xv[5 * 5 + 2] = Number.NaN; // pixel (1, 1), channel 2: window (0, 0)
  for (const ch of [0, 4]) {
    // window (0, 1), channels 0 and 4 (vector and scalar lanes): all four equal
    for (const [r, c] of [
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
    ])
      xv[(r! * 4 + c!) * 5 + ch] = 0.75;
  }
  const dyv = lcg(20, 4);
  const [y, dx] = runPool(one, 'max', info, xv, dyv);
  assert.ok(Number.isNaN(y[2]!));
  assert.equal(y[5], 0.75);
  assert.equal(dx[(0 * 4 + 2) * 5 + 0], dyv[5]);
  assert.equal(dx[(1 * 4 + 3) * 5 + 0], 0);
  assert.equal(dx[(0 * 4 + 2) * 5 + 4], dyv[9]);
  assertPool('max', info, [y, dx], xv, dyv, 'NaN and ties');
});

test('pooling split over 2 threads matches one thread bit for bit', { skip }, async () => {
  const { one, two } = backends();
  await two.ready();
  const info = poolInfo({
    batch: 64,
    size: [28, 28],
    c: 16,
    pool: [2, 2],
    strides: [2, 2],
    padding: 'valid',
  });
  const xv = lcg(info.batch * 28 * 28 * 16, 5);
  const dyv = lcg(info.batch * 14 * 14 * 16, 6);
  for (const op of ['max', 'avg'] as const) {
    const got = runUntilShared(two, () => runPool(two, op, info, xv, dyv), op);
    const want = runPool(one, op, info, xv, dyv);
    assert.deepEqual(got[0], want[0], `${op} pool`);
    assert.deepEqual(got[1], want[1], `${op} grad`);
    assertPool(op, info, got, xv, dyv, `${op} threaded`);
  }
});

test('float64 convolutions and poolings run the cpu reference', { skip }, () => {
  const { one } = backends();
  const g: Geometry = {
    batch: 3,
    size: [9, 11],
    cin: 5,
    cout: 7,
    filter: [3, 3],
    strides: [2, 2],
    padding: 'same',
  };
  const info = infoOf(g);
  const xv = Float64Array.from(lcg(3 * 9 * 11 * 5, 1));
  const fv = Float64Array.from(lcg(3 * 3 * 5 * 7, 2));
  const on = (be: AnyBackend) => {
    const x = { dataId: be.write(xv, 'float64'), shape: [3, 9, 11, 5], dtype: 'float64' } as const;
    const f = { dataId: be.write(fv, 'float64'), shape: [3, 3, 5, 7], dtype: 'float64' } as const;
    return [be.conv2d(x, f, info), be.pool2d('avg', x, { ...info, outChannels: 5 })].map((id) =>
      Float64Array.from(be.readSync(id) as Float64Array),
    );
  };
  const [got, want] = [on(one), on(cpu)];
  assert.ok(got[0] instanceof Float64Array);
  assert.equal(got[0].length, 3 * 5 * 6 * 7);
  assert.ok([...got[0], ...got[1]!].every(Number.isFinite), 'no read past the operands');
  assert.deepEqual(got, want);
});
