/**
 * The playground's configuration rules (playground/config.ts), without a browser: what the
 * URL and the fields accept, the messages for what they refuse, and the lab presets. Expected
 * values are written by hand from the issue and cli/lab/variants.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CONFIG_KEYS,
  DEFAULT_CONFIG,
  fromSearch,
  parseConfig,
  presetConfig,
  PRESETS,
  toSearch,
} from '../playground/config.js';
import { batchStart, codeSnippet } from '../playground/model.js';

test('a configuration survives the URL: every key written, every value read back', () => {
  const config = {
    ...DEFAULT_CONFIG,
    units: 64,
    activation: 'tanh' as const,
    kernelRegularizer: 'l1l2' as const,
    kernelCoef: 2e-4,
    activityRegularizer: 'ksparse' as const,
    k: 10,
    activityOn: 'preactivation' as const,
    inputScale: 12.5,
    optimizer: 'sgd' as const,
    seed: 42,
  };
  const search = toSearch(config);
  assert.deepEqual([...new URLSearchParams(search).keys()], CONFIG_KEYS);
  assert.deepEqual(fromSearch(search), { config, errors: {} });
});

test('refused values keep the default and say what was received and what is expected', () => {
  const { config, errors } = parseConfig({
    kernelCoef: 'abc',
    activityCoef: '-1',
    learningRate: '1e9',
    units: '2.5',
    activation: 'banana',
    seed: '',
  });
  assert.equal(config.kernelCoef, DEFAULT_CONFIG.kernelCoef);
  assert.equal(config.activation, 'sigmoid');
  assert.equal(errors.kernelCoef, '"abc" is not a number; expected a coefficient from 1e-8 to 1.');
  assert.equal(errors.activityCoef, '-1 is out of range; expected a coefficient from 1e-8 to 1.');
  assert.equal(
    errors.learningRate,
    '1000000000 is out of range; expected a learning rate from 0.000001 to 1.',
  );
  assert.equal(errors.units, '2.5 is not a whole number; expected code units from 2 to 784.');
  assert.equal(errors.activation, '"banana" is not one of sigmoid, relu, tanh.');
  assert.match(errors.seed!, /is not a number/);
  assert.equal(parseConfig({ inputScale: 'Infinity' }).errors.inputScale !== undefined, true);
});

test('k larger than the code size is refused only for a k-sparse code', () => {
  const bad = parseConfig({ units: '32', k: '40', activityRegularizer: 'ksparse' });
  assert.equal(bad.errors.k, 'k = 40 is larger than the code size 32; expected 1 to 32.');
  assert.deepEqual(parseConfig({ units: '32', k: '40', activityRegularizer: 'l1' }).errors, {});
  assert.deepEqual(
    parseConfig({ units: '32', k: '32', activityRegularizer: 'ksparse' }).errors,
    {},
  );
});

test("the presets are the lab's seven variants and the conv lab's baseline, on the seed given", () => {
  assert.deepEqual(Object.keys(PRESETS), [
    'none',
    'kernel-l2',
    'activity-l1',
    'kl',
    'ksparse',
    'saturate',
    'saturate-activity',
    'conv',
  ]);
  const fix = presetConfig('saturate-activity', 9);
  assert.equal(fix.seed, 9);
  assert.equal(fix.inputScale, 50);
  assert.equal(fix.activityOn, 'preactivation');
  assert.deepEqual([fix.activityRegularizer, fix.activityCoef], ['l2', 1e-5]);
  assert.deepEqual(presetConfig('none'), { ...DEFAULT_CONFIG });
  // cli/lab/conv-variants.ts: 8 code channels, k = 1 channel kept for k-sparse.
  assert.deepEqual(presetConfig('conv', 3), {
    ...DEFAULT_CONFIG,
    model: 'conv',
    units: 8,
    k: 1,
    seed: 3,
  });
});

test('the model kind lives in the URL; the conv model refuses more than 32 code channels', () => {
  const config = { ...presetConfig('conv'), activityRegularizer: 'l1' as const, seed: 4 };
  const search = toSearch(config);
  assert.equal(new URLSearchParams(search).get('model'), 'conv');
  assert.deepEqual(fromSearch(search), { config, errors: {} });
  assert.equal(fromSearch('model=cnn').errors.model, '"cnn" is not one of dense, conv.');
  assert.equal(
    parseConfig({ model: 'conv', units: '64' }).errors.units,
    '64 code channels is too many for the conv model; expected 2 to 32.',
  );
  assert.deepEqual(parseConfig({ model: 'dense', units: '64' }).errors, {});
});

test('batches run in order over the 4,000 training digits, the last partial batch skipped', () => {
  assert.deepEqual(
    [0, 1, 30, 31, 32].map((s) => batchStart(s, 128)),
    [0, 128, 3840, 0, 128],
  );
  assert.equal(batchStart(7, 1000), 3000);
  const code = codeSnippet({ ...DEFAULT_CONFIG, kernelRegularizer: 'l2', kernelCoef: 0.001 }, 5);
  assert.match(code, /kernelRegularizer: sn\.regularizers\.l2\(0\.001\)/);
  assert.match(code, /step < 5;/);
  assert.doesNotMatch(code, /activityRegularizer/);
  const conv = codeSnippet({ ...presetConfig('conv', 2), activityRegularizer: 'l1' }, 5);
  // The conv lab's layers, seeds as cli/lab/conv-variants.ts (encoder seed, decoder +1, conv1 +2).
  assert.deepEqual(
    [...conv.matchAll(/sn\.layers\.(\w+)\(\{\s*name: '(\w+)'/g)].map((m) => `${m[1]} ${m[2]}`),
    [
      'reshape image',
      'conv2d conv1',
      'maxPooling2d pool',
      'conv2d encoder',
      'upSampling2d upsample',
      'conv2d decoder',
      'reshape pixels',
    ],
  );
  const encoder = conv.slice(conv.indexOf("name: 'encoder'"), conv.indexOf('upSampling2d'));
  assert.match(encoder, /filters: 8,/);
  assert.match(encoder, /activityRegularizer: sn\.regularizers\.l1\(0\.001\)/);
  assert.deepEqual(
    [...conv.matchAll(/glorotUniform\(\{ seed: (\d+) \}\)/g)].map((m) => Number(m[1])),
    [4, 2, 3],
  );
});
