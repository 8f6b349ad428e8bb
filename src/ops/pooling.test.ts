import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

/**
 * Poolings and upsampling. Oracles: TensorFlow.js 4.22 (cpu backend) for forward values,
 * float64 finite differences (sn.testing.gradCheck) for every gradient, and Keras 3's
 * bilinear formula worked by hand.
 */

before(async () => {
  await tf.setBackend('cpu');
});

const rng = new sn.Random(1212);
function values(shape: number[]): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => Math.round((rng.nextFloat() * 4 - 2) * 1000) / 1000);
}
/** The same values in both libraries. */
function pair(shape: number[]): { ours: sn.Tensor; theirs: tf.Tensor4D; data: number[] } {
  const data = values(shape);
  return {
    ours: sn.tensor(data, shape),
    theirs: tf.tensor4d(data, shape as [number, number, number, number]),
    data,
  };
}
const toFirst = (t: tf.Tensor4D): tf.Tensor4D => tf.transpose(t, [0, 3, 1, 2]);

type Geometry = {
  what: string;
  shape: [number, number, number, number];
  poolSize: number | [number, number];
  strides?: number | [number, number];
  padding?: 'valid' | 'same';
};
const GEOMETRIES: Geometry[] = [
  { what: '7×5 input, 2×2 windows', shape: [2, 7, 5, 3], poolSize: 2 },
  { what: '7×5, 3×2 windows, stride 1', shape: [2, 7, 5, 2], poolSize: [3, 2], strides: 1 },
  { what: "stride 2 'same', 3×3", shape: [2, 7, 5, 3], poolSize: 3, strides: 2, padding: 'same' },
  {
    what: "stride [2, 1] 'same', 2×3",
    shape: [1, 6, 5, 2],
    poolSize: [2, 3],
    strides: [2, 1],
    padding: 'same',
  },
  { what: 'batch 1, one channel', shape: [1, 5, 5, 1], poolSize: 2, strides: 1 },
];

for (const op of ['maxPool', 'avgPool'] as const) {
  for (const g of GEOMETRIES) {
    test(`${op} vs tf.${op}: ${g.what}`, () => {
      const { ours, theirs } = pair(g.shape);
      const options = {
        poolSize: g.poolSize,
        ...(g.strides === undefined ? {} : { strides: g.strides }),
        ...(g.padding === undefined ? {} : { padding: g.padding }),
      };
      const want = tf[op](theirs, g.poolSize, g.strides ?? g.poolSize, g.padding ?? 'valid');
      assertClose(sn[op](ours, options), Array.from(want.dataSync()), 1e-6, want.shape);
      // channelsFirst: the same values with the channels moved, the output likewise.
      const first = sn[op](sn.transpose(ours, [0, 3, 1, 2]), {
        ...options,
        dataFormat: 'channelsFirst',
      });
      const wantFirst = toFirst(want);
      assertClose(first, Array.from(wantFirst.dataSync()), 1e-6, wantFirst.shape);
    });
  }
}

test('maxPool1d and avgPool1d vs tf.maxPool / tf.avgPool on a height-1 image', () => {
  for (const [poolSize, strides, padding] of [
    [2, 2, 'valid'],
    [3, 2, 'same'],
    [3, 1, 'valid'],
  ] as const) {
    const data = values([2, 7, 3]);
    const theirs = tf.tensor(data, [2, 1, 7, 3]) as tf.Tensor4D;
    for (const [ours, tfOp] of [
      [sn.maxPool1d, tf.maxPool],
      [sn.avgPool1d, tf.avgPool],
    ] as const) {
      const want = tfOp(theirs, [1, poolSize], [1, strides], padding);
      const shape = [2, want.shape[2], 3];
      const y = ours(sn.tensor(data, [2, 7, 3]), { poolSize, strides, padding });
      assertClose(y, Array.from(want.dataSync()), 1e-6, shape);
      const yFirst = ours(
        sn.tensor(tf.transpose(tf.tensor(data, [2, 7, 3]), [0, 2, 1]).arraySync() as number[][][]),
        {
          poolSize,
          strides,
          padding,
          dataFormat: 'channelsFirst',
        },
      );
      const wantFirst = tf.transpose(tf.reshape(want, shape), [0, 2, 1]);
      assertClose(yFirst, Array.from(wantFirst.dataSync()), 1e-6, wantFirst.shape);
    }
  }
});

