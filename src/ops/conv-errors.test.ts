import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { smooth } from '../../test/helpers.js';
import { convFilter, convForward, convInput, type ConvKind } from './conv-core.js';
import { windowInfo } from './conv-geometry.js';

// The bad inputs of the convolution ops, each a typed error naming the op, what was received
// and the fix; and the three recorded kernels of conv-core.ts checked by finite differences
// one by one (the public ops reach the third, filter(x, dy), only inside their gradients).

const error =
  (type: new (...args: never[]) => Error, ...patterns: RegExp[]) =>
  (e: unknown): boolean => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };

const x4 = () => sn.ones([1, 5, 5, 3]);
const f4 = () => sn.ones([3, 3, 3, 2]);

test('conv2d of a 3-D input: rank 4 expected, shape received, fix names a batch axis and conv1d', () => {
  assert.throws(
    () => sn.conv2d(sn.ones([5, 5, 3]), f4()),
    error(
      sn.ShapeError,
      /^conv2d: expected x of rank 4 \[batch, height, width, channels\], received shape \[5, 5, 3\]/,
      /add a batch axis/,
      /conv1d/,
    ),
  );
  assert.throws(
    () => sn.conv2d(sn.ones([5, 5, 3]), f4(), { dataFormat: 'channelsFirst' }),
    error(sn.ShapeError, /\[batch, channels, height, width\]/),
  );
  assert.throws(
    () => sn.conv1d(sn.ones([1, 5, 5, 3]), sn.ones([3, 3, 2])),
    error(sn.ShapeError, /^conv1d: expected x of rank 3 \[batch, steps, channels\]/, /conv2d/),
  );
  assert.throws(
    () => sn.conv2d(x4(), sn.ones([3, 3, 3])),
    error(sn.ShapeError, /^conv2d: expected filter of rank 4/, /received shape \[3, 3, 3\]/),
  );
});

test('a window larger than the input under valid padding names the span, the input and the fix', () => {
  assert.throws(
    () => sn.conv2d(sn.ones([1, 2, 2, 3]), f4()),
    error(sn.ShapeError, /^conv2d: the window spans 3×3/, /only 2×2/, /padding: 'same'/),
  );
  // Dilation widens the window: a 2×2 kernel with dilation 3 spans 4×4.
  assert.throws(
    () => sn.depthwiseConv2d(sn.ones([1, 3, 3, 1]), sn.ones([2, 2, 1, 1]), { dilations: 3 }),
    error(sn.ShapeError, /^depthwiseConv2d: the window spans 4×4/, /dilation 3×3/),
  );
  // conv1d speaks of steps and the shape it was given.
  assert.throws(
    () => sn.conv1d(sn.ones([1, 4, 2]), sn.ones([3, 2, 1]), { dilations: 2 }),
    error(sn.ShapeError, /^conv1d: the window spans 5 steps/, /only 4 \(shape \[1, 4, 2\]\)/),
  );
  // 'same' padding keeps it.
  assert.deepEqual(sn.conv2d(sn.ones([1, 2, 2, 3]), f4(), { padding: 'same' }).shape, [1, 2, 2, 2]);
});

