import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { assertClose, lcg } from './helpers.js';
import { weightBytes } from './fixtures/checkpoint-model.js';

/**
 * Subclassed models and layers (issue 11, part 1), as Keras 3 and PyTorch users write them:
 * layers kept in fields, arrays and plain objects are the model's, with their weights,
 * penalties (docs/semantics.md rules 9–12), summary rows, saved weights and checkpoints; a
 * `trainStep` override runs inside fit; weights nobody can find are an error. Oracles: sums
 * of squares computed here from the weights' values, hand-computed activity penalties, the
 * values written to disk read back, an uninterrupted run.
 */

const root = mkdtempSync(join(tmpdir(), 'sinew-subclass-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `dir-${++dirs}`);

/** The program. */
class AE extends sn.Model {
  enc: sn.layers.Dense;
  dec: sn.layers.Dense;
  constructor(decUnits = 6) {
    super();
    this.enc = sn.layers.dense({
      units: 4,
      activation: 'sigmoid',
      kernelRegularizer: sn.regularizers.l2(1),
    });
    this.dec = sn.layers.dense({ units: decUnits });
  }
  override call(x: sn.Tensor): sn.Tensor {
    return this.dec.apply(this.enc.apply(x));
  }
}

const X = sn.tensor(lcg(32 * 6, 3, -1, 1), [32, 6]);

function sumOfSquares(t: sn.Tensor): number {
  return Array.from(t.dataSync()).reduce((s, v) => s + v * v, 0);
}

test("the issue's subclassed autoencoder trains, and its l2(1) penalty is in the logs", async () => {
  sn.setSeed(1);
  const ae = new AE();
  ae.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
  const history = await ae.fit(X, X, { epochs: 15, batchSize: 8, seed: 2, verbose: 0 });
  const loss = history.history.loss!;
  assert.ok(loss[14]! < 0.8 * loss[0]!, `loss must fall: ${loss.join(', ')}`);
  assert.deepEqual(ae.layers, [ae.enc, ae.dec]);
  assert.deepEqual(
    ae.trainableWeights.map((w) => w.name),
    [
      `${ae.enc.name}/kernel`,
      `${ae.enc.name}/bias`,
      `${ae.dec.name}/kernel`,
      `${ae.dec.name}/bias`,
    ],
  );
  assert.ok(history.history.regularization_loss!.every((r) => r > 0));

  // The penalty by hand: 1 · Σ w² of the encoder's kernel, the only regularized weight.
  const penalty = sumOfSquares(ae.enc.kernel!);
  const terms = ae.regularizationLosses();
  assert.deepEqual(Object.keys(terms), [`${ae.enc.name}/kernel`]);
  assertClose(sn.scalar(terms[`${ae.enc.name}/kernel`]!), penalty, 1e-5);
  assert.equal(ae.losses.length, 1);
  assertClose(sn.scalar(ae.evaluate(X, X).regularization_loss!), penalty, 1e-5);
  // A step's regularization_loss is the penalty of the weights it started from.
  const before = sumOfSquares(ae.enc.kernel!);
  assertClose(sn.scalar(ae.trainOnBatch(X, X).regularization_loss!), before, 1e-5);
  assert.notEqual(sumOfSquares(ae.enc.kernel!), before, 'the step changed the kernel');
});

test('summary lists the layers a subclassed model keeps in its fields', () => {
  const ae = new AE();
  ae.predict(sn.slice(X, [0, 0], { size: [2, 6] }));
  const lines: string[] = [];
  ae.summary({ printFn: (l) => lines.push(l) });
  assert.match(lines[0]!, new RegExp(`^Model: '${ae.name}' \\(AE\\)$`));
  const row = (layer: sn.Layer) => lines.find((l) => l.startsWith(`${layer.name} (Dense)`));
  // 6·4 + 4 and 4·6 + 6 parameters.
  assert.match(row(ae.enc) ?? '', /\?\s+28\s+kernel: L2\(l2=1\)$/);
  assert.match(row(ae.dec) ?? '', /\?\s+30$/);
  assert.ok(lines.includes('Total params: 58'));
});

class Shared extends sn.Model {
  d: sn.layers.Dense;
  alias: sn.layers.Dense[];
  frozen: sn.layers.Dense;
  constructor() {
    super({ name: 'shared' });
    this.d = sn.layers.dense({
      units: 2,
      useBias: false,
      kernelInitializer: 'ones',
      kernelRegularizer: sn.regularizers.l2(0.5),
      activityRegularizer: sn.regularizers.l1(1),
    });
    this.alias = [this.d];
    this.frozen = sn.layers.dense({
      units: 2,
      kernelInitializer: 'ones',
      kernelRegularizer: sn.regularizers.l2(1),
    });
    this.frozen.trainable = false;
  }
  override call(x: sn.Tensor): sn.Tensor {
    return this.frozen.apply(this.d.apply(this.d.apply(x)));
  }
}

test('a subclassed model keeps SEMANTICS rules 9-12 for the layers in its fields', () => {
  const model = new Shared();
  assert.equal(model.name, 'shared');
  const x = sn.ones([4, 2]);
  model.apply(x);
  model.apply(x);
  // Rule 9: the latest outermost pass only, one activity term per call of the shared layer:
  // d(x) is all 2s (Σ|y| = 16, / batch 4 = 4), d(d(x)) all 4s (32 / 4 = 8).
  // Rule 11: d is in two fields, its kernel penalised once: 0.5 · Σ 1² over 2×2 = 2.
  // Rule 12: the frozen layer's l2 is not counted, and its weights are not trainable.
  const terms = model.lossTerms().map((t) => [t.name, t.value.item()]);
  assert.deepEqual(terms, [
    [`${model.d.name}/activity`, 4],
    [`${model.d.name}/activity`, 8],
    [`${model.d.name}/kernel`, 2],
  ]);
  assert.deepEqual(model.regularizationLosses(), {
    [`${model.d.name}/activity`]: 12,
    [`${model.d.name}/kernel`]: 2,
  });
  assert.deepEqual(
    model.weights.map((w) => w.name),
    [`${model.d.name}/kernel`, `${model.frozen.name}/kernel`, `${model.frozen.name}/bias`],
  );
  assert.deepEqual(
    model.trainableWeights.map((w) => w.name),
    [`${model.d.name}/kernel`],
  );
});

/** A layer of layers, kept in an array. */
class Block extends sn.Layer {
  parts: sn.layers.Dense[];
  constructor(units: number) {
    super();
    this.parts = [sn.layers.dense({ units, activation: 'tanh' }), sn.layers.dense({ units })];
  }
  override call(x: sn.Tensor): sn.Tensor {
    return this.parts[1]!.apply(this.parts[0]!.apply(x));
  }
}

/** Blocks in an array, a head in a plain object. */
class Net extends sn.Model {
  blocks: Block[];
  heads: { out: sn.layers.Dense };
  constructor() {
    super();
    this.blocks = [new Block(4), new Block(4)];
    this.heads = { out: sn.layers.dense({ units: 1 }) };
  }
  override call(x: sn.Tensor): sn.Tensor {
    let h = x;
    for (const block of this.blocks) h = block.apply(h);
    return this.heads.out.apply(h);
  }
}

test('nested subclasses, arrays and plain objects of layers: weights in field order, all trained', async () => {
  sn.setSeed(4);
  const net = new Net();
  const y = sn.sum(X, 1, { keepDims: true });
  net.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.05 }), loss: 'mse' });
  const dense = [...net.blocks.flatMap((b) => b.parts), net.heads.out];
  const names = dense.flatMap((d) => [`${d.name}/kernel`, `${d.name}/bias`]);
  await net.fit(X, y, { epochs: 1, batchSize: 32, verbose: 0 });
  assert.deepEqual(
    net.weights.map((w) => w.name),
    names,
  );
  assert.deepEqual(
    net.layers.map((l) => l.className),
    ['Block', 'Block', 'Dense'],
  );
  const before = net.getWeights().map((w) => Array.from(w.dataSync()));
  const history = await net.fit(X, y, { epochs: 5, batchSize: 8, verbose: 0 });
  net.getWeights().forEach((w, i) => {
    assert.notDeepEqual(Array.from(w.dataSync()), before[i], `${names[i]} trained`);
  });
  assert.ok(history.history.loss![4]! < history.history.loss![0]!);

  // Freezing a custom layer freezes the layers in its fields: they no longer change.
  net.blocks[0]!.trainable = false;
  assert.equal(net.trainableWeights.length, 6);
  const frozen = net.blocks[0]!.getWeights().map((w) => Array.from(w.dataSync()));
  await net.fit(X, y, { epochs: 1, batchSize: 8, verbose: 0 });
  assert.deepEqual(
    net.blocks[0]!.getWeights().map((w) => Array.from(w.dataSync())),
    frozen,
  );
});