test("avgPool with 'same' padding divides by the in-bounds count (hand-computed corners)", () => {
  // 3×3 input 1..9, 2×2 windows, stride 2, 'same' → 2×2 output; padding at the bottom/right.
  const x = sn.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const y = sn.avgPool(x, { poolSize: 2, strides: 2, padding: 'same' });
  // (1+2+4+5)/4, (3+6)/2, (7+8)/2, 9/1
  assertClose(y, [3, 4.5, 7.5, 9], 1e-7, [1, 2, 2, 1]);
  assertClose(sn.maxPool(x, { poolSize: 2, strides: 2, padding: 'same' }), [5, 6, 8, 9], 0);
});

test('upSampling nearest vs tf.image.resizeNearestNeighbor (both layouts, unequal factors)', () => {
  for (const size of [2, [2, 3]] as const) {
    const { ours, theirs } = pair([2, 3, 4, 2]);
    const [sh, sw] = typeof size === 'number' ? [size, size] : size;
    const want = tf.image.resizeNearestNeighbor(theirs, [3 * sh, 4 * sw]);
    assertClose(sn.upSampling(ours, { size }), Array.from(want.dataSync()), 0, want.shape);
    const first = sn.upSampling(sn.transpose(ours, [0, 3, 1, 2]), {
      size,
      dataFormat: 'channelsFirst',
    });
    const wantFirst = toFirst(want);
    assertClose(first, Array.from(wantFirst.dataSync()), 0, wantFirst.shape);
  }
});

test('upSampling bilinear vs tf.image.resizeBilinear with half-pixel centres (as Keras 3)', () => {
  for (const size of [2, [3, 2], 4] as const) {
    const { ours, theirs } = pair([2, 5, 3, 2]);
    const [sh, sw] = typeof size === 'number' ? [size, size] : size;
    // alignCorners false, halfPixelCenters true: tf.image.resize's rule, which Keras 3 uses.
    const want = tf.image.resizeBilinear(theirs, [5 * sh, 3 * sw], false, true);
    const options = { size, interpolation: 'bilinear' } as const;
    assertClose(sn.upSampling(ours, options), Array.from(want.dataSync()), 1e-5, want.shape);
    const first = sn.upSampling(sn.transpose(ours, [0, 3, 1, 2]), {
      ...options,
      dataFormat: 'channelsFirst',
    });
    const wantFirst = toFirst(want);
    assertClose(first, Array.from(wantFirst.dataSync()), 1e-5, wantFirst.shape);
  }
});

test('upSampling bilinear: hand-computed values from the half-pixel formula', () => {
  // One row [0, 4, 8] upsampled ×2 along the width: output o reads s = (o + ½)/2 − ½, clamped
  // to [0, 2]: s = −0.25→0, 0.25, 0.75, 1.25, 1.75, 2.25→2, so
  // [0, 0.75·0 + 0.25·4, 0.25·0 + 0.75·4, 0.75·4 + 0.25·8, 0.25·4 + 0.75·8, 8].
  const x = sn.tensor([0, 4, 8], [1, 1, 3, 1]);
  const y = sn.upSampling(x, { size: [1, 2], interpolation: 'bilinear' });
  assertClose(y, [0, 1, 3, 5, 7, 8], 1e-6, [1, 1, 6, 1]);
  // ×3 on a column [0, 3]: s = (o + ½)/3 − ½ = −1/3→0, 0, 1/3, 2/3, 1, 4/3→1:
  // [0, 0, 1, 2, 3, 3].
  const col = sn.upSampling(sn.tensor([0, 3], [1, 2, 1, 1]), {
    size: [3, 1],
    interpolation: 'bilinear',
  });
  assertClose(col, [0, 0, 1, 2, 3, 3], 1e-6, [1, 6, 1, 1]);
  // TF.js's UpSampling2D layer (resizeBilinear without half-pixel centres, s = o/2) gives
  // [0, 2, 4, 6, 8, 8] for the row: a TF.js deviation from Keras, not followed.
  const legacy = tf.image.resizeBilinear(tf.tensor([0, 4, 8], [1, 1, 3, 1]) as tf.Tensor4D, [1, 6]);
  assert.deepEqual(Array.from(legacy.dataSync()), [0, 2, 4, 6, 8, 8]);
});