test('stride 0, dilation 0, padding sme and a bad dataFormat are ConfigErrors naming the option', () => {
  assert.throws(
    () => sn.conv2d(x4(), f4(), { strides: 0 }),
    error(sn.ConfigError, /^conv2d: strides must be a whole number >= 1/, /received 0/),
  );
  assert.throws(
    () => sn.conv2d(x4(), f4(), { strides: [1, 2, 1] as unknown as [number, number] }),
    error(sn.ConfigError, /strides/, /received \[1, 2, 1\]/),
  );
  assert.throws(
    () =>
      sn.separableConv2d(x4(), {
        depthwiseFilter: f4(),
        pointwiseFilter: sn.ones([1, 1, 6, 1]),
        dilations: 0,
      }),
    error(sn.ConfigError, /^separableConv2d: dilations must be/, /received 0/),
  );
  assert.throws(
    () => sn.conv1d(sn.ones([1, 5, 3]), sn.ones([3, 3, 2]), { strides: 1.5 }),
    error(sn.ConfigError, /^conv1d: strides must be a whole number >= 1,/, /received 1.5/),
  );
  assert.throws(
    () => sn.conv2d(x4(), f4(), { padding: 'sme' as 'same' }),
    error(sn.ConfigError, /^conv2d: padding must be 'valid' or 'same', received "sme"/),
  );
  assert.throws(
    () => sn.depthwiseConv2d(x4(), f4(), { dataFormat: 'NHWC' as 'channelsLast' }),
    error(sn.ConfigError, /^depthwiseConv2d: dataFormat must be 'channelsLast' or 'channelsFirst'/),
  );
  assert.throws(
    () => sn.conv2d(x4(), f4(), { stride: 2 } as sn.Conv2DOptions),
    error(sn.ConfigError, /conv2d/, /stride/, /strides/),
  );
});

test("input channels that do not match the filter's inChannels", () => {
  assert.throws(
    () => sn.conv2d(x4(), sn.ones([3, 3, 4, 2])),
    error(
      sn.ShapeError,
      /^conv2d: x has 3 channels \(shape \[1, 5, 5, 3\], channelsLast\)/,
      /\[3, 3, 4, 2\]/,
      /is 4/,
      /dataFormat/,
    ),
  );
  // channelsFirst reads the channels from axis 1.
  assert.throws(
    () => sn.conv2d(sn.ones([1, 5, 5, 3]), f4(), { dataFormat: 'channelsFirst' }),
    error(sn.ShapeError, /x has 5 channels/, /channelsFirst/),
  );
  assert.throws(
    () => sn.conv1d(sn.ones([1, 5, 3]), sn.ones([3, 2, 2])),
    error(sn.ShapeError, /^conv1d: x has 3 channels/, /is 2/),
  );
  assert.throws(
    () => sn.depthwiseConv2d(x4(), sn.ones([3, 3, 2, 2])),
    error(sn.ShapeError, /^depthwiseConv2d: x has 3 channels/),
  );
  // A conv2d-layout filter [fh, fw, cin, cout] given to conv2dTranspose ([fh, fw, cout, cin]).
  assert.throws(
    () => sn.conv2dTranspose(x4(), sn.ones([3, 3, 3, 2])),
    error(sn.ShapeError, /^conv2dTranspose: x has 3 channels/, /expects 2/, /filter layout/),
  );
});

test('depthwise and pointwise filters that disagree', () => {
  assert.throws(
    () =>
      sn.separableConv2d(x4(), {
        depthwiseFilter: sn.ones([3, 3, 3, 2]),
        pointwiseFilter: sn.ones([1, 1, 3, 4]),
      }),
    error(
      sn.ShapeError,
      /^separableConv2d: pointwiseFilter must have shape \[1, 1, 6, outChannels\]/,
      /multiplier 2/,
      /received shape \[1, 1, 3, 4\]/,
    ),
  );
  assert.throws(
    () =>
      sn.separableConv2d(x4(), {
        depthwiseFilter: sn.ones([3, 3, 3, 1]),
        pointwiseFilter: sn.ones([2, 2, 3, 4]),
      }),
    error(sn.ShapeError, /pointwiseFilter must have shape \[1, 1, 3, outChannels\]/),
  );
  assert.throws(
    () =>
      sn.separableConv2d(x4(), {
        depthwiseFilter: sn.ones([3, 3, 2, 1]),
        pointwiseFilter: sn.ones([1, 1, 2, 4]),
      }),
    error(sn.ShapeError, /^separableConv2d: x has 3 channels/),
  );
  assert.throws(
    () =>
      sn.separableConv2d(x4(), {
        pointwiseFilter: sn.ones([1, 1, 3, 4]),
      } as sn.SeparableConv2DOptions),
    error(sn.ConfigError, /^separableConv2d: argument 'depthwiseFilter' is required/),
  );
});

