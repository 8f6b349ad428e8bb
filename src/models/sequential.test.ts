import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

const x = sn.tensor([
  [1, 2, 3, 4],
  [-1, 0.5, 0, 2],
]);

/** relu(x·K1 + b1)·K2 + b2 with the layers' own variables. */
function manual(d1: sn.layers.Dense, d2: sn.layers.Dense, input: sn.Tensor): number[] {
  const h = sn.relu(sn.add(sn.matmul(input, d1.kernel!), d1.bias!));
  return Array.from(sn.add(sn.matmul(h, d2.kernel!), d2.bias!).dataSync());
}

const seeded = (seed: number) => sn.initializers.glorotUniform({ seed });

function twoDense(inputShape?: number[]) {
  const d1 = sn.layers.dense({
    units: 3,
    activation: 'relu',
    kernelInitializer: seeded(1),
    biasInitializer: sn.initializers.constant({ value: 0.1 }),
    ...(inputShape ? { inputShape } : {}),
  });
  const d2 = sn.layers.dense({ units: 2, kernelInitializer: seeded(2) });
  return { d1, d2 };
}

test('a sequential built from inputShape is built at once and computes the stack', () => {
  const { d1, d2 } = twoDense([4]);
  const model = sn.sequential({ layers: [d1, d2] });
  assert.equal(model.built, true);
  assert.deepEqual(model.inputs[0]!.shape, [null, 4]);
  assert.deepEqual(model.outputs[0]!.shape, [null, 2]);
  assert.deepEqual(model.layers, [d1, d2]); // no input layer, as Keras's Sequential.layers
  assert.equal(model.getLayer(0), d1);
  assert.equal(model.countParams(), 4 * 3 + 3 + 3 * 2 + 2);
  assertClose(model.apply(x) as sn.Tensor, manual(d1, d2, x), 1e-6, [2, 2]);
});

test('a sequential built from a leading sn.input', () => {
  const { d1, d2 } = twoDense();
  const model = sn.sequential({ layers: [sn.input({ shape: [4], name: 'seq_in' }), d1, d2] });
  assert.equal(model.built, true);
  assert.equal(model.inputs[0]!.node.layer.name, 'seq_in');
  assert.deepEqual(model.layers, [d1, d2]);
  assert.deepEqual(d1.kernel!.shape, [4, 3]);
  assertClose(model.apply(x) as sn.Tensor, manual(d1, d2, x), 1e-6, [2, 2]);
});

test('a sequential without an input shape builds from the first batch', () => {
  const { d1, d2 } = twoDense();
  const model = sn.sequential({ layers: [d1, d2] });
  assert.equal(model.built, false);
  assert.equal(model.weights.length, 0);
  assert.deepEqual(model.outputs, []);
  const out = model.apply(x) as sn.Tensor;
  assert.equal(model.built, true);
  assert.deepEqual(model.inputs[0]!.shape, [null, 4]);
  assert.deepEqual(
    model.weights.map((w) => w.shape),
    [[4, 3], [3], [3, 2], [2]],
  );
  assertClose(out, manual(d1, d2, x), 1e-6, [2, 2]);
});