test('dtypes: float64 kept, int32 pooled as float32, bool refused', () => {
  const x64 = sn.tensor([1, 2, 3, 4], [1, 2, 2, 1], 'float64');
  assert.equal(sn.avgPool(x64, { poolSize: 2 }).dtype, 'float64');
  assert.equal(sn.upSampling(x64, { interpolation: 'bilinear' }).dtype, 'float64');
  const xi = sn.tensor([1, 2, 3, 4], [1, 2, 2, 1], 'int32');
  const avg = sn.avgPool(xi, { poolSize: 2 });
  assert.equal(avg.dtype, 'float32');
  assertClose(avg, [2.5], 0);
  assert.throws(
    () => sn.maxPool(sn.tensor([1, 0, 1, 0], [1, 2, 2, 1], 'bool'), { poolSize: 2 }),
    (e: Error) => e instanceof sn.DTypeError && /maxPool/.test(e.message) && /bool/.test(e.message),
  );
});

// Inputs with distinct values, so each window's maximum is unique and finite differences of
// max pooling are well defined.
const distinct = (shape: number[], dtype: 'float64' = 'float64'): sn.Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => ((i * 37) % n) / n + 0.1 * Math.sin(i));
  return sn.tensor(v, shape, dtype);
};

test('gradients: finite differences for every op and layout (float64)', () => {
  const x = distinct([2, 5, 4, 3]);
  const cases: [string, (t: sn.Tensor) => sn.Tensor][] = [
    ['maxPool valid', (t) => sn.maxPool(t, { poolSize: 2 })],
    ['maxPool same, stride 2', (t) => sn.maxPool(t, { poolSize: 3, strides: 2, padding: 'same' })],
    ['maxPool overlapping', (t) => sn.maxPool(t, { poolSize: [2, 3], strides: 1 })],
    ['avgPool same, stride 2', (t) => sn.avgPool(t, { poolSize: 3, strides: 2, padding: 'same' })],
    [
      'avgPool channelsFirst',
      (t) => sn.avgPool(t, { poolSize: 2, strides: 1, dataFormat: 'channelsFirst' }),
    ],
    ['maxPool channelsFirst', (t) => sn.maxPool(t, { poolSize: 2, dataFormat: 'channelsFirst' })],
    ['upSampling nearest', (t) => sn.upSampling(t, { size: [2, 3] })],
    ['upSampling bilinear', (t) => sn.upSampling(t, { size: [3, 2], interpolation: 'bilinear' })],
    [
      'upSampling bilinear channelsFirst',
      (t) => sn.upSampling(t, { size: 2, interpolation: 'bilinear', dataFormat: 'channelsFirst' }),
    ],
  ];
  for (const [what, f] of cases) {
    const r = sn.testing.gradCheck(f, [x]);
    assert.ok(r.maxError < 1e-6, `${what}: max error ${r.maxError}`);
  }
  const seq = distinct([2, 7, 3]);
  for (const [what, f] of [
    [
      'maxPool1d same',
      (t: sn.Tensor) => sn.maxPool1d(t, { poolSize: 3, strides: 2, padding: 'same' }),
    ],
    [
      'avgPool1d same',
      (t: sn.Tensor) => sn.avgPool1d(t, { poolSize: 3, strides: 2, padding: 'same' }),
    ],
    [
      'avgPool1d channelsFirst',
      (t: sn.Tensor) => sn.avgPool1d(t, { poolSize: 2, dataFormat: 'channelsFirst' }),
    ],
  ] as const) {
    const r = sn.testing.gradCheck(f, [seq]);
    assert.ok(r.maxError < 1e-6, `${what}: max error ${r.maxError}`);
  }
});

