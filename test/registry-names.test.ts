// Names that every JavaScript object answers to ('constructor', '__proto__', 'toString',
// 'hasOwnProperty') are unknown names to every registry (issue 10.8): a ConfigError (or, in a
// model file, a SerializationError) naming the value, never an accepted Object or a TypeError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sn from '../src/index.js';

const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

/** Asserts that `f` throws a `type` whose message names `name`. */
function refuses(f: () => unknown, name: string, what: string, type = sn.ConfigError): void {
  assert.throws(
    f,
    (e: unknown) => e instanceof type && (e as Error).message.includes(`"${name}"`),
    `${what} accepted ${name} or threw an untyped error`,
  );
}

function tiny(): sn.Sequential {
  return sn.sequential({ layers: [sn.layers.dense({ units: 1, inputShape: [1] })] });
}

test('every name registry refuses the names of Object.prototype', () => {
  const lookups: [string, (n: string) => unknown][] = [
    ['getOptimizer', (n) => sn.optimizers.getOptimizer(n)],
    ['getOptimizer({className})', (n) => sn.optimizers.getOptimizer({ className: n, config: {} })],
    ['getLoss', (n) => sn.losses.getLoss(n)],
    ['getMetric', (n) => sn.metrics.getMetric(n)],
    ['getActivation', (n) => sn.activations.getActivation(n as 'relu')],
    ['getInitializer', (n) => sn.initializers.getInitializer(n)],
    ['getRegularizer', (n) => sn.regularizers.getRegularizer(n as 'l2')],
    ['getConstraint', (n) => sn.constraints.getConstraint(n as 'nonNeg')],
    ['varianceScaling mode', (n) => sn.initializers.varianceScaling({ mode: n as 'fan_in' })],
    [
      'varianceScaling distribution',
      (n) => sn.initializers.varianceScaling({ distribution: n as 'uniform' }),
    ],
    ['dense activation', (n) => sn.layers.dense({ units: 1, activation: n as 'relu' })],
    ['dense kernelInitializer', (n) => sn.layers.dense({ units: 1, kernelInitializer: n })],
    ['dense kernelRegularizer', (n) => sn.layers.dense({ units: 1, kernelRegularizer: n as 'l2' })],
    [
      'dense activityRegularizer',
      (n) => sn.layers.dense({ units: 1, activityRegularizer: n as 'l2' }),
    ],
    [
      'dense kernelConstraint',
      (n) => sn.layers.dense({ units: 1, kernelConstraint: n as 'nonNeg' }),
    ],
    ['compile optimizer', (n) => tiny().compile({ optimizer: n, loss: 'mse' })],
    ['compile loss', (n) => tiny().compile({ optimizer: 'sgd', loss: n })],
  ];
  for (const [what, lookup] of lookups) {
    for (const name of NAMES) refuses(() => lookup(name), name, what);
  }
});

test('compile: a per-output record does not read inherited keys for an output named like them', () => {
  for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
    const x = sn.input({ shape: [1] });
    const y = sn.layers.dense({ units: 1, name }).apply(x) as sn.SymbolicTensor;
    const model = sn.model({ inputs: x, outputs: y });
    // The record names no output: every output falls back to the default weight 1.
    model.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: {} });
    assert.deepEqual(model.compiled!.lossWeights, [1], name);
  }
});

test('fit refuses a metric named like an Object.prototype key', async () => {
  for (const name of NAMES) {
    const m = tiny();
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: [name] });
    await assert.rejects(
      m.fit(sn.tensor([[1]]), sn.tensor([[1]]), { verbose: 0 }),
      (e: unknown) => e instanceof sn.ConfigError && (e as Error).message.includes(`"${name}"`),
    );
  }
});

test('a model file naming a class like an Object.prototype key is a SerializationError', () => {
  const artifacts = sn.io.toMemory(tiny());
  const text = JSON.stringify(artifacts.modelTopology);
  const families = [
    ['"class_name":"Dense"', 'layer'],
    ['"class_name":"GlorotUniform"', 'initializer'],
    ['"class_name":"Zeros"', 'initializer'],
  ] as const;
  for (const [spelling] of families) assert.ok(text.includes(spelling), spelling);
  for (const [spelling, family] of families) {
    for (const name of NAMES) {
      const topology = JSON.parse(text.replace(spelling, `"class_name":"${name}"`)) as object;
      assert.throws(
        () => sn.io.fromMemory({ ...artifacts, modelTopology: topology } as sn.io.ModelArtifacts),
        (e: unknown) => e instanceof sn.SerializationError && (e as Error).message.includes(name),
        `${family} ${name}`,
      );
    }
  }
});

test('a metric named like an Object.prototype key is logged under its name, as any other', async () => {
  const run = async (name: string): Promise<number[] | undefined> => {
    const m = sn.sequential({
      layers: [
        sn.layers.dense({
          units: 1,
          inputShape: [1],
          kernelInitializer: sn.initializers.constant({ value: 0.5 }),
        }),
      ],
    });
    const fn = { [name]: (t: sn.Tensor, p: sn.Tensor) => sn.abs(sn.sub(t, p)) }[name]!;
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: [fn] });
    const x = sn.tensor([[1], [2]]);
    const h = await m.fit(x, x, { epochs: 2, verbose: 0, seed: 1 });
    return Object.hasOwn(h.history, name) ? h.history[name] : undefined;
  };
  const reference = await run('absError'); // the same metric under an ordinary name
  assert.equal(reference?.length, 2);
  for (const name of NAMES) assert.deepEqual(await run(name), reference, name);
});

test('saturationFraction measures no activation named like an Object.prototype key', () => {
  for (const name of NAMES) {
    assert.equal(sn.diagnostics.saturationFraction([0.5, 0.999], name), undefined, name);
  }
  assert.equal(sn.diagnostics.saturationFraction([0.5, 0.999], 'sigmoid'), 0.5);
});

test('a custom initializer class named like an Object.prototype key is written under its name', () => {
  for (const name of NAMES) {
    class Custom extends sn.initializers.Initializer {
      static readonly className = name;
      apply(shape: readonly number[]): sn.Tensor {
        return sn.fill(shape, 0.25);
      }
      getConfig(): sn.serialization.ConfigDict {
        return {};
      }
      static override fromConfig(): Custom {
        return new Custom();
      }
    }
    const m = sn.sequential({
      layers: [sn.layers.dense({ units: 1, inputShape: [1], kernelInitializer: new Custom() })],
    });
    const text = JSON.stringify(sn.io.toMemory(m).modelTopology);
    assert.ok(text.includes(`"class_name":"${name}"`), `${name}: ${text}`);
  }
});

test('a custom optimizer class named like an Object.prototype key is written under its name', () => {
  for (const name of NAMES) {
    class Custom extends sn.optimizers.SGD {
      static override readonly className = name as 'SGD';
    }
    const m = tiny();
    m.compile({ optimizer: new Custom(), loss: 'mse' });
    const config = sn.io.toMemory(m, { includeOptimizer: true }).trainingConfig as {
      optimizer_config: { class_name: unknown };
    };
    assert.equal(config.optimizer_config.class_name, name);
  }
});
