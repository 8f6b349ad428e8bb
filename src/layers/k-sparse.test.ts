import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose, smooth } from '../../test/helpers.js';

const x = sn.tensor([
  [0.1, 0.9, 0.3, 0.7],
  [5, -1, 2, 4],
]);

test('kSparse: training keeps the k largest per row (hand values)', () => {
  const y = sn.layers.kSparse({ k: 2 }).apply(x, { training: true });
  assertClose(
    y,
    [
      [0, 0.9, 0, 0.7],
      [5, 0, 0, 4],
    ],
    1e-7,
    [2, 4],
  );
});

test('kSparse: inference keeps round(alpha·k), clipped to the width', () => {
  // alpha 1.5, k 2: round(3) = 3 units kept.
  const y = sn.layers.kSparse({ k: 2, alpha: 1.5 }).apply(x);
  assertClose(y, [0, 0.9, 0.3, 0.7, 5, 0, 2, 4], 1e-7);
  // alpha 1 (default): k at inference as well.
  assertClose(sn.layers.kSparse({ k: 1 }).apply(x), [0, 0.9, 0, 0, 5, 0, 0, 0], 1e-7);
  // alpha 10: round(20) > width 4, so every unit is kept.
  assertClose(sn.layers.kSparse({ k: 2, alpha: 10 }).apply(x), x.arraySync() as number[][], 0);
  const layer = sn.layers.kSparse({ k: 3, alpha: 1.2 });
  assert.deepEqual([layer.keptUnits(10, true), layer.keptUnits(10, false)], [3, 4]); // round(3.6) = 4
});

test('kSparse: exactly k non-zeros per row, the k largest (checked against a sort)', () => {
  const input = sn.randomNormal([16, 20], { seed: 3 });
  const rows = input.arraySync() as number[][];
  const out = sn.layers
    .kSparse({ k: 5, alpha: 2 })
    .apply(input, { training: true })
    .arraySync() as number[][];
  const outInference = sn.layers.kSparse({ k: 5, alpha: 2 }).apply(input).arraySync() as number[][];
  rows.forEach((row, i) => {
    for (const [result, kept] of [
      [out[i]!, 5],
      [outInference[i]!, 10],
    ] as const) {
      const threshold = [...row].sort((a, b) => b - a)[kept - 1]!;
      const expected = row.map((v) => (v >= threshold ? v : 0));
      assert.equal(result.filter((v) => v !== 0).length, kept);
      assertClose(sn.tensor(result), expected, 1e-7);
    }
  });
});

test('kSparse: ties keep the lower index; rank-3 inputs work along the last axis', () => {
  assertClose(sn.layers.kSparse({ k: 2 }).apply(sn.ones([1, 3]), { training: true }), [1, 1, 0], 0);
  const y = sn.layers.kSparse({ k: 1 }).apply(
    sn.tensor([
      [
        [1, 3],
        [4, 2],
      ],
    ]),
    { training: true },
  );
  assertClose(y, [0, 3, 4, 0], 0, [1, 2, 2]);
});

test('kSparse: gradients flow only through the kept units', () => {
  const layer = sn.layers.kSparse({ k: 2 });
  const w = sn.tensor([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ]);
  const [g] = sn.grads((t: sn.Tensor) => sn.sum(sn.mul(layer.apply(t, { training: true }), w)))([
    x,
  ]);
  // kept: row 0 columns 1, 3; row 1 columns 0, 3 → the weight there, 0 elsewhere.
  assertClose(g!, [0, 2, 0, 4, 5, 0, 0, 8], 0);
  sn.testing.gradCheck((t) => layer.apply(t, { training: true }), [smooth([3, 5])]);
});

test('kSparse: k larger than the width is a ConfigError at build naming k, the width and the layer', () => {
  const check = (e: Error) =>
    e instanceof sn.ConfigError &&
    /KSparse 'ks'/.test(e.message) &&
    /k = 5/.test(e.message) &&
    /width 4/.test(e.message);
  assert.throws(() => sn.layers.kSparse({ k: 5, name: 'ks' }).apply(x), check);
  assert.throws(
    () => sn.layers.kSparse({ k: 5, name: 'ks' }).apply(sn.input({ shape: [4] })),
    check,
  );
});

test('kSparse: k not a positive integer, or a bad alpha, is a ConfigError', () => {
  for (const k of [0, -1, 2.5, '3', undefined, Number.NaN]) {
    assert.throws(
      () => sn.layers.kSparse({ k } as unknown as sn.layers.KSparseOptions),
      (e: Error) =>
        e instanceof sn.ConfigError && /KSparse '.*': k must be a positive integer/.test(e.message),
    );
  }
  for (const alpha of [0, -1, Infinity, '2']) {
    assert.throws(
      () => sn.layers.kSparse({ k: 2, alpha } as unknown as sn.layers.KSparseOptions),
      (e: Error) =>
        e instanceof sn.ConfigError && /alpha must be a finite number > 0/.test(e.message),
    );
  }
  assert.throws(() => sn.layers.kSparse({ k: 1 }).apply(sn.tensor([1, 2])), sn.ShapeError);
});

test('kSparse: getConfig → JSON → fromConfig round trip; className KSparse', () => {
  const layer = sn.layers.kSparse({ k: 3, alpha: 2, name: 'ks_rt' });
  assert.equal(layer.className, 'KSparse');
  const config = JSON.parse(JSON.stringify(layer.getConfig()));
  assert.deepEqual([config.k, config.alpha], [3, 2]);
  const copy = sn.layers.KSparse.fromConfig(config);
  assert.deepEqual(copy.getConfig(), layer.getConfig());
  assert.deepEqual(copy.computeOutputShape([null, 8]), [null, 8]);
});