test('predict and fit build an unbuilt sequential too', async () => {
  const { d1, d2 } = twoDense();
  const model = sn.sequential({ layers: [d1, d2] });
  const p = model.predict(x) as sn.Tensor;
  assertClose(p, manual(d1, d2, x), 1e-6, [2, 2]);

  // 'accuracy' on one output unit is binary accuracy (threshold 0.5), also when compile and
  // evaluate come before the model knows its input shape. Kernel ones, no bias: predictions
  // are row sums 0.2 and 2 for labels 1 and 0 → both wrong → 0. (Categorical accuracy, an
  // argmax over one column, would say 1.)
  const lazy = sn.sequential({
    layers: [sn.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' })],
  });
  lazy.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy'] });
  const xs = sn.tensor([
    [0.1, 0.1],
    [1, 1],
  ]);
  const y = sn.tensor([[1], [0]]);
  assert.equal(lazy.evaluate(xs, y).accuracy, 0);

  const fitted = sn.sequential({
    layers: [sn.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' })],
  });
  fitted.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy'] });
  const history = await fitted.fit(xs, y, { epochs: 1, batchSize: 2, verbose: 0 });
  assert.deepEqual((fitted.layers[0] as sn.layers.Dense).kernel!.shape, [2, 1]);
  assert.deepEqual(history.history.accuracy, [0]); // the same predictions, before the step
});

test('add after build extends the graph', () => {
  const { d1, d2 } = twoDense([4]);
  const model = sn.sequential({ layers: [d1] });
  assert.deepEqual(model.outputs[0]!.shape, [null, 3]);
  model.add(d2);
  assert.deepEqual(model.outputs[0]!.shape, [null, 2]);
  assert.deepEqual(model.layers, [d1, d2]);
  assertClose(model.apply(x) as sn.Tensor, manual(d1, d2, x), 1e-6, [2, 2]);

  // Also after a lazy build from data.
  const lazy = twoDense();
  const m2 = sn.sequential({ layers: [lazy.d1] });
  m2.apply(x);
  m2.add(lazy.d2);
  assertClose(m2.apply(x) as sn.Tensor, manual(lazy.d1, lazy.d2, x), 1e-6, [2, 2]);
});

test('a batch of the wrong shape after building is a ShapeError naming the layer', () => {
  const { d1, d2 } = twoDense();
  const model = sn.sequential({ layers: [d1, d2] });
  model.apply(x);
  const wrong = sn.ones([2, 5]);
  assert.throws(
    () => model.apply(wrong),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      e.message.includes(`Dense '${d1.name}'`) &&
      e.message.includes('[null, 4]') &&
      e.message.includes('[2, 5]'),
  );
  // The same from inputShape.
  const built = twoDense([4]);
  const m2 = sn.sequential({ layers: [built.d1, built.d2] });
  assert.throws(
    () => m2.predict(wrong),
    (e: Error) => e instanceof sn.ShapeError && e.message.includes(`Dense '${built.d1.name}'`),
  );
  // Adding a layer whose weights were built for another size.
  const m3 = sn.sequential({ layers: [sn.layers.dense({ units: 5, inputShape: [4] })] });
  assert.throws(
    () => m3.add(built.d2),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      e.message.includes(`Dense '${built.d2.name}'`) &&
      /last dimension 3, received shape \[null, 5\]/.test(e.message),
  );
});

test('an empty sequential, a late input and a duplicate name are ConfigErrors', () => {
  const empty = sn.sequential({ name: 'hollow' });
  assert.throws(
    () => empty.apply(x),
    (e: Error) => e instanceof sn.ConfigError && /'hollow' has no layers/.test(e.message),
  );
  // The failed build leaves it usable: add a layer and call it.
  const d = sn.layers.dense({ units: 1, kernelInitializer: 'ones' });
  empty.add(d);
  assertClose(empty.apply(x) as sn.Tensor, [10, 1.5], 1e-6, [2, 1]); // row sums (bias 0)

  const model = sn.sequential({ layers: [sn.layers.dense({ units: 2, name: 'only' })] });
  assert.throws(
    () => model.add(sn.input({ shape: [2] })),
    (e: Error) =>
      e instanceof sn.ConfigError && /only the first element may be an input/.test(e.message),
  );
  assert.throws(
    () => model.add(sn.layers.dense({ units: 2, name: 'only' })),
    (e: Error) => e instanceof sn.ConfigError && /already has a layer named 'only'/.test(e.message),
  );
  assert.throws(
    () => model.add({ units: 3 } as unknown as sn.Layer),
    (e: Error) => e instanceof sn.ConfigError && /expects a layer/.test(e.message),
  );
  const compiled = sn.sequential();
  compiled.compile({ optimizer: 'sgd', loss: 'mse' });
  assert.throws(() => compiled.predict(x), sn.ConfigError);
});

test('summary lists output shapes, parameter counts, totals, regularizers and constraints', () => {
  const model = sn.sequential({
    name: 'mnist_ae',
    layers: [
      sn.layers.dense({
        units: 256,
        inputShape: [784],
        name: 'encoder',
        activation: 'sigmoid',
        kernelRegularizer: sn.regularizers.l2(0.01),
        kernelConstraint: sn.constraints.maxNorm({ maxValue: 2 }),
        activityRegularizer: sn.regularizers.l1(1e-5),
      }),
      sn.layers.batchNormalization({ name: 'bn' }),
      sn.layers.dense({ units: 10, name: 'decoder' }),
    ],
  });
  const printed: string[] = [];
  const text = model.summary({ printFn: (line) => printed.push(line) });
  assert.equal(printed.join('\n'), text);
  const row = (name: string) => printed.find((l) => l.startsWith(`${name} (`))!;
  // encoder: 784·256 + 256 = 200,960; bn: 4·256 = 1,024 (512 of them moving statistics);
  // decoder: 256·10 + 10 = 2,570. Total 204,554; non-trainable 512; trainable 204,042.
  assert.match(row('encoder'), /^encoder \(Dense\)\s+\[null, 256\]\s+200,960\s/);
  assert.match(row('bn'), /^bn \(BatchNormalization\)\s+\[null, 256\]\s+1,024$/);
  assert.match(row('decoder'), /^decoder \(Dense\)\s+\[null, 10\]\s+2,570$/);
  assert.ok(row('encoder').includes('kernel: L2'));
  assert.ok(row('encoder').includes('activity: L1'));
  assert.ok(row('encoder').includes('MaxNorm'));
  assert.ok(printed.includes('Total params: 204,554'));
  assert.ok(printed.includes('Trainable params: 204,042'));
  assert.ok(printed.includes('Non-trainable params: 512'));
  assert.ok(printed[0]!.includes("'mnist_ae'"));
});

test('summary prints with console.log by default and marks an unbuilt model', () => {
  const model = sn.sequential({ layers: [sn.layers.dense({ units: 3, name: 'later' })] });
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    model.summary();
  } finally {
    console.log = original;
  }
  assert.ok(
    lines.some((l) => /^later \(Dense\)\s+\(not built\)\s+0/.test(l)),
    lines.join('\n'),
  );
  assert.ok(lines.includes('Total params: 0'));
});

test('compile keys losses and metrics by output name before a sequential is built', async () => {
  const model = sn.sequential({
    layers: [sn.layers.dense({ units: 2 }), sn.layers.dense({ units: 1, name: 'out' })],
  });
  assert.deepEqual(model.outputNames, ['out']);
  model.compile({ optimizer: 'sgd', loss: { out: 'mse' }, metrics: { out: ['mae'] } });
  const history = await model.fit(sn.ones([4, 3]), sn.ones([4, 1]), { verbose: 0, epochs: 1 });
  assert.deepEqual(Object.keys(history.history).sort(), ['loss', 'mae', 'regularization_loss']);
  assert.throws(
    () => model.compile({ optimizer: 'sgd', loss: { nope: 'mse' } }),
    (e: unknown) => e instanceof sn.ConfigError && /'out'/.test(e.message),
  );
});
