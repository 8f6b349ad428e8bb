import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';

/**
 * A user-defined layer with two inputs: y = (a + b) · scale (one scale per feature), plus an
 * extra loss added in call (`factor · mean|y|`). Exercises build / call / computeOutputShape /
 * getConfig / addWeight (with a regularizer) / addLoss from outside the library.
 */
class ScaledSum extends sn.Layer {
  static override readonly className: string = 'ScaledSum';
  readonly factor: number;
  scale: sn.LayerVariable | undefined;
  builtWith: (readonly (number | null)[])[] | undefined;

  constructor(options: sn.layers.LayerOptions & { factor?: number } = {}) {
    super(options);
    this.factor = options.factor ?? 0;
  }

  override build(inputShape: sn.layers.SymbolicShape | sn.layers.SymbolicShape[]): void {
    const shapes = inputShape as sn.layers.SymbolicShape[];
    this.builtWith = shapes.map((s) => s.slice());
    this.scale = this.addWeight({
      name: 'scale',
      shape: [shapes[0]!.at(-1)!],
      initializer: sn.initializers.constant({ value: 1.5 }),
      regularizer: sn.regularizers.l2(0.1),
    });
  }

  call(inputs: sn.Tensor | readonly sn.Tensor[]): sn.Tensor {
    const [a, b] = inputs as sn.Tensor[];
    const y = sn.mul(sn.add(a!, b!), this.scale!);
    if (this.factor > 0) this.addLoss(sn.mul(sn.mean(sn.abs(y)), this.factor));
    return y;
  }

  override computeOutputShape(
    inputShape: sn.layers.SymbolicShape | sn.layers.SymbolicShape[],
  ): sn.layers.SymbolicShape {
    return (inputShape as sn.layers.SymbolicShape[])[0]!;
  }

  override getConfig(): sn.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}

const seeded = (seed: number) => sn.initializers.glorotUniform({ seed });

function dense(
  units: number,
  name: string,
  seed: number,
  extra: sn.layers.DenseOptions | object = {},
) {
  return sn.layers.dense({
    units,
    name,
    kernelInitializer: seeded(seed),
    biasInitializer: sn.initializers.randomNormal({ seed: seed + 100, stddev: 0.1 }),
    ...extra,
  });
}

/** inA [3] → dense 'da' (4), inB [2] → dense 'db' (4), ScaledSum, → 'prob' (1, sigmoid), 'reg' (2). */
function twoByTwo() {
  const inA = sn.input({ shape: [3], name: 'in_a' });
  const inB = sn.input({ shape: [2], name: 'in_b' });
  const da = dense(4, 'da', 1, { kernelRegularizer: sn.regularizers.l1(0.01) });
  const db = dense(4, 'db', 2);
  const sum = new ScaledSum({ name: 'sum', factor: 0.05 });
  const s = sum.apply([da.apply(inA), db.apply(inB)]) as sn.SymbolicTensor;
  const prob = dense(1, 'prob', 3, { activation: 'sigmoid' });
  const reg = dense(2, 'reg', 4);
  const model = sn.model({ inputs: [inA, inB], outputs: [prob.apply(s), reg.apply(s)] });
  return { model, da, db, sum, prob, reg };
}

const xA = sn.tensor([
  [0.5, -1, 2],
  [1, 0.25, -0.5],
  [-1.5, 1, 0],
  [0.2, 0.3, 0.4],
]);
const xB = sn.tensor([
  [1, -1],
  [0.5, 2],
  [-0.25, 0],
  [1, 1],
]);
const yProb = sn.tensor([[1], [0], [1], [0]]);
const yReg = sn.tensor([
  [0.5, -0.5],
  [1, 0],
  [0, 2],
  [-1, 1],
]);

/** The same forward pass with plain ops on the layers' variables. */
function manualForward(parts: ReturnType<typeof twoByTwo>) {
  const { da, db, sum, prob, reg } = parts;
  const lin = (x: sn.Tensor, d: sn.layers.Dense) => sn.add(sn.matmul(x, d.kernel!), d.bias!);
  const s = sn.mul(sn.add(lin(xA, da), lin(xB, db)), sum.scale!);
  return { s, p: sn.sigmoid(lin(s, prob)), r: lin(s, reg) };
}