test('weights nobody can find are an error naming them, never a silent no-op', async () => {
  class InMap extends sn.Model {
    byName = new Map([['a', sn.layers.dense({ units: 6 })]]);
    override call(x: sn.Tensor): sn.Tensor {
      return this.byName.get('a')!.apply(x);
    }
  }
  const inMap = new InMap();
  assert.throws(
    () => inMap.trainableWeights,
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /InMap '[a-z_0-9]+' keeps layers in a Map or Set \(Dense '[a-z_0-9]+' in this\.byName\.get\("a"\)\).*Fix: keep them in a field, an array or a plain object/.test(
        e.message,
      ),
  );

  const hidden = sn.layers.dense({ units: 6 });
  hidden.apply(X);
  const initial = Array.from(hidden.kernel!.dataSync());
  class InClosure extends sn.Model {
    override call(x: sn.Tensor): sn.Tensor {
      return hidden.apply(x);
    }
  }
  class InCall extends sn.Model {
    override call(x: sn.Tensor): sn.Tensor {
      return sn.matmul(x, sn.variable(sn.ones([6, 6])));
    }
  }
  const cases: [sn.Model, RegExp][] = [
    [
      new InClosure(),
      new RegExp(`'${hidden.name}/kernel' \\(a weight of Dense '${hidden.name}'\\)`),
    ],
    [new InCall(), /trainable variable\(s\) 'variable_\d+' that are not among the weights/],
  ];
  for (const [model, named] of cases) {
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await assert.rejects(
      model.fit(X, X, { epochs: 1, verbose: 0 }),
      (e: unknown) =>
        e instanceof sn.ConfigError && named.test(e.message) && /Fix:/.test(e.message),
    );
  }
  // The error comes before the optimizer step: the stray layer was not changed.
  assert.deepEqual(Array.from(hidden.kernel!.dataSync()), initial);
});

