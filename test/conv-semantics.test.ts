import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../src/index.js';
import { assertClose } from './helpers.js';

/**
 * docs/semantics.md on convolution layers (test/semantics.test.ts has the dense versions), with
 * numbers worked by hand in the comments, and the bad inputs of the conv spec: each error's
 * class and the words that tell the user what happened and what to do.
 */

const total = (losses: sn.Tensor[]): number => losses.reduce((s, l) => s + l.item(), 0);
const R = sn.regularizers;

/** Conv2D(2 filters, 2×2), kernel all ones, no bias: on ones·2 [2, 3, 3, 1] every output is 8. */
function workedConv(options: Partial<sn.layers.Conv2DOptions> = {}): sn.layers.Conv2D {
  return sn.layers.conv2d({
    filters: 2,
    kernelSize: 2,
    useBias: false,
    kernelInitializer: 'ones',
    ...options,
  });
}
const twos = () => sn.mul(sn.ones([2, 3, 3, 1]), 2);

test('rule 6 on a conv layer: the activity penalty is divided by the batch size, not by height × width', () => {
  const layer = workedConv({
    kernelRegularizer: R.l1(0.01),
    activityRegularizer: R.l2(0.01),
  });
  const y = layer.apply(twos());
  // Each output: Σ over the 2×2 window of 2 · 1 = 8; output [2, 2, 2, 2] (16 values).
  assertClose(y, new Array(16).fill(8), 1e-6, [2, 2, 2, 2]);
  const terms = Object.fromEntries(layer.lossTerms().map((t) => [t.name, t.value.item()]));
  // kernel: 0.01 · Σ|1| over 2·2·1·2 = 8 entries = 0.08.
  assertClose(sn.scalar(terms[`${layer.name}/kernel`]!), 0.08, 1e-6);
  // activity: 0.01 · 16 · 8² = 10.24, / batch 2 = 5.12 (per position it would be 10.24 / 8 = 1.28).
  assertClose(sn.scalar(terms[`${layer.name}/activity`]!), 5.12, 1e-6);
  assertClose(sn.scalar(total(layer.losses)), 5.2, 1e-6);
});

test("rule 8 on a conv layer: activityRegularizerReduction 'sum' does not divide", () => {
  const layer = workedConv({
    activityRegularizer: R.l2(0.01),
    activityRegularizerReduction: 'sum',
  });
  layer.apply(twos());
  assertClose(sn.scalar(total(layer.losses)), 10.24, 1e-6); // 0.01 · 16 · 64
});

test('rule 12: a frozen conv layer (or its kernel) is not penalised', () => {
  const layer = workedConv({ kernelRegularizer: R.l1(0.01) });
  const model = sn.sequential({ layers: [layer] });
  model.apply(twos());
  assertClose(sn.scalar(total(model.losses)), 0.08, 1e-6);
  layer.trainable = false;
  assert.equal(total(model.losses), 0);
  assert.equal(model.trainableWeights.length, 0);
  layer.trainable = true;
  layer.kernel!.trainable = false;
  assert.equal(total(model.losses), 0);
  layer.kernel!.trainable = true;
  assertClose(sn.scalar(total(model.losses)), 0.08, 1e-6);
});

test("rules 9 and 11: a shared conv layer's kernel is counted once, its activity once per call", () => {
  const shared = workedConv({
    kernelRegularizer: R.l1(0.01),
    activityRegularizer: R.l2(0.01),
  });
  const a = sn.input({ shape: [3, 3, 1] });
  const b = sn.input({ shape: [3, 3, 1] });
  const m = sn.model({ inputs: [a, b], outputs: [shared.apply(a), shared.apply(b)] });
  m.apply([twos(), sn.ones([2, 3, 3, 1])]);
  // call 1: 5.12 (outputs 8); call 2: outputs 4 → 0.01 · 16 · 16 / 2 = 1.28; kernel once: 0.08.
  const terms = m.lossTerms().map((t) => [t.name, t.value.item()] as const);
  assert.equal(terms.filter(([n]) => n === `${shared.name}/activity`).length, 2);
  assert.equal(terms.filter(([n]) => n === `${shared.name}/kernel`).length, 1);
  assertClose(sn.scalar(total(m.losses)), 5.12 + 1.28 + 0.08, 1e-6);
  assertClose(sn.scalar(m.regularizationLosses()[`${shared.name}/activity`]!), 6.4, 1e-6);
});