/** Regularization by hand: l1(0.01)·Σ|K_da| + l2(0.1)·Σscale² + 0.05·mean|s|. */
function manualRegularization(parts: ReturnType<typeof twoByTwo>, s: sn.Tensor): number {
  return (
    0.01 * sn.sum(sn.abs(parts.da.kernel!)).item() +
    0.1 * sn.sum(sn.square(parts.sum.scale!)).item() +
    0.05 * sn.mean(sn.abs(s)).item()
  );
}

function bce(y: sn.Tensor, p: sn.Tensor): number {
  const yv = y.dataSync();
  const pv = p.dataSync();
  let total = 0;
  for (let i = 0; i < yv.length; i++) {
    total -= yv[i]! * Math.log(pv[i]!) + (1 - yv[i]!) * Math.log(1 - pv[i]!);
  }
  return total / yv.length;
}

const mse = (y: sn.Tensor, p: sn.Tensor): number => sn.mean(sn.square(sn.sub(y, p))).item();

test('a custom two-input layer: build receives both shapes, outputs equal a manual computation', () => {
  const parts = twoByTwo();
  assert.deepEqual(parts.sum.builtWith, [
    [null, 4],
    [null, 4],
  ]);
  assert.deepEqual(
    parts.model.outputs.map((o) => o.shape),
    [
      [null, 1],
      [null, 2],
    ],
  );
  const out = parts.model.apply([xA, xB]) as sn.Tensor[];
  assert.equal(out.length, 2);
  const m = manualForward(parts);
  assertClose(out[0]!, Array.from(m.p.dataSync()), 1e-6, [4, 1]);
  assertClose(out[1]!, Array.from(m.r.dataSync()), 1e-6, [4, 2]);
  // The custom layer's config carries its own option next to the base ones.
  assert.deepEqual(parts.sum.getConfig(), {
    name: 'sum',
    trainable: true,
    dtype: 'float32',
    factor: 0.05,
  });
  // model.losses after apply: the kernel l1, the scale l2 and the tensor added in call.
  const reg = parts.model.losses.reduce((a, t) => a + t.item(), 0);
  assert.ok(Math.abs(reg - manualRegularization(parts, m.s)) < 1e-6);
  const terms = parts.model.regularizationLosses();
  assert.deepEqual(Object.keys(terms).sort(), ['da/kernel', 'sum/added', 'sum/scale']);
});

test('trainOnBatch with losses and lossWeights by output name logs Σ wᵢ·lossᵢ + regularization', () => {
  const parts = twoByTwo();
  const { model } = parts;
  model.compile({
    optimizer: sn.optimizers.sgd({ learningRate: 0.1 }),
    loss: { prob: 'binaryCrossentropy', reg: 'mse' },
    lossWeights: { prob: 0.5, reg: 2 },
    metrics: { prob: ['accuracy'] },
  });
  const m = manualForward(parts); // weights before the step
  const lossProb = bce(yProb, m.p);
  const lossReg = mse(yReg, m.r);
  const regularization = manualRegularization(parts, m.s);
  // accuracy: predictions > 0.5 compared with the labels, counted here.
  const pv = m.p.dataSync();
  const yv = yProb.dataSync();
  const right = Array.from(pv).filter((p, i) => (p > 0.5 ? 1 : 0) === yv[i]).length;
  const kernelBefore = Array.from(parts.reg.kernel!.dataSync());

  const logs = model.trainOnBatch([xA, xB], [yProb, yReg]);
  assert.ok(
    Math.abs(logs.prob_loss! - lossProb) < 1e-5,
    `prob_loss ${logs.prob_loss} vs ${lossProb}`,
  );
  assert.ok(Math.abs(logs.reg_loss! - lossReg) < 1e-5, `reg_loss ${logs.reg_loss} vs ${lossReg}`);
  assert.ok(Math.abs(logs.regularization_loss! - regularization) < 1e-5);
  const total = 0.5 * lossProb + 2 * lossReg + regularization;
  assert.ok(Math.abs(logs.loss! - total) < 1e-5, `loss ${logs.loss} vs ${total}`);
  assert.equal(logs.prob_accuracy, right / 4);
  assert.equal(logs.reg_accuracy, undefined);
  // The step changed the weights.
  assert.notDeepEqual(Array.from(parts.reg.kernel!.dataSync()), kernelBefore);
});