/** y = x·[1, −2] + 0.5 on 10 samples. */
function regression(): { x: sn.Tensor; y: sn.Tensor } {
  const x = sn.tensor(lcg(20, 9, -1, 1), [10, 2]);
  const v = x.dataSync();
  const y = Array.from({ length: 10 }, (_, i) => [v[2 * i]! - 2 * v[2 * i + 1]! + 0.5]);
  return { x, y: sn.tensor(y) };
}

test('a trainStep override is used by fit; callbacks and history see its logs', async () => {
  class Custom extends sn.Model {
    d = sn.layers.dense({ units: 1 });
    steps = 0;
    override call(x: sn.Tensor): sn.Tensor {
      return this.d.apply(x);
    }
    override trainStep({ x, y }: sn.TrainStepData): sn.TrainStepLogs {
      this.steps += 1;
      const { value, grads } = sn.valueAndGrads(() => {
        const err = sn.sub(this.apply(x as sn.Tensor, { training: true }), y as sn.Tensor);
        return sn.mean(sn.square(err));
      }, this.trainableWeights);
      this.optimizer.applyGradients(grads);
      return { loss: value, rows: (x as sn.Tensor).shape[0]! };
    }
  }
  sn.setSeed(5);
  const model = new Custom();
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mae' });
  const { x, y } = regression();
  const seen: number[] = [];
  const history = await model.fit(x, y, {
    epochs: 20,
    batchSize: 4,
    verbose: 0,
    callbacks: [{ onBatchEnd: async (_b, logs) => void seen.push(logs!.rows!) }],
  });
  assert.equal(model.steps, 60, '3 batches (4, 4, 2) for 20 epochs');
  // Batch logs are running means weighted by batch size: 4, 4, then (4·4 + 4·4 + 2·2) / 10.
  assert.deepEqual(seen.slice(0, 3), [4, 4, 3.6]);
  assert.deepEqual(history.history.rows, Array(20).fill(3.6));
  const loss = history.history.loss!;
  assert.ok(loss[19]! < 0.5 * loss[0]!, `loss must fall: ${loss.join(', ')}`);
  // The logged loss is the override's mean squared error (not the compiled mae), of the
  // weights the step started from: one more epoch in one batch logs it, computed here.
  const p = (model.predict(x) as sn.Tensor).dataSync();
  const t = y.dataSync();
  const mse = Array.from(p).reduce((s, v, i) => s + (v - t[i]!) ** 2, 0) / 10;
  const once = await model.fit(x, y, { epochs: 1, batchSize: 10, verbose: 0 });
  assertClose(sn.scalar(once.history.loss![0]!), mse, 1e-5);
});