test('conv2dTranspose: outputPadding from 0 to stride − 1, and one the stride cannot map back', () => {
  const x = sn.ones([1, 3, 3, 2]);
  assert.throws(
    () => sn.conv2dTranspose(x, sn.ones([3, 3, 1, 2]), { strides: 2, outputPadding: 2 }),
    error(sn.ConfigError, /^conv2dTranspose: outputPadding must be/, /stride − 1/, /received 2/),
  );
  assert.throws(
    () => sn.conv2dTranspose(x, sn.ones([3, 3, 1, 2]), { outputPadding: [0, -1] }),
    error(sn.ConfigError, /outputPadding/, /received \[0, -1\]/),
  );
  // An even kernel with 'same' and outputPadding 0: (3 − 1)·2 + 2 − 2 = 4 rows, which a
  // strided 'same' conv2d maps to 2, not 3.
  assert.throws(
    () =>
      sn.conv2dTranspose(x, sn.ones([2, 2, 1, 2]), {
        strides: 2,
        padding: 'same',
        outputPadding: 0,
      }),
    error(
      sn.ConfigError,
      /output would be 4×4/,
      /maps to 2×2, not x's 3×3/,
      /larger outputPadding/,
    ),
  );
  assert.deepEqual(
    sn.conv2dTranspose(x, sn.ones([2, 2, 1, 2]), { strides: 2, padding: 'same', outputPadding: 1 })
      .shape,
    [1, 5, 5, 1],
  );
});

test('bool operands are DTypeErrors; numbers and nested arrays are accepted', () => {
  assert.throws(
    () => sn.conv2d(sn.cast(x4(), 'bool'), f4()),
    error(sn.DTypeError, /^conv2d: 'x' must be numeric, received dtype bool/, /sn\.cast/),
  );
  assert.throws(
    () =>
      sn.separableConv2d(x4(), {
        depthwiseFilter: f4(),
        pointwiseFilter: sn.cast(sn.ones([1, 1, 6, 1]), 'bool'),
      }),
    error(sn.DTypeError, /'pointwiseFilter'/),
  );
  const y = sn.conv1d([[[1], [2], [3]]], [[[1]], [[-1]]]);
  assert.deepEqual(y.arraySync(), [[[-1], [-1]]]);
  // conv1d's sizes may be one-element arrays (as Keras configs store them): 1·1 + 3·(−1).
  const z = sn.conv1d([[[1], [2], [3]]], [[[1]], [[-1]]], { dilations: [2], strides: [1] });
  assert.deepEqual(z.arraySync(), [[[-2]]]);
});

// --- the recorded kernels one by one (float64 finite differences)

const KINDS: ConvKind[] = ['conv2d', 'depthwise'];
for (const kind of KINDS) {
  test(`${kind}: forward, input and filter kernels each have the gradients of the other two`, () => {
    const inC = 2;
    const last = 3;
    const outC = kind === 'conv2d' ? last : inC * last;
    const info = windowInfo(
      [2, 5, 4, inC],
      { filter: [3, 2], strides: [2, 1], dilations: [1, 2], padding: 'same', outChannels: outC },
      'test',
    );
    const x = smooth([2, 5, 4, inC]);
    const f = smooth([3, 2, inC, last]);
    const dy = smooth([2, info.outHeight, info.outWidth, outC]);
    sn.testing.gradCheck((a, b) => convForward(kind, a!, b!, info), [x, f]);
    sn.testing.gradCheck((a, b) => convInput(kind, a!, b!, info), [dy, f]);
    sn.testing.gradCheck((a, b) => convFilter(kind, a!, b!, info), [x, dy]);
  });
}