test('fit with a list of losses, list lossWeights and metrics for every output', async () => {
  const parts = twoByTwo();
  const { model } = parts;
  model.compile({
    optimizer: sn.optimizers.sgd({ learningRate: 0.05 }),
    loss: ['binaryCrossentropy', 'mse'],
    lossWeights: [3, 0.25],
    metrics: ['mae'],
  });
  const m = manualForward(parts);
  const lossProb = bce(yProb, m.p);
  const lossReg = mse(yReg, m.r);
  const maeProb = sn.mean(sn.abs(sn.sub(yProb, m.p))).item();
  const maeReg = sn.mean(sn.abs(sn.sub(yReg, m.r))).item();
  const regularization = manualRegularization(parts, m.s); // weights before the step
  const history = await model.fit([xA, xB], [yProb, yReg], {
    epochs: 1,
    batchSize: 4,
    shuffle: false,
    verbose: 0,
  });
  const h = history.history;
  // One batch: the epoch's logs are that batch's values, computed before the update.
  assert.ok(Math.abs(h.prob_loss![0]! - lossProb) < 1e-5);
  assert.ok(Math.abs(h.reg_loss![0]! - lossReg) < 1e-5);
  assert.ok(Math.abs(h.regularization_loss![0]! - regularization) < 1e-5);
  const total = 3 * lossProb + 0.25 * lossReg + regularization;
  assert.ok(Math.abs(h.loss![0]! - total) < 1e-5, `loss ${h.loss![0]} vs ${total}`);
  assert.ok(Math.abs(h.prob_mae![0]! - maeProb) < 1e-5);
  assert.ok(Math.abs(h.reg_mae![0]! - maeReg) < 1e-5);
});

test('compile rejects a record naming an unknown output and lists of the wrong length', () => {
  const { model } = twoByTwo();
  assert.throws(
    () => model.compile({ optimizer: 'sgd', loss: { nope: 'mse' } }),
    (e: Error) =>
      e instanceof sn.ConfigError && /'nope'/.test(e.message) && /'prob', 'reg'/.test(e.message),
  );
  assert.throws(
    () => model.compile({ optimizer: 'sgd', loss: ['mse'] }),
    (e: Error) =>
      e instanceof sn.ConfigError && /1 entries but the model has 2 output/.test(e.message),
  );
});

test('a shared layer: weights counted once, gradients from both uses accumulate', () => {
  const inA = sn.input({ shape: [3] });
  const inB = sn.input({ shape: [3] });
  const shared = sn.layers.dense({
    units: 2,
    kernelInitializer: seeded(5),
    activityRegularizer: sn.regularizers.l1(0.1),
  });
  const sum = new ScaledSum();
  const out = sum.apply([shared.apply(inA), shared.apply(inB)]) as sn.SymbolicTensor;
  const model = sn.model({ inputs: [inA, inB], outputs: out });
  assert.equal(model.layers.filter((l) => l === shared).length, 1);
  assert.equal(model.weights.length, 3); // kernel, bias, scale
  assert.equal(model.countParams(), 3 * 2 + 2 + 2);
  assert.equal(shared.inboundNodes.length, 2);

  const a = xA;
  const b = sn.tensor([
    [1, 0, -1],
    [2, 1, 0],
    [0, 0, 1],
    [-1, 1, 1],
  ]);
  const { value, grads } = sn.valueAndGrads(
    () => sn.sum(model.apply([a, b]) as sn.Tensor),
    [shared.kernel!, shared.bias!],
  );
  // f = Σ_n Σ_j 1.5·((a+b)K + 2·bias)_nj  ⇒  ∂f/∂K_ij = 1.5·Σ_n (a+b)_ni,  ∂f/∂bias_j = 1.5·2·4.
  const ab = sn.add(a, b).dataSync();
  const colSums = [0, 1, 2].map((i) => ab[i]! + ab[3 + i]! + ab[6 + i]! + ab[9 + i]!);
  assertClose(
    grads.get(shared.kernel!)!,
    colSums.flatMap((c) => [1.5 * c, 1.5 * c]),
    1e-5,
    [3, 2],
  );
  assertClose(grads.get(shared.bias!)!, [12, 12], 1e-6, [2]);
  const manual = sn
    .mul(
      sn.add(
        sn.add(sn.matmul(a, shared.kernel!), shared.bias!),
        sn.add(sn.matmul(b, shared.kernel!), shared.bias!),
      ),
      1.5,
    )
    .sum()
    .item();
  assert.ok(Math.abs(value.item() - manual) < 1e-4);
  // Rule 9: the shared layer contributes one activity penalty per call: 0.1·Σ|y|/4 each.
  const activity = model.lossTerms().filter((t) => t.name === `${shared.name}/activity`);
  assert.equal(activity.length, 2);
  const ya = sn.add(sn.matmul(a, shared.kernel!), shared.bias!);
  assert.ok(Math.abs(activity[0]!.value.item() - (0.1 * sn.sum(sn.abs(ya)).item()) / 4) < 1e-6);
});