test('trainStep: super.trainStep keeps the compiled metrics; without it, compiled metrics are an error', async () => {
  const { x, y } = regression();
  class Wrapped extends sn.Model {
    d = sn.layers.dense({ units: 1 });
    override call(input: sn.Tensor): sn.Tensor {
      return this.d.apply(input);
    }
    override trainStep(data: sn.TrainStepData): sn.TrainStepLogs {
      return { ...super.trainStep(data), extra: 1 };
    }
  }
  const wrapped = new Wrapped();
  wrapped.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  const history = await wrapped.fit(x, y, { epochs: 2, batchSize: 5, verbose: 0 });
  assert.deepEqual(Object.keys(history.history).sort(), [
    'extra',
    'loss',
    'mae',
    'regularization_loss',
  ]);

  class Bare extends sn.Model {
    d = sn.layers.dense({ units: 1 });
    override call(input: sn.Tensor): sn.Tensor {
      return this.d.apply(input);
    }
    override trainStep(): sn.TrainStepLogs {
      return { loss: 0 };
    }
  }
  const bare = new Bare();
  bare.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  await assert.rejects(
    bare.fit(x, y, { verbose: 0 }),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /compiled metrics \(mae\).*super\.trainStep\(data\)/.test(e.message),
  );
  const bad = new Bare();
  bad.trainStep = () => ({ loss: 'low' }) as unknown as sn.TrainStepLogs;
  bad.compile({ optimizer: 'sgd', loss: 'mse' });
  await assert.rejects(
    bad.fit(x, y, { verbose: 0 }),
    (e: unknown) => e instanceof sn.ConfigError && /returned "low" for 'loss'/.test(e.message),
  );
});

