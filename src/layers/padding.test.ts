import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose, iota, smooth } from '../../test/helpers.js';

/**
 * zeroPadding1d/2d and cropping1d/2d against hand-computed values, finite differences and
 * their error messages. TensorFlow.js parity: test/merge-tfjs.test.ts.
 */

test('zeroPadding1d pads the steps axis: n on both sides or [before, after]', () => {
  const x = iota([1, 2, 2]); // steps [1, 2], [3, 4]
  assertClose(sn.layers.zeroPadding1d().apply(x), [0, 0, 1, 2, 3, 4, 0, 0], 0, [1, 4, 2]);
  assertClose(
    sn.layers.zeroPadding1d({ padding: [2, 0] }).apply(x),
    [0, 0, 0, 0, 1, 2, 3, 4],
    0,
    [1, 4, 2],
  );
  assert.deepEqual(
    sn.layers.zeroPadding1d({ padding: [1, 3] }).apply(sn.input({ shape: [5, 7] })).shape,
    [null, 9, 7],
  );
  assert.deepEqual(
    sn.layers.zeroPadding1d({ padding: 2 }).apply(sn.input({ shape: [null, 7] })).shape,
    [null, null, 7],
  );
});

test('zeroPadding2d pads height and width, channelsLast and channelsFirst', () => {
  const x = iota([1, 2, 2, 1]); // [[1, 2], [3, 4]]
  assertClose(
    sn.layers
      .zeroPadding2d({
        padding: [
          [1, 0],
          [0, 1],
        ],
      })
      .apply(x),
    [0, 0, 0, 1, 2, 0, 3, 4, 0],
    0,
    [1, 3, 3, 1],
  );
  const first = sn.layers.zeroPadding2d({ padding: [0, 1], dataFormat: 'channelsFirst' });
  assertClose(first.apply(sn.reshape(x, [1, 1, 2, 2])), [0, 1, 2, 0, 0, 3, 4, 0], 0, [1, 1, 2, 4]);
  assert.deepEqual(sn.layers.zeroPadding2d().apply(sn.input({ shape: [28, 28, 3] })).shape, [
    null,
    30,
    30,
    3,
  ]);
  assert.deepEqual(
    sn.layers
      .zeroPadding2d({
        padding: [
          [1, 2],
          [3, 4],
        ],
        dataFormat: 'channelsFirst',
      })
      .apply(sn.input({ shape: [3, 5, 6] })).shape,
    [null, 3, 8, 13],
  );
});

test('cropping1d and cropping2d remove entries from the ends, both layouts', () => {
  const seq = iota([1, 5, 1]);
  assertClose(sn.layers.cropping1d().apply(seq), [2, 3, 4], 0, [1, 3, 1]);
  assertClose(sn.layers.cropping1d({ cropping: [0, 3] }).apply(seq), [1, 2], 0, [1, 2, 1]);
  const img = iota([1, 3, 4, 1]); // rows [1..4], [5..8], [9..12]
  assertClose(
    sn.layers
      .cropping2d({
        cropping: [
          [1, 0],
          [1, 2],
        ],
      })
      .apply(img),
    [6, 10],
    0,
    [1, 2, 1, 1],
  );
  assertClose(
    sn.layers.cropping2d({ cropping: 1, dataFormat: 'channelsFirst' }).apply(iota([1, 1, 3, 4])),
    [6, 7],
    0,
    [1, 1, 1, 2],
  );
  assert.deepEqual(
    sn.layers.cropping2d({ cropping: [2, 4] }).apply(sn.input({ shape: [32, 32, 3] })).shape,
    [null, 28, 24, 3],
  );
  // Default: nothing cropped (as Keras).
  assertClose(sn.layers.cropping2d().apply(img), Array.from(img.dataSync()), 0, [1, 3, 4, 1]);
});