test('a model nested in a model and in a sequential computes the composition', () => {
  const x = sn.input({ shape: [3] });
  const d1 = dense(4, 'inner_1', 11, {
    activation: 'tanh',
    activityRegularizer: sn.regularizers.l2(0.5),
  });
  const d2 = dense(2, 'inner_2', 12);
  const inner = sn.model({ inputs: x, outputs: d2.apply(d1.apply(x)), name: 'inner' });

  const y = sn.input({ shape: [3] });
  const head = dense(1, 'head', 13);
  const outer = sn.model({ inputs: y, outputs: head.apply(inner.apply(y)) });
  assert.deepEqual(outer.outputs[0]!.shape, [null, 1]);
  assert.deepEqual(
    outer.layers.map((l) => l.name),
    [outer.layers[0]!.name, 'inner', 'head'],
  );
  assert.ok(outer.layers[0] instanceof sn.layers.InputLayer);
  assert.equal(outer.getLayer('inner'), inner);
  assert.equal(outer.getLayer(2), head);
  assert.deepEqual(
    outer.weights.map((w) => w.name),
    [
      'inner_1/kernel',
      'inner_1/bias',
      'inner_2/kernel',
      'inner_2/bias',
      'head/kernel',
      'head/bias',
    ],
  );

  const h1 = sn.tanh(sn.add(sn.matmul(xA, d1.kernel!), d1.bias!));
  const h2 = sn.add(sn.matmul(h1, d2.kernel!), d2.bias!);
  const expected = sn.add(sn.matmul(h2, head.kernel!), head.bias!);
  assertClose(outer.apply(xA) as sn.Tensor, Array.from(expected.dataSync()), 1e-6, [4, 1]);
  // The inner layer's activity penalty (on its OUTPUT) reaches the outer model: 0.5·Σh1²/4.
  assert.equal(outer.losses.length, 1);
  assert.ok(Math.abs(outer.losses[0]!.item() - (0.5 * sn.sum(sn.square(h1)).item()) / 4) < 1e-6);

  const seq = sn.sequential({ layers: [inner, head] });
  assertClose(seq.predict(xA) as sn.Tensor, Array.from(expected.dataSync()), 1e-6, [4, 1]);
  assert.equal(seq.countParams(), 3 * 4 + 4 + 4 * 2 + 2 + 2 + 1);
});

test('a nested model applied to a symbolic input of the wrong shape is a ShapeError at build time', () => {
  const x = sn.input({ shape: [3] });
  const inner = sn.model({
    inputs: x,
    outputs: sn.layers.dense({ units: 2 }).apply(x),
    name: 'inner3',
  });
  const y = sn.input({ shape: [5] });
  assert.throws(
    () => inner.apply(y),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /inner3/.test(e.message) &&
      /\[null, 3\]/.test(e.message) &&
      /\[null, 5\]/.test(e.message),
  );
});