test('a subclassed model saves and loads its weights; its model file is a clear error', async () => {
  sn.setSeed(6);
  const ae = new AE();
  ae.compile({ optimizer: 'adam', loss: 'mse' });
  await ae.fit(X, X, { epochs: 2, verbose: 0 });

  const dir = freshDir();
  await assert.rejects(
    sn.io.save(ae, dir),
    (e: unknown) =>
      e instanceof sn.SerializationError &&
      /AE '[a-z_0-9]+' is a subclassed model.*sn\.io\.saveWeights\(model, dir\)/.test(e.message),
  );
  assert.equal(existsSync(dir), false, 'nothing written');

  const files = await sn.io.saveWeights(ae, dir);
  assert.deepEqual(files, [join(dir, 'weights.json'), join(dir, 'weights.bin')]);

  sn.setSeed(7);
  const fresh = new AE();
  await assert.rejects(
    sn.io.loadWeights(fresh, dir),
    (e: unknown) =>
      e instanceof sn.SerializationError &&
      /the model has made no weights yet; call it once/.test(e.message),
  );
  fresh.predict(X);
  assert.notDeepEqual(weightBytes(fresh), weightBytes(ae));
  await sn.io.loadWeights(fresh, dir);
  assert.deepEqual(weightBytes(fresh), weightBytes(ae));
  assert.deepEqual(
    (fresh.predict(X) as sn.Tensor).dataSync(),
    (ae.predict(X) as sn.Tensor).dataSync(),
  );

  // Another architecture: refused before any weight changes.
  const other = new AE(5);
  other.predict(X);
  const kept = weightBytes(other);
  await assert.rejects(
    sn.io.loadWeights(other, dir),
    (e: unknown) =>
      e instanceof sn.SerializationError &&
      /weight 2 \('[a-z_0-9]+\/kernel'\) is \[4, 6\] float32 there/.test(e.message),
  );
  assert.deepEqual(weightBytes(other), kept);
});

test('modelCheckpoint saves a subclassed model with saveWeightsOnly', async () => {
  sn.setSeed(8);
  const ae = new AE();
  ae.compile({ optimizer: 'adam', loss: 'mse' });
  const dir = freshDir();
  await ae.fit(X, X, {
    epochs: 2,
    verbose: 0,
    callbacks: [
      sn.callbacks.modelCheckpoint({ path: join(dir, '{epoch}'), saveWeightsOnly: true }),
    ],
  });
  const fresh = new AE();
  fresh.predict(X);
  await sn.io.loadWeights(fresh, join(dir, '2'));
  assert.deepEqual(weightBytes(fresh), weightBytes(ae));
  assert.ok(existsSync(join(dir, '1', 'weights.bin')));
  // Without it, the model file is refused, with the fix named.
  await assert.rejects(
    ae.fit(X, X, {
      verbose: 0,
      callbacks: [sn.callbacks.modelCheckpoint({ path: join(dir, 'full') })],
    }),
    (e: unknown) => e instanceof sn.SerializationError && /saveWeightsOnly: true/.test(e.message),
  );
});

/** A subclassed model with dropout on the global generator, for checkpoints. */
class Regressor extends sn.Model {
  hidden = sn.layers.dense({
    units: 6,
    activation: 'tanh',
    kernelRegularizer: sn.regularizers.l2(0.01),
  });
  drop = sn.layers.dropout({ rate: 0.3 });
  out = sn.layers.dense({ units: 1 });
  override call(x: sn.Tensor, options: sn.layers.CallOptions): sn.Tensor {
    return this.out.apply(this.drop.apply(this.hidden.apply(x, options), options), options);
  }
}

async function fitRegressor(
  dir?: string,
  crashAt?: number,
): Promise<{ model: Regressor; history: sn.History; steps: number }> {
  const x = sn.tensor(lcg(40 * 3, 11, -1, 1), [40, 3]);
  const y = sn.sum(x, 1, { keepDims: true });
  const model = new Regressor();
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
  let steps = 0;
  const history = await model.fit(x, y, {
    epochs: 3,
    batchSize: 8,
    seed: 42,
    verbose: 0,
    callbacks: [
      {
        onBatchEnd: async () => {
          if (++steps === crashAt) throw new Error('crash');
        },
      },
    ],
    ...(dir ? { checkpoint: { dir, every: 2 } } : {}),
  });
  return { model, history, steps };
}