test('depthwise and pointwise regularizers are named after their weights and summed', () => {
  const separable = sn.layers.separableConv2d({
    filters: 3,
    kernelSize: 3,
    depthMultiplier: 1,
    depthwiseInitializer: 'ones',
    pointwiseInitializer: 'ones',
    biasInitializer: 'ones',
    depthwiseRegularizer: R.l1(0.01),
    pointwiseRegularizer: R.l2(0.1),
    biasRegularizer: R.l1(0.5),
    inputShape: [4, 4, 2],
  });
  const depthwise = sn.layers.depthwiseConv2d({
    kernelSize: 2,
    depthMultiplier: 2,
    depthwiseInitializer: 'ones',
    depthwiseRegularizer: R.l2(0.02),
  });
  const conv = sn.layers.conv2d({
    filters: 1,
    kernelSize: 1,
    kernelInitializer: 'ones',
    kernelRegularizer: R.l2(0.5),
  });
  assert.match(separable.name, /^separable_conv2d(_\d+)?$/);
  assert.match(depthwise.name, /^depthwise_conv2d(_\d+)?$/);
  assert.match(conv.name, /^conv2d(_\d+)?$/);
  const model = sn.sequential({ layers: [separable, depthwise, conv] });
  model.apply(sn.ones([1, 4, 4, 2]));
  const losses = model.regularizationLosses();
  const expected = {
    // 0.01 · Σ|1| over [3, 3, 2, 1] = 0.18
    [`${separable.name}/depthwise_kernel`]: 0.18,
    // 0.1 · Σ1² over [1, 1, 2, 3] = 0.6
    [`${separable.name}/pointwise_kernel`]: 0.6,
    // 0.5 · Σ|1| over [3] = 1.5
    [`${separable.name}/bias`]: 1.5,
    // 0.02 · Σ1² over [2, 2, 3, 2] = 0.48
    [`${depthwise.name}/depthwise_kernel`]: 0.48,
    // 0.5 · Σ1² over [1, 1, 6, 1] = 3
    [`${conv.name}/kernel`]: 3,
  };
  assert.deepEqual(Object.keys(losses).sort(), Object.keys(expected).sort());
  for (const [name, value] of Object.entries(expected)) {
    assertClose(sn.scalar(losses[name]!), value, 1e-6);
  }
  assertClose(sn.scalar(total(model.losses)), 0.18 + 0.6 + 1.5 + 0.48 + 3, 1e-6);
  // Rule 10: settable after build.
  separable.pointwiseRegularizer = undefined;
  assertClose(sn.scalar(total(model.losses)), 0.18 + 1.5 + 0.48 + 3, 1e-6);
});

