import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../index.js';
import { Layer, type LayerInput } from '../layers/layer.js';
import type { ConfigDict } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import * as io from './index.js';

/**
 * sinew → file → sinew (the TensorFlow.js layers format). Oracles: the original model's
 * predictions and penalties, the bytes on disk, and a continuous training run for the
 * resumed one. TensorFlow.js in both directions: test/io-tfjs.test.ts.
 */

const quiet = { onWarning: () => {} };

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sinew-io-'));
}

function same(a: Tensor | Tensor[], b: Tensor | Tensor[]): void {
  const x = Array.isArray(a) ? a : [a];
  const y = Array.isArray(b) ? b : [b];
  assert.equal(x.length, y.length);
  x.forEach((t, i) => assert.deepEqual(Array.from(t.dataSync()), Array.from(y[i]!.dataSync())));
}

function myPenalty(x: Tensor): Tensor {
  return sn.mul(sn.sum(sn.abs(x)), 0.5);
}

function sinewOnlyModel(): sn.Model {
  sn.setSeed(9);
  const R = sn.regularizers;
  return sn.sequential({
    layers: [
      sn.layers.dense({
        units: 6,
        activation: 'sigmoid',
        inputShape: [5],
        name: 'code',
        activityRegularizer: R.klSparsity({ rho: 0.1, beta: 3 }),
        kernelRegularizer: R.orthogonal({ factor: 0.02, mode: 'columns' }),
        biasRegularizer: myPenalty,
      }),
      sn.layers.kSparse({ k: 3, name: 'ks' }),
      sn.layers.activityRegularization({ l1: 0.01, l2: 0.02, name: 'ar' }),
      sn.layers.dense({
        units: 5,
        activityRegularizer: R.l1(0.003),
        activityRegularizerReduction: 'sum',
        name: 'dec',
      }),
    ],
  });
}

test('sinew-only objects survive a sinew → sinew round trip; export warns which layer TensorFlow.js refuses', async () => {
  const m = sinewOnlyModel();
  const dir = await tmp();
  const warnings: string[] = [];
  const result = await io.save(m, dir, { onWarning: (w) => warnings.push(w) });
  assert.deepEqual(result.warnings, warnings);
  const text = warnings.join('\n');
  assert.match(text, /Dense 'code': has an activity regularizer; TensorFlow.js refuses/);
  assert.match(
    text,
    /Dense 'code' activity_regularizer is KLSparsity; TensorFlow.js registers only L1L2/,
  );
  assert.match(text, /Dense 'code' kernel_regularizer is OrthogonalRegularizer/);
  assert.match(text, /Dense 'code' bias_regularizer is the custom function 'myPenalty'/);
  assert.match(text, /KSparse 'ks': TensorFlow.js has no layer class 'KSparse'/);
  assert.match(text, /ActivityRegularization 'ar': TensorFlow.js has no layer class/);
  assert.match(text, /Dense 'dec': has an activity regularizer/);

  // Rule 17's written forms.
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const code = json.modelTopology.config.layers[0].config;
  assert.deepEqual(code.activity_regularizer, {
    module: null,
    class_name: 'KLSparsity',
    config: { rho: 0.1, beta: 3 },
    registered_name: 'sinew>KLSparsity',
  });
  assert.equal(code.kernel_regularizer.class_name, 'OrthogonalRegularizer');
  assert.equal(code.kernel_regularizer.module, 'keras.regularizers');
  assert.deepEqual(code.batch_input_shape, [null, 5]);
  assert.equal(json.format, 'layers-model');
  assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);

  // A custom function needs its name resolved by the loader; nothing is evaluated.
  await assert.rejects(io.load(dir), (e: Error) => {
    assert.ok(e instanceof io.SerializationError);
    assert.match(
      e.message,
      /model\.json: a layer uses the custom regularizer function 'myPenalty'/,
    );
    assert.match(e.message, /customObjects: \{ myPenalty \}/);
    return true;
  });
  const back = await io.load(dir, { customObjects: { myPenalty } });
  const x = sn.randomUniform([4, 5]);
  same(m.predict(x), back.predict(x));
  // Same penalties, term by term, after the same forward pass (activity terms included).
  m.apply(x);
  back.apply(x);
  assert.deepEqual(back.regularizationLosses(), m.regularizationLosses());
  const dec = back.layers[3]!;
  assert.equal(dec.activityRegularizerReduction, 'sum');
  assert.equal(back.layers[1]!.className, 'KSparse');
  await rm(dir, { recursive: true, force: true });
});