test('padding and cropping: gradients match finite differences (float64)', () => {
  const pad = sn.layers.zeroPadding2d({
    padding: [
      [1, 0],
      [2, 1],
    ],
  });
  sn.testing.gradCheck((x) => pad.apply(x), [smooth([2, 2, 3, 2])]);
  const crop = sn.layers.cropping2d({
    cropping: [
      [1, 0],
      [0, 1],
    ],
    dataFormat: 'channelsFirst',
  });
  sn.testing.gradCheck((x) => crop.apply(x), [smooth([2, 2, 3, 3])]);
  const pad1 = sn.layers.zeroPadding1d({ padding: [0, 2] });
  const crop1 = sn.layers.cropping1d({ cropping: [1, 0] });
  sn.testing.gradCheck((x) => crop1.apply(pad1.apply(x)), [smooth([2, 3, 2])]);
});

test('cropping larger than the input is a ShapeError naming the layer, the shape and the crop', () => {
  assert.throws(
    () =>
      sn.layers
        .cropping2d({
          cropping: [
            [3, 2],
            [0, 0],
          ],
          name: 'crop',
        })
        .apply(iota([1, 5, 6, 1])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /Cropping2D 'crop' cannot crop 3 \+ 2 rows/.test(e.message) &&
      /\[1, 5, 6, 1\]/.test(e.message) &&
      /leave at least one/.test(e.message),
  );
  assert.throws(
    () =>
      sn.layers
        .cropping2d({ cropping: [0, 3], dataFormat: 'channelsFirst' })
        .apply(sn.input({ shape: [3, 8, 6] })),
    (e: Error) => e instanceof sn.ShapeError && /3 \+ 3 columns/.test(e.message),
  );
  assert.throws(
    () => sn.layers.cropping1d({ cropping: [4, 4] }).apply(iota([2, 8, 1])),
    (e: Error) => e instanceof sn.ShapeError && /4 \+ 4 steps/.test(e.message),
  );
});

test('an input of the wrong rank is a ShapeError naming the layout', () => {
  assert.throws(
    () => sn.layers.zeroPadding2d({ name: 'zp' }).apply(iota([2, 5, 5])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /ZeroPadding2D 'zp' expects input of rank 4 \(\[batch, height, width, channels\]\)/.test(
        e.message,
      ) &&
      /\[2, 5, 5\]/.test(e.message),
  );
  assert.throws(
    () => sn.layers.cropping1d().apply(sn.input({ shape: [4, 4, 4] })),
    (e: Error) =>
      e instanceof sn.ShapeError && /rank 3 \(\[batch, steps, features\]\)/.test(e.message),
  );
});

test('bad padding, cropping or dataFormat options are ConfigErrors listing the accepted forms', () => {
  for (const padding of [-1, 1.5, [1, 2, 3], [[1, 2], 3], 'same']) {
    assert.throws(
      () => sn.layers.zeroPadding2d({ padding } as unknown as sn.layers.ZeroPadding2DOptions),
      (e: Error) =>
        e instanceof sn.ConfigError &&
        /padding must be/.test(e.message) &&
        /\[\[top, bottom\], \[left, right\]\]/.test(e.message),
    );
  }
  assert.throws(
    () => sn.layers.cropping1d({ cropping: [[1, 1]] } as unknown as sn.layers.Cropping1DOptions),
    (e: Error) => e instanceof sn.ConfigError && /\[before, after\]/.test(e.message),
  );
  assert.throws(
    () => sn.layers.cropping2d({ dataFormat: 'NHWC' as sn.layers.DataFormat }),
    (e: Error) => e instanceof sn.ConfigError && /'channelsLast'/.test(e.message),
  );
});

test('configs use Keras spellings: padding as pairs, data_format channels_last', () => {
  const layer = sn.layers.zeroPadding2d({ padding: [1, 2], dataFormat: 'channelsFirst' });
  assert.deepEqual(layer.getConfig().padding, [
    [1, 1],
    [2, 2],
  ]);
  assert.equal(layer.getConfig().dataFormat, 'channels_first');
  assert.deepEqual(sn.layers.cropping1d({ cropping: 2 }).getConfig().cropping, [2, 2]);
  const back = sn.layers.Cropping2D.fromConfig({ cropping: 1, dataFormat: 'channels_first' });
  assert.ok(back instanceof sn.layers.Cropping2D);
  assert.equal(back.dataFormat, 'channelsFirst');
});