test('weights, trainableWeights and nonTrainableWeights (batchNormalization moving stats)', () => {
  const model = sn.sequential({
    layers: [
      sn.layers.dense({ units: 3, inputShape: [2], name: 'd' }),
      sn.layers.batchNormalization({ name: 'bn' }),
    ],
  });
  assert.deepEqual(
    model.weights.map((w) => w.name),
    ['d/kernel', 'd/bias', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance'],
  );
  assert.deepEqual(
    model.trainableWeights.map((w) => w.name),
    ['d/kernel', 'd/bias', 'bn/gamma', 'bn/beta'],
  );
  assert.deepEqual(
    model.nonTrainableWeights.map((w) => w.name),
    ['bn/moving_mean', 'bn/moving_variance'],
  );
  // 2·3 + 3 + 4·3
  assert.equal(model.countParams(), 21);
  model.getLayer('d').trainable = false;
  assert.deepEqual(
    model.trainableWeights.map((w) => w.name),
    ['bn/gamma', 'bn/beta'],
  );
  model.trainable = false;
  assert.equal(model.trainableWeights.length, 0);
  assert.equal(model.getLayer('bn').trainable, false);
});

test('getWeights is a snapshot and setWeights restores it; a wrong count is a ShapeError', async () => {
  const model = sn.sequential({
    layers: [sn.layers.dense({ units: 2, inputShape: [3], name: 'sw' })],
  });
  const before = model.getWeights();
  const values = before.map((t) => Array.from(t.dataSync()));
  model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.5 }), loss: 'mse' });
  model.trainOnBatch(xA, yReg);
  assert.notDeepEqual(Array.from(model.weights[0]!.dataSync()), values[0]);
  assert.deepEqual(
    before.map((t) => Array.from(t.dataSync())),
    values,
  );
  model.setWeights(before);
  assert.deepEqual(
    model.weights.map((w) => Array.from(w.dataSync())),
    values,
  );
  assert.throws(
    () => model.setWeights([before[0]!]),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /expected 2 tensors/.test(e.message) &&
      /sw\/kernel, sw\/bias/.test(e.message) &&
      /received 1/.test(e.message),
  );
  assert.throws(() => model.setWeights([before[1]!, before[0]!]), sn.ShapeError);
});

test('getLayer by name and index; an unknown one lists the layer names', () => {
  const x = sn.input({ shape: [2], name: 'gl_in' });
  const a = sn.layers.dense({ units: 2, name: 'gl_a' });
  const b = sn.layers.dense({ units: 1, name: 'gl_b' });
  const model = sn.model({ inputs: x, outputs: b.apply(a.apply(x)) });
  assert.equal(model.getLayer('gl_a'), a);
  assert.equal(model.getLayer(2), b);
  assert.throws(
    () => model.getLayer('gl_c'),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      /no layer "gl_c"|no layer 'gl_c'/.test(e.message) &&
      /'gl_in', 'gl_a', 'gl_b'/.test(e.message),
  );
  assert.throws(() => model.getLayer(7), sn.ConfigError);
});

test('graph errors: duplicate names, an unlisted input, inputs not from sn.input', () => {
  const x = sn.input({ shape: [2] });
  const dup1 = sn.layers.dense({ units: 2, name: 'twin' });
  const dup2 = sn.layers.dense({ units: 2, name: 'twin' });
  assert.throws(
    () => sn.model({ inputs: x, outputs: dup2.apply(dup1.apply(x)) }),
    (e: Error) =>
      e instanceof sn.ConfigError && /two different layers are named 'twin'/.test(e.message),
  );

  const other = sn.input({ shape: [2], name: 'forgotten' });
  const both = new ScaledSum().apply([x, other]) as sn.SymbolicTensor;
  assert.throws(
    () => sn.model({ inputs: x, outputs: both }),
    (e: Error) =>
      e instanceof sn.ConfigError && /'forgotten'/.test(e.message) && /inputs/.test(e.message),
  );

  const hidden = sn.layers.dense({ units: 2, name: 'not_an_input' }).apply(x);
  assert.throws(
    () => sn.model({ inputs: hidden, outputs: sn.layers.dense({ units: 1 }).apply(hidden) }),
    (e: Error) =>
      e instanceof sn.ConfigError && /sn\.input/.test(e.message) && /not_an_input/.test(e.message),
  );
  assert.throws(
    () => sn.model({ inputs: sn.zeros([2, 2]) as unknown as sn.SymbolicTensor, outputs: hidden }),
    (e: Error) => e instanceof sn.ConfigError && /SymbolicTensors/.test(e.message),
  );
  assert.throws(
    () => sn.model({ inputs: x } as unknown as sn.ModelOptions),
    (e: Error) => e instanceof sn.ConfigError && /\{ inputs, outputs \}/.test(e.message),
  );
});

test('calling a model with the wrong number of inputs or a wrong shape names the model and input', () => {
  const { model } = twoByTwo();
  assert.throws(
    () => model.apply(xA),
    (e: Error) => e instanceof sn.ConfigError && /2 input\(s\) \(in_a, in_b\)/.test(e.message),
  );
  assert.throws(
    () => model.apply([xB, xA]),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      // Named once (not "Functional 'x' failed on ...: Functional 'x' ..."), with the reader.
      e.message.startsWith(`Functional '${model.name}' input 'in_a' (read by Dense 'da') `) &&
      /expects shape \[null, 3\], received \[4, 2\]/.test(e.message),
  );
});