test('an anonymous regularizer function cannot be saved; the error says how', async () => {
  const m = sn.sequential({
    layers: [
      sn.layers.dense({
        units: 2,
        inputShape: [2],
        kernelRegularizer: [(x: Tensor) => sn.sum(x)][0]!,
      }),
    ],
  });
  assert.throws(() => io.toMemory(m, quiet), /anonymous function.*Give it a name/);
});

test('optimizer state in the same files: fit 2 epochs, save, load, fit 2 more == fit 4 epochs', async () => {
  const make = (): sn.Model => {
    sn.setSeed(21);
    const m = sn.sequential({
      layers: [
        sn.layers.dense({
          units: 4,
          activation: 'tanh',
          inputShape: [3],
          kernelRegularizer: sn.regularizers.l2(0.01),
        }),
        sn.layers.batchNormalization(),
        sn.layers.dense({ units: 2 }),
      ],
    });
    m.compile({
      optimizer: sn.optimizers.adam({ learningRate: 0.05 }),
      loss: 'mse',
      metrics: ['mae'],
    });
    return m;
  };
  sn.setSeed(5);
  const x = sn.randomNormal([16, 3]);
  const y = sn.randomNormal([16, 2]);
  const fitOptions = { batchSize: 4, shuffle: false, verbose: 0 } as const;

  const straight = make();
  const h4 = await straight.fit(x, y, { ...fitOptions, epochs: 4 });

  const first = make();
  await first.fit(x, y, { ...fitOptions, epochs: 2 });
  const dir = await tmp();
  await io.save(first, dir, { ...quiet, includeOptimizer: true });
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  assert.equal(json.trainingConfig.loss, 'mean_squared_error');
  assert.deepEqual(json.trainingConfig.metrics, ['mae']);
  assert.equal(json.trainingConfig.optimizer_config.class_name, 'Adam');
  assert.equal(json.trainingConfig.optimizer_config.config.learning_rate, 0.05);
  const optSpecs = json.weightsManifest[0].weights.filter(
    (w: { group?: string }) => w.group === 'optimizer',
  );
  assert.deepEqual(optSpecs[0], { name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' });
  assert.equal(optSpecs.length, 1 + 2 * 6); // iter, m and v of 4 trainable weights... and BN gamma, beta

  const resumed = await io.load(dir);
  assert.equal(resumed.compiled!.optimizer.iterations, 8);
  const h2 = await resumed.fit(x, y, { ...fitOptions, epochs: 2 });
  assert.deepEqual(h2.history.loss, h4.history.loss!.slice(2));
  same(resumed.getWeights(), straight.getWeights());
  await rm(dir, { recursive: true, force: true });
});

test('in-memory artifacts: toMemory / fromMemory', () => {
  const m = sinewOnlyModel();
  const a = io.toMemory(m, quiet);
  assert.ok(a.weightData instanceof ArrayBuffer);
  assert.equal(
    a.weightData.byteLength,
    a.weightSpecs!.reduce((n, s) => n + 4 * s.shape.reduce((p, d) => p * d, 1), 0),
  );
  // The first weight's bytes are its float32 values, little-endian.
  const view = new DataView(a.weightData);
  const first = m.weights[0]!.dataSync();
  assert.equal(view.getFloat32(0, true), first[0]);
  assert.equal(view.getFloat32(4, true), first[1]);
  const back = io.fromMemory(a, { customObjects: { myPenalty } });
  const x = sn.randomUniform([2, 5]);
  same(m.predict(x), back.predict(x));
});

test('custom classes load only through registerClass or customObjects', async () => {
  class Scale extends Layer {
    static override readonly className = 'TestScale';
    readonly factor: number;
    constructor(options: { factor: number; name?: string }) {
      super(options);
      this.factor = options.factor;
    }
    call(inputs: LayerInput): Tensor {
      return sn.mul(inputs as Tensor, this.factor);
    }
    override getConfig(): ConfigDict {
      return { ...super.getConfig(), factor: this.factor };
    }
    static override fromConfig(config: ConfigDict): Scale {
      return new Scale(config as unknown as { factor: number });
    }
  }
  const m = sn.sequential({
    layers: [sn.layers.dense({ units: 2, inputShape: [2] }), new Scale({ factor: 3 })],
  });
  const a = io.toMemory(m, quiet);
  assert.throws(
    () => io.fromMemory(a),
    (e: Error) =>
      e instanceof io.SerializationError &&
      /in-memory artifacts: unknown layer class 'TestScale'; registered layers: .*Dense/.test(
        e.message,
      ) &&
      /sn\.serialization\.registerClass\(TestScale\)/.test(e.message),
  );
  const x = sn.tensor([[1, 2]]);
  same(io.fromMemory(a, { customObjects: { TestScale: Scale } }).predict(x), m.predict(x));
  io.registerClass(Scale);
  same(io.fromMemory(a).predict(x), m.predict(x));
  assert.throws(
    () =>
      io.registerClass(
        class NoName extends Layer {
          call(i: LayerInput): Tensor {
            return i as Tensor;
          }
        },
      ),
    /className/,
  );
});

// --- bad files -----------------------------------------------------------------------------

async function savedDir(): Promise<{ dir: string; json: Record<string, unknown>; bin: Buffer }> {
  sn.setSeed(1);
  const m = sn.sequential({
    layers: [sn.layers.dense({ units: 3, inputShape: [4] }), sn.layers.dense({ units: 2 })],
  });
  const dir = await tmp();
  await io.save(m, dir, quiet);
  return {
    dir,
    json: JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')),
    bin: await readFile(join(dir, 'weights.bin')),
  };
}

async function expectError(
  dir: string,
  patterns: RegExp[],
  options: io.LoadOptions = {},
): Promise<void> {
  await assert.rejects(io.load(dir, options), (e: Error) => {
    assert.ok(e instanceof io.SerializationError, `${e.name}: ${e.message}`);
    assert.ok(e.message.includes(join(dir, 'model.json')), `names the file: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    assert.match(e.message, /Fix:/);
    return true;
  });
}

test('bad files: each a SerializationError naming the file, what is wrong and the fix', async () => {
  const { dir, json, bin } = await savedDir();
  const writeJson = (j: unknown): Promise<void> =>
    writeFile(join(dir, 'model.json'), typeof j === 'string' ? j : JSON.stringify(j));
  type Manifest = {
    paths: string[];
    weights: { name: string; shape: number[]; dtype: string }[];
  }[];

  await rm(join(dir, 'weights.bin'));
  await expectError(dir, [/weights file .*weights\.bin is missing/]);

  await writeFile(join(dir, 'weights.bin'), bin.subarray(0, bin.length - 8));
  await expectError(dir, [/truncated: expected 92 bytes for 4 weights, found 84 bytes/]);

  await writeFile(join(dir, 'weights.bin'), Buffer.concat([bin, Buffer.alloc(4)]));
  await expectError(dir, [/extra bytes: expected 92 bytes for 4 weights, found 96 bytes/]);
  await writeFile(join(dir, 'weights.bin'), bin);

  const wrongDType = structuredClone(json) as typeof json;
  (wrongDType.weightsManifest as Manifest)[0]!.weights[0]!.dtype = 'float64';
  await writeJson(wrongDType);
  await expectError(dir, [
    /weight 'dense\S*\/kernel' has dtype "float64"; expected 'float32' or 'int32'/,
  ]);

  const intKernel = structuredClone(json) as typeof json;
  (intKernel.weightsManifest as Manifest)[0]!.weights[0]!.dtype = 'int32';
  await writeJson(intKernel);
  await expectError(dir, [
    /wrong dtype: '\S+\/kernel' is float32 in the topology, the weights file has int32/,
  ]);

  const unknown = structuredClone(json) as {
    modelTopology: { config: { layers: { class_name: string }[] } };
  };
  unknown.modelTopology.config.layers[1]!.class_name = 'Conv9D';
  await writeJson(unknown);
  await expectError(dir, [
    /unknown layer class 'Conv9D'; registered layers: .*Dense.*/,
    /registerClass\(Conv9D\)/,
    /customObjects/,
  ]);

  await writeJson('{\n  "modelTopology": {\n    "class_name": "Sequential",,\n  }\n}');
  await expectError(dir, [/malformed JSON at line 3, column \d+/]);

  const mismatch = structuredClone(json) as {
    modelTopology: { config: { layers: { config: { units: number } }[] } };
  };
  mismatch.modelTopology.config.layers[1]!.config.units = 1;
  await writeJson(mismatch);
  await expectError(dir, [
    /topology\/weights shape mismatch: '\S+\/kernel' has shape \[3, 1\] in the topology, the weights file has \[3, 2\]/,
  ]);
  // More values than the weights hold: refused before the weight is allocated.
  mismatch.modelTopology.config.layers[1]!.config.units = 5;
  await writeJson(mismatch);
  await expectError(dir, [
    /Dense '\S+' needs weight 'kernel' of shape \[3, 5\] \(15 values\), but the weights hold only 8 more of their 23 values; nothing was allocated/,
  ]);

  const huge = structuredClone(json) as typeof json;
  (huge.weightsManifest as Manifest)[0]!.weights.push({
    name: 'big/kernel',
    shape: [50000, 50000],
    dtype: 'float32',
  });
  await writeJson(huge);
  await expectError(dir, [
    /claims 10000000092 bytes of weights \(9\.31 GiB\), more than the limit/,
    /nothing was read/,
    /maxWeightBytes/,
  ]);

  for (const evil of [
    '../outside.bin',
    '/etc/passwd',
    'sub/../../x.bin',
    'http://example.com/w.bin',
    '..\\x.bin',
  ]) {
    const outside = structuredClone(json) as typeof json;
    (outside.weightsManifest as Manifest)[0]!.paths = [evil];
    await writeJson(outside);
    await expectError(dir, [/points outside the model directory; refused/]);
  }

  // After all that, the good files still load (nothing was changed or cached by the failures).
  await writeJson(json);
  const m = await io.load(dir);
  assert.equal(m.countParams(), 23);
  await rm(dir, { recursive: true, force: true });
});

test('writes are atomic: no temporary files are left, and a second save replaces the first', async () => {
  const { dir } = await savedDir();
  sn.setSeed(2);
  const m = sn.sequential({ layers: [sn.layers.dense({ units: 1, inputShape: [2] })] });
  await io.save(m, `file://${dir}`, quiet);
  assert.deepEqual((await readdir(dir)).sort(), ['model.json', 'weights.bin']);
  const back = await io.load(`file://${dir}`);
  const x = sn.tensor([[1, -1]]);
  same(back.predict(x), m.predict(x));
  await rm(dir, { recursive: true, force: true });
});

test('inspect summarises a saved model: layers, shapes, parameters, regularizers, constraints, optimizer', async () => {
  sn.setSeed(3);
  const m = sn.sequential({
    layers: [
      sn.layers.dense({
        units: 3,
        inputShape: [4],
        kernelRegularizer: sn.regularizers.l2(0.01),
        kernelConstraint: sn.constraints.maxNorm({ maxValue: 2 }),
      }),
      sn.layers.dense({
        units: 2,
        activation: 'softmax',
        activityRegularizer: sn.regularizers.l1(0.001),
      }),
    ],
  });
  m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const dir = await tmp();
  await io.save(m, dir, { ...quiet, includeOptimizer: true });
  const text = await io.inspect(dir);
  const [d1, d2] = m.layers.map((l) => l.name);
  assert.match(text, /Model '\S+' \(Sequential\)/);
  assert.match(
    text,
    new RegExp(
      `${d1} \\(Dense\\)\\s+\\[null, 3\\]\\s+15\\s+kernel reg: L1L2\\(l1=0, l2=0\\.01\\); kernel constraint: MaxNorm\\(max_value=2, axis=0\\)`,
    ),
  );
  assert.match(
    text,
    new RegExp(
      `${d2} \\(Dense\\)\\s+\\[null, 2\\]\\s+8\\s+activation: softmax; activity reg: L1L2\\(l1=0\\.001, l2=0\\)`,
    ),
  );
  assert.match(text, /Total params: 23 in 4 weight tensors/);
  assert.match(text, /Optimizer: SGD \(learning_rate=0\.01/);
  assert.match(text, /Loss: "categorical_crossentropy"/);
  // The same from JSON text, and for a model with a class sinew does not know (shapes unknown).
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  json.modelTopology.config.layers[1].class_name = 'Mystery';
  const other = await io.inspect(JSON.stringify(json));
  assert.match(other, new RegExp(`${d2} \\(Mystery\\)\\s+\\?\\s+8`));
  await rm(dir, { recursive: true, force: true });
});
