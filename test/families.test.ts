import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as sn from '../src/index.js';
import { isInstance } from '../src/serialization.js';

/**
 * One recipe for every pluggable family: the same files in every folder, one resolver
 * (Registry.resolve) behind every getX, one default fromConfig. The expected values below are
 * written by hand from each class's documented options.
 */

const FAMILIES: [folder: string, base: string][] = [
  ['regularizers', 'regularizer.ts'],
  ['initializers', 'initializer.ts'],
  ['constraints', 'constraint.ts'],
  ['activations', 'activation.ts'],
  ['losses', 'loss.ts'],
  ['metrics', 'metric.ts'],
  ['optimizers', 'optimizer.ts'],
  ['optimizers/schedules', 'schedule.ts'],
  ['layers', 'layer.ts'],
];

test('every family folder has its base class file, get.ts and index.ts', () => {
  for (const [folder, base] of FAMILIES) {
    for (const file of [base, 'get.ts', 'index.ts']) {
      const path = new URL(`../src/${folder}/${file}`, import.meta.url);
      assert.ok(existsSync(path), `src/${folder}/${file} is missing`);
    }
  }
});

test("every getX reads Keras's { class_name, config } and the in-memory { className, config }", () => {
  const l2 = sn.regularizers.getRegularizer({ class_name: 'L2', config: { l2: 0.5 } });
  assert.ok(l2 instanceof sn.regularizers.L2);
  assert.equal(l2.l2, 0.5);
  const c = sn.constraints.getConstraint({ className: 'MaxNorm', config: { maxValue: 3 } });
  assert.deepEqual(c.getConfig(), { maxValue: 3, axis: 0 });
  const init = sn.initializers.getInitializer({ class_name: 'Constant', config: { value: 2 } });
  assert.deepEqual(init.apply([2]).arraySync(), [2, 2]);
  const elu = sn.activations.getActivation({ class_name: 'elu', config: { alpha: 0.5 } });
  assert.ok(elu instanceof sn.activations.Elu);
  assert.equal(elu.alpha, 0.5);
  const huber = sn.losses.getLoss({ className: 'Huber', config: { delta: 2 } });
  assert.ok(huber instanceof sn.losses.Huber);
  assert.equal(huber.delta, 2);
  const auc = sn.metrics.getMetric({ class_name: 'AUC', config: { numThresholds: 50 } });
  assert.ok(auc instanceof sn.metrics.AUC);
  assert.equal(auc.numThresholds, 50);
  const sgd = sn.optimizers.getOptimizer({ class_name: 'SGD', config: { learningRate: 0.25 } });
  assert.equal(sgd.currentLearningRate(), 0.25);
});

test('every getX refuses a class where an instance belongs, naming the class', () => {
  const cases: [string, () => unknown][] = [
    ['MaxNorm', () => sn.constraints.getConstraint(sn.constraints.MaxNorm as never)],
    ['Zeros', () => sn.initializers.getInitializer(sn.initializers.Zeros as never)],
    ['Relu', () => sn.activations.getActivation(sn.activations.Relu as never)],
    ['Huber', () => sn.losses.getLoss(sn.losses.Huber as never)],
    ['AUC', () => sn.metrics.getMetric(sn.metrics.AUC as never)],
    ['Adam', () => sn.optimizers.getOptimizer(sn.optimizers.Adam as never)],
  ];
  for (const [name, call] of cases) {
    assert.throws(
      call,
      (e: Error) =>
        e instanceof sn.ConfigError &&
        e.message.includes(`received the class ${name}, not an instance`),
      name,
    );
  }
});

test('an unknown name lists the accepted names, quoted, in one message form', () => {
  const cases: [string, () => unknown, string][] = [
    ['constraint', () => sn.constraints.getConstraint('clip' as never), "'maxNorm', 'max_norm'"],
    ['initializer', () => sn.initializers.getInitializer('xavier'), "'zeros', 'ones'"],
    ['activation', () => sn.activations.getActivation('swishy'), "'elu'"],
    ['loss', () => sn.losses.getLoss('msee'), "'mse'"],
    ['metric', () => sn.metrics.getMetric('acuracy'), "'accuracy', 'acc'"],
    ['optimizer', () => sn.optimizers.getOptimizer('adamm'), "'sgd', 'adam'"],
  ];
  for (const [kind, call, names] of cases) {
    assert.throws(
      call,
      (e: Error) =>
        e instanceof sn.ConfigError &&
        e.message.startsWith(`Unknown ${kind} "`) &&
        e.message.includes('; use one of ') &&
        e.message.includes(names),
      kind,
    );
  }
});

test('getLoss, getMetric and getOptimizer require an identifier; the others resolve none to undefined', () => {
  for (const call of [
    () => sn.losses.getLoss(undefined as never),
    () => sn.metrics.getMetric(null as never),
    () => sn.optimizers.getOptimizer(undefined as never),
  ]) {
    assert.throws(
      call,
      (e: Error) =>
        e instanceof sn.ConfigError && /received undefined|received null/.test(e.message),
    );
  }
  assert.equal(sn.constraints.getConstraint(undefined), undefined);
  assert.equal(sn.initializers.getInitializer(null), undefined);
  assert.ok(sn.activations.getActivation(undefined) instanceof sn.activations.Linear);
});

test('the default fromConfig drops nulls and keys a class does not know (with a warning)', () => {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  try {
    const l1 = sn.regularizers.L1.fromConfig({ l1: null, extra: 1 });
    assert.ok(l1 instanceof sn.regularizers.L1);
    assert.equal(l1.l1, 0.01, 'null means the default');
    const dense = sn.layers.Dense.fromConfig({ units: 3, activation: 'relu', bogus: false });
    assert.ok(dense instanceof sn.layers.Dense);
    assert.equal(dense.units, 3);
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings[0]!, /"extra"/);
  assert.match(warnings[1]!, /"bogus"/);
});

test('isInstance is instanceof for any family class, abstract or with a protected constructor', () => {
  assert.equal(isInstance(sn.optimizers.Optimizer, sn.optimizers.adam()), true);
  assert.equal(isInstance(sn.optimizers.Optimizer, sn.losses.meanSquaredError()), false);
  assert.equal(isInstance(sn.layers.Layer, sn.layers.Layer.prototype), false);
  assert.equal(isInstance(sn.layers.Layer, null), false);
  assert.equal(isInstance(sn.layers.Layer, 3), false);
});