test('maxPool gradient goes to the first maximum of a window on ties (as TensorFlow)', () => {
  const x = sn.tensor([1, 3, 3, 2], [1, 2, 2, 1]);
  const [dx] = sn.grads((t: sn.Tensor) => sn.sum(sn.maxPool(t, { poolSize: 2 })))([x]);
  assertClose(dx!, [0, 1, 0, 0], 0);
});

test('bad inputs: typed errors naming the op, what was received and the fix', () => {
  const img = sn.zeros([1, 4, 4, 2]);
  const expectError = (f: () => unknown, cls: typeof sn.SinewError, ...words: RegExp[]): void => {
    assert.throws(f, (e: Error) => {
      assert.ok(e instanceof cls, `${e.constructor.name}: ${e.message}`);
      for (const w of words) assert.match(e.message, w);
      return true;
    });
  };
  expectError(
    () => sn.maxPool(sn.zeros([4, 4, 2]), { poolSize: 2 }),
    sn.ShapeError,
    /maxPool/,
    /rank 4/,
    /\[4, 4, 2\]/,
    /maxPool1d/,
  );
  expectError(
    () => sn.avgPool(sn.zeros([2, 4, 4]), { poolSize: 2, dataFormat: 'channelsFirst' }),
    sn.ShapeError,
    /\[batch, channels, height, width\]/,
  );
  expectError(
    () => sn.maxPool1d(img, { poolSize: 2 }),
    sn.ShapeError,
    /maxPool1d/,
    /rank 3/,
    /maxPool for images/,
  );
  expectError(() => sn.maxPool(img, { poolSize: 5 }), sn.ShapeError, /maxPool/, /5×5/, /'same'/);
  expectError(
    () => sn.avgPool1d(sn.zeros([1, 3, 2]), { poolSize: 4 }),
    sn.ShapeError,
    /avgPool1d/,
    /3 steps/,
  );
  expectError(
    () => sn.maxPool(img, { poolSize: 0 }),
    sn.ConfigError,
    /maxPool/,
    /poolSize/,
    /received 0/,
  );
  expectError(() => sn.maxPool(img, { poolSize: 2, strides: 0 }), sn.ConfigError, /strides/);
  expectError(
    () => sn.avgPool(img, { poolSize: [2, 2, 2] as unknown as [number, number] }),
    sn.ConfigError,
    /pair/,
  );
  expectError(
    () => sn.maxPool(img, { poolSize: 2, padding: 'sme' as 'same' }),
    sn.ConfigError,
    /padding must be 'valid' or 'same'/,
    /"sme"/,
  );
  expectError(
    () => sn.maxPool(img, { poolSize: 2, dataFormat: 'channels_first' as 'channelsFirst' }),
    sn.ConfigError,
    /dataFormat/,
  );
  expectError(() => sn.maxPool(img, {} as sn.PoolOptions), sn.ConfigError, /poolSize is required/);
  expectError(
    () => sn.maxPool(img, { poolSize: 2, stride: 2 } as sn.PoolOptions),
    sn.ConfigError,
    /strides/,
  );
  expectError(() => sn.upSampling(img, { size: 1.5 }), sn.ConfigError, /upSampling/, /size/);
  expectError(
    () => sn.upSampling(img, { interpolation: 'bicubic' as 'bilinear' }),
    sn.ConfigError,
    /'nearest' or 'bilinear'/,
    /"bicubic"/,
  );
  expectError(
    () => sn.upSampling(sn.zeros([4, 4, 2])),
    sn.ShapeError,
    /upSampling/,
    /rank 4/,
    /upSampling1d/,
  );
});