test('a subclassed model interrupted mid-fit resumes from its checkpoint bit-identically', async () => {
  const reference = await fitRegressor();
  const dir = freshDir();
  await assert.rejects(fitRegressor(dir, 7), /crash/);
  const resumed = await fitRegressor(dir);
  // 3 epochs of 5 steps; the checkpoint after step 6 leaves 9 to run.
  assert.equal(resumed.steps, 9);
  assert.deepEqual(weightBytes(resumed.model), weightBytes(reference.model));
  assert.deepEqual(resumed.history.history, reference.history.history);
  assert.ok(reference.history.history.regularization_loss!.every((r) => r > 0));
});

test('a custom sn.Layer with addWeight and a regularizer works inside a Sequential', () => {
  class Scale extends sn.Layer {
    w: sn.LayerVariable | undefined;
    override build(shape: sn.layers.SymbolicShape): void {
      this.w = this.addWeight({
        name: 'w',
        shape: [shape[shape.length - 1]!],
        initializer: 'ones',
        regularizer: sn.regularizers.l2(0.5),
      });
    }
    override call(x: sn.Tensor): sn.Tensor {
      return sn.mul(x, this.w!);
    }
  }
  const scale = new Scale({ name: 'scale' });
  const model = sn.sequential({
    layers: [sn.layers.dense({ units: 3, inputShape: [2], kernelInitializer: 'zeros' }), scale],
  });
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
  // 0.5 · Σ 1² over 3 units.
  assert.deepEqual(model.regularizationLosses(), { 'scale/w': 1.5 });
  // Zero inputs and targets: the data loss has no gradient, the penalty's is 2 · 0.5 · w = 1,
  // so one SGD step gives w = 1 − 0.1 · 1 = 0.9, and the penalty 0.5 · 3 · 0.81.
  model.trainOnBatch(sn.zeros([4, 2]), sn.zeros([4, 3]));
  assertClose(scale.w!, [0.9, 0.9, 0.9], 1e-6);
  assertClose(sn.scalar(model.regularizationLosses()['scale/w']!), 1.215, 1e-6);
  assert.ok(model.summary({ printFn: () => {} }).includes('scale (Scale)'));
});

test('a layer that points back at its parent: freezing and weights still end', () => {
  class Child extends sn.Layer {
    d = sn.layers.dense({ units: 2 });
    parent: sn.Layer | undefined;
    override call(x: sn.Tensor): sn.Tensor {
      return this.d.apply(x);
    }
  }
  class Parent extends sn.Model {
    child = new Child();
    override call(x: sn.Tensor): sn.Tensor {
      return this.child.apply(x);
    }
  }
  const model = new Parent();
  model.child.parent = model;
  model.predict(sn.ones([1, 3]));
  assert.equal(model.weights.length, 2);
  model.trainable = false;
  assert.equal(model.child.d.trainable, false);
  assert.equal(model.trainableWeights.length, 0);
});

test('a subclassed model inside a Sequential: a clear error, or its own computeOutputShape', async () => {
  assert.throws(
    () => sn.sequential({ layers: [sn.layers.dense({ units: 6, inputShape: [6] }), new AE()] }),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /AE '[a-z_0-9]+' is a subclassed model: its output shape is decided by its call code.*Fix: define computeOutputShape/.test(
        e.message,
      ),
  );
  class ShapedAE extends AE {
    override computeOutputShape(shape: sn.layers.SymbolicShape): sn.layers.SymbolicShape {
      return [...shape.slice(0, -1), this.dec.units];
    }
  }
  const inner = new ShapedAE();
  const model = sn.sequential({ layers: [sn.layers.dense({ units: 6, inputShape: [6] }), inner] });
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
  assert.equal(model.outputs[0]!.shape[1], 6);
  // Its weights are the Sequential's: 2 + 4, and its l2 penalty is counted.
  model.predict(X);
  assert.equal(model.trainableWeights.length, 6);
  assertClose(
    sn.scalar(model.regularizationLosses()[`${inner.enc.name}/kernel`]!),
    sumOfSquares(inner.enc.kernel!),
    1e-5,
  );
  const history = await model.fit(X, X, { epochs: 10, batchSize: 8, verbose: 0 });
  assert.ok(history.history.loss![9]! < history.history.loss![0]!);
});