test('model.apply with training true applies dropout; false is the identity', () => {
  const x = sn.input({ shape: [50] });
  const drop = sn.layers.dropout({ rate: 0.5, seed: 3 });
  const model = sn.model({ inputs: x, outputs: drop.apply(x) });
  const ones = sn.ones([4, 50]);
  assert.deepEqual(Array.from((model.apply(ones) as sn.Tensor).dataSync()), Array(200).fill(1));
  assert.deepEqual(
    Array.from((model.apply(ones, { training: false }) as sn.Tensor).dataSync()),
    Array(200).fill(1),
  );
  const trained = Array.from((model.apply(ones, { training: true }) as sn.Tensor).dataSync());
  // Inverted dropout at rate 0.5: every value is 0 or 1/(1 − 0.5) = 2, and both occur.
  assert.ok(trained.every((v) => v === 0 || v === 2));
  assert.ok(trained.includes(0) && trained.includes(2));
});

test('model.losses describe the latest pass: activity penalties are replaced, not accumulated', () => {
  const x = sn.input({ shape: [2] });
  const act = sn.layers.activityRegularization({ l1: 0.5 });
  const model = sn.model({ inputs: x, outputs: act.apply(x) });
  model.apply(sn.tensor([[1, -2]]));
  assertClose(model.losses[0]!, 0.5 * 3); // 0.5·(1 + 2) / batch 1
  model.apply(
    sn.tensor([
      [4, 0],
      [0, 0],
    ]),
  );
  assert.equal(model.losses.length, 1);
  assertClose(model.losses[0]!, (0.5 * 4) / 2);
});

test('a shared nested sequential: inputs listed first, built outer sequential, unique output names', () => {
  const inner = sn.sequential({
    name: 'tower',
    layers: [
      sn.layers.dense({ units: 2, inputShape: [3], kernelInitializer: seeded(21), name: 't1' }),
    ],
  });
  const a = sn.input({ shape: [3], name: 'left' });
  const b = sn.input({ shape: [3], name: 'right' });
  const model = sn.model({ inputs: [a, b], outputs: [inner.apply(a), inner.apply(b)] });
  assert.deepEqual(
    model.layers.map((l) => l.name),
    ['left', 'right', 'tower'],
  );
  // Both outputs come from 'tower': logs name them 'tower' and 'tower_1' (as tf.keras).
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'], lossWeights: [1, 2] });
  const t1 = inner.getLayer('t1') as sn.layers.Dense;
  const zeros = sn.zeros([4, 2]);
  const pa = sn.add(sn.matmul(xA, t1.kernel!), t1.bias!);
  const pb = sn.add(sn.matmul(xA.neg(), t1.kernel!), t1.bias!);
  const [msa, msb] = [pa, pb].map((p) => sn.mean(sn.square(p)).item());
  const [maeA, maeB] = [pa, pb].map((p) => sn.mean(sn.abs(p)).item());
  const logs = model.testOnBatch([xA, xA.neg()], [zeros, zeros]);
  assert.ok(Math.abs(logs.tower_loss! - msa!) < 1e-6);
  assert.ok(Math.abs(logs.tower_1_loss! - msb!) < 1e-6);
  assert.ok(Math.abs(logs.tower_mae! - maeA!) < 1e-6);
  assert.ok(Math.abs(logs.tower_1_mae! - maeB!) < 1e-6);
  assert.ok(Math.abs(logs.loss! - (msa! + 2 * msb!)) < 1e-5);

  // A built model as the first layer of a sequential gives it its input shape.
  const top = sn.layers.dense({ units: 1, kernelInitializer: seeded(22) });
  const outer = sn.sequential({ layers: [inner, top] });
  assert.equal(outer.built, true);
  assert.deepEqual(outer.outputs[0]!.shape, [null, 1]);
  const expected = sn.add(sn.matmul(pa, top.kernel!), top.bias!);
  assertClose(outer.apply(xA) as sn.Tensor, Array.from(expected.dataSync()), 1e-6, [4, 1]);
  assert.deepEqual(
    outer.weights.map((w) => w.name),
    ['t1/kernel', 't1/bias', `${top.name}/kernel`, `${top.name}/bias`],
  );
});