test('default names follow Keras (conv1d, conv2d, conv2d_transpose, depthwise_conv2d, separable_conv2d)', () => {
  const names = [
    sn.layers.conv1d({ filters: 1, kernelSize: 1 }),
    sn.layers.conv2d({ filters: 1, kernelSize: 1 }),
    sn.layers.conv2dTranspose({ filters: 1, kernelSize: 1 }),
    sn.layers.depthwiseConv2d({ kernelSize: 1 }),
    sn.layers.separableConv2d({ filters: 1, kernelSize: 1 }),
  ].map((l) => l.name.replace(/_\d+$/, ''));
  assert.deepEqual(names, [
    'conv1d',
    'conv2d',
    'conv2d_transpose',
    'depthwise_conv2d',
    'separable_conv2d',
  ]);
  // The rest of issue 12's layers, with the names Keras's to_snake_case gives their classes.
  const more = [
    sn.layers.prelu(),
    sn.layers.maxPooling2d({ poolSize: 2 }),
    sn.layers.globalAveragePooling1d(),
    sn.layers.upSampling2d(),
    sn.layers.zeroPadding2d(),
    sn.layers.layerNormalization(),
    sn.layers.reLU(),
  ].map((l) => l.name.replace(/_\d+$/, ''));
  assert.deepEqual(more, [
    'p_re_lu',
    'max_pooling2d',
    'global_average_pooling1d',
    'up_sampling2d',
    'zero_padding2d',
    'layer_normalization',
    're_lu',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Bad inputs: class and key words.

function throwsWith(
  fn: () => unknown,
  cls: new (...args: never[]) => Error,
  words: (string | RegExp)[],
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, received ${String(e)}`);
    for (const w of words) {
      if (typeof w === 'string') assert.ok(e.message.includes(w), `"${w}" in: ${e.message}`);
      else assert.match(e.message, w);
    }
    return true;
  });
}

test('a 3-D input to conv2d: rank expected, shape received, the fix', () => {
  const layer = sn.layers.conv2d({ filters: 2, kernelSize: 3, name: 'c2' });
  throwsWith(() => layer.apply(sn.ones([5, 5, 3])), sn.ShapeError, [
    "Conv2D 'c2'",
    'expected rank 4 [batch, height, width, channels]',
    'received shape [5, 5, 3]',
    'add a batch axis',
    'conv1d',
  ]);
  const c1 = sn.layers.conv1d({ filters: 2, kernelSize: 3, name: 'c1' });
  throwsWith(() => c1.apply(sn.ones([1, 5, 5, 3])), sn.ShapeError, [
    "Conv1D 'c1'",
    'expected rank 3 [batch, steps, channels]',
    'use conv2d',
  ]);
  // Symbolic: the same check when a model is built.
  throwsWith(
    () => sn.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(sn.input({ shape: [5, 3] })),
    sn.ShapeError,
    ['expected rank 4', '[null, 5, 3]'],
  );
});

test('channels that do not match the built kernel name the layer, the kernel and the shape', () => {
  const layer = sn.layers.conv2d({ filters: 2, kernelSize: 3, name: 'rgb' });
  layer.apply(sn.ones([1, 5, 5, 3]));
  throwsWith(() => layer.apply(sn.ones([1, 5, 5, 4])), sn.ShapeError, [
    "Conv2D 'rgb'",
    'built for 3 input channels',
    'kernel [3, 3, 3, 2]',
    '[1, 5, 5, 4]',
    '4 channels',
  ]);
  const first = sn.layers.depthwiseConv2d({ kernelSize: 1, dataFormat: 'channelsFirst' });
  first.apply(sn.ones([1, 2, 3, 3]));
  throwsWith(() => first.apply(sn.ones([1, 3, 3, 3])), sn.ShapeError, [
    'built for 2 input channels',
    'depthwise_kernel [1, 1, 2, 1]',
    'axis 1 (channelsFirst)',
  ]);
});

test('a window larger than the input under valid padding', () => {
  const layer = sn.layers.conv2d({ filters: 1, kernelSize: 3, dilationRate: 2, name: 'big' });
  throwsWith(() => layer.apply(sn.ones([1, 4, 4, 1])), sn.ShapeError, [
    "'big'",
    '5×5',
    'padding',
    "'same'",
  ]);
  throwsWith(
    () => sn.layers.conv2d({ filters: 1, kernelSize: 5 }).apply(sn.input({ shape: [3, 8, 1] })),
    sn.ShapeError,
    ['the window spans 5×5', 'only 3×8', "padding: 'same'"],
  );
});

test('bad options: ConfigErrors naming the layer, the option and the value', () => {
  const L = sn.layers;
  throwsWith(() => L.conv2d({ filters: 2, kernelSize: 3, strides: 0 }), sn.ConfigError, [
    'Conv2D',
    'strides',
    'whole number >= 1',
  ]);
  throwsWith(() => L.conv2d({ filters: 2, kernelSize: 3, dilationRate: [1, 0] }), sn.ConfigError, [
    'dilationRate',
  ]);
  throwsWith(
    () => L.conv2d({ filters: 2, kernelSize: 3, padding: 'sme' as 'same' }),
    sn.ConfigError,
    ['padding', "'valid' or 'same'", 'sme'],
  );
  throwsWith(
    () => L.conv1d({ filters: 2, kernelSize: 3, padding: 'causal' as 'same' }),
    sn.ConfigError,
    ["'causal' is not supported"],
  );
  throwsWith(() => L.conv2d({ filters: 0, kernelSize: 3 }), sn.ConfigError, [
    'filters must be a positive integer',
  ]);
  throwsWith(() => L.conv2d({ filters: 2 } as sn.layers.Conv2DOptions), sn.ConfigError, [
    'kernelSize',
  ]);
  throwsWith(() => L.conv2d({ filters: 2, kernelSize: [3, 3, 3] }), sn.ConfigError, [
    'kernelSize',
    'pair',
  ]);
  throwsWith(
    () => L.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'NHWC' as 'channelsLast' }),
    sn.ConfigError,
    ['dataFormat', "'channelsLast'"],
  );
  throwsWith(
    () => L.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }),
    sn.ConfigError,
    ['strides > 1 together with dilationRate > 1'],
  );
  throwsWith(
    () => L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, outputPadding: 2 }),
    sn.ConfigError,
    ['outputPadding', 'smaller than the stride'],
  );
  throwsWith(() => L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 }), sn.ConfigError, [
    'depthMultiplier',
  ]);
  throwsWith(
    () => L.separableConv2d({ filters: 2, kernelSize: 3, kernelRegularizer: 'l2' } as never),
    sn.ConfigError,
    ['kernelRegularizer'],
  );
  throwsWith(() => L.conv2d({ filters: 2, kernelSise: 3 } as never), sn.ConfigError, [
    'kernelSise',
    'kernelSize',
  ]);
});

test("a Keras config with groups > 1 is refused; groups: 1 and 'channels_first' are read", () => {
  const cls = sn.layers.Conv2D;
  throwsWith(() => cls.fromConfig({ filters: 4, kernelSize: [3, 3], groups: 2 }), sn.ConfigError, [
    'groups',
    'not supported',
  ]);
  const layer = cls.fromConfig({
    filters: 4,
    kernelSize: [3, 3],
    groups: 1,
    dataFormat: 'channels_first',
  });
  assert.equal(layer.dataFormat, 'channelsFirst');
  assert.deepEqual(layer.apply(sn.ones([1, 2, 5, 5])).shape, [1, 4, 3, 3]);
});

test('computeOutputShape (used to build models) agrees with the shape the op computes', () => {
  const L = sn.layers;
  const grid: [string, () => sn.Layer, number[]][] = [];
  for (const padding of ['valid', 'same'] as const) {
    for (const [strides, dilationRate] of [
      [1, 1],
      [2, 1],
      [3, 1],
      [1, 2],
    ] as const) {
      const o = { kernelSize: 3, padding, strides, dilationRate };
      grid.push(
        [
          `conv1d ${padding} s${strides} d${dilationRate}`,
          () => L.conv1d({ filters: 2, ...o }),
          [2, 11, 3],
        ],
        [
          `conv2d ${padding} s${strides} d${dilationRate}`,
          () => L.conv2d({ filters: 2, ...o }),
          [2, 9, 8, 3],
        ],
        [
          `conv2d channelsFirst ${padding} s${strides} d${dilationRate}`,
          () => L.conv2d({ filters: 2, dataFormat: 'channelsFirst', ...o }),
          [2, 3, 9, 8],
        ],
        [
          `conv2dTranspose ${padding} s${strides} d${dilationRate}`,
          () => L.conv2dTranspose({ filters: 2, ...o }),
          [2, 4, 5, 3],
        ],
        [
          `depthwiseConv2d ${padding} s${strides} d${dilationRate}`,
          () => L.depthwiseConv2d({ depthMultiplier: 2, ...o }),
          [2, 9, 8, 3],
        ],
        [
          `separableConv2d ${padding} s${strides} d${dilationRate}`,
          () => L.separableConv2d({ filters: 2, ...o }),
          [2, 9, 8, 3],
        ],
      );
      if (strides > 1) {
        grid.push([
          `conv2dTranspose ${padding} s${strides} outputPadding 1`,
          () => L.conv2dTranspose({ filters: 2, ...o, outputPadding: 1 }),
          [2, 4, 5, 3],
        ]);
      }
    }
  }
  for (const [name, make, shape] of grid) {
    const layer = make();
    const y = layer.apply(sn.ones(shape));
    assert.deepEqual(
      layer.computeOutputShape([null, ...shape.slice(1)]),
      [null, ...y.shape.slice(1)],
      name,
    );
  }
});
