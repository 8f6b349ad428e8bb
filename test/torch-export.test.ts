import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { VARIANTS } from '../cli/lab/variants.js';
import { lastJson, PYTHON, runPython, torchProblem } from './fixtures/torch.js';

/**
 * sn.io.exportPyTorch: the exported module's predictions and named penalties equal sinew's
 * (oracle: PyTorch running the generated model.py on the same weights and inputs), for each
 * exportable layer and the lab's seven models; bad input refused with typed errors.
 */

const R = sn.regularizers;
const L = sn.layers;

interface Case {
  name: string;
  model: sn.Sequential;
  x: sn.Tensor;
  /** Also compared in training mode (layers without random numbers). */
  training: boolean;
}

function layerCases(): Case[] {
  sn.setSeed(11);
  const x = (shape: number[], scale = 1) =>
    sn.mul(sn.randomNormal(shape, { seed: shape[1]! }), scale);
  const seq = (layers: sn.layers.Layer[]) => sn.sequential({ layers });
  return [
    {
      name: 'dense',
      model: seq([
        L.dense({
          name: 'd1',
          units: 5,
          inputShape: [6],
          activation: 'tanh',
          kernelRegularizer: R.l1(0.01),
          biasRegularizer: R.l2(0.1),
          activityRegularizer: R.l2(0.01),
        }),
        L.dense({
          name: 'd2',
          units: 4,
          activation: 'softmax',
          useBias: false,
          kernelRegularizer: R.orthogonal({ factor: 0.1, mode: 'columns' }),
        }),
      ]),
      x: x([7, 6]),
      training: true,
    },
    {
      name: 'activation-sum-reduction',
      model: seq([
        L.dense({
          name: 'd',
          units: 5,
          inputShape: [3],
          activityRegularizer: R.l1l2({ l1: 0.01, l2: 0.02 }),
          activityRegularizerReduction: 'sum',
        }),
        L.activation({ name: 'a1', activation: 'elu' }),
        L.activation({
          name: 'a2',
          activation: new sn.activations.LeakyRelu({ negativeSlope: 0.3 }),
        }),
        L.activation({ name: 'a3', activation: 'gelu' }),
        L.activation({ name: 'a4', activation: 'softplus' }),
        L.activation({ name: 'a5', activation: 'swish' }),
      ]),
      x: x([4, 3]),
      training: true,
    },
    {
      name: 'dropout-noise',
      model: seq([
        L.dense({ name: 'd', units: 8, inputShape: [5], activation: 'relu' }),
        L.dropout({ name: 'drop', rate: 0.5 }),
        L.gaussianNoise({ name: 'noise', stddev: 0.3 }),
        L.dense({ name: 'out', units: 2, activation: 'sigmoid' }),
      ]),
      x: x([6, 5]),
      training: false,
    },
    {
      name: 'activity-regularization-kl',
      model: seq([
        L.dense({
          name: 'code',
          units: 6,
          inputShape: [4],
          activation: 'sigmoid',
          activityRegularizer: R.klSparsity({ rho: 0.1, beta: 3 }),
        }),
        L.activityRegularization({ name: 'penalty', l1: 0.01, l2: 0.001 }),
      ]),
      x: x([9, 4]),
      training: true,
    },
    {
      name: 'batch-normalization-frozen',
      model: seq([
        L.dense({
          name: 'frozen',
          units: 6,
          inputShape: [4],
          kernelRegularizer: R.l2(1),
          trainable: false,
        }),
        L.batchNormalization({
          name: 'bn',
          momentum: 0.9,
          epsilon: 0.01,
          gammaRegularizer: R.l2(0.1),
        }),
        L.dense({ name: 'head', units: 3 }),
      ]),
      x: x([8, 4], 3),
      training: true,
    },
    {
      name: 'flatten-reshape-ksparse',
      model: seq([
        L.reshape({ name: 'r', targetShape: [3, -1], inputShape: [12] }),
        L.batchNormalization({ name: 'bn3', axis: 1 }),
        L.flatten({ name: 'f' }),
        L.kSparse({ name: 'ks', k: 4, alpha: 1.6 }),
        L.dense({ name: 'out', units: 2 }),
      ]),
      x: x([5, 12]),
      training: true,
    },
    // Convolution family
    {
      name: 'conv2d-pooling',
      model: seq([
        L.conv2d({
          name: 'c1',
          filters: 3,
          kernelSize: [3, 2],
          strides: [2, 1],
          padding: 'same',
          activation: 'relu',
          inputShape: [7, 6, 2],
          kernelRegularizer: R.l1(0.03),
          biasRegularizer: R.l2(0.1),
          activityRegularizer: R.l1(0.01),
        }),
        L.maxPooling2d({ name: 'mp', poolSize: 2, strides: [2, 1], padding: 'same' }),
        L.averagePooling2d({ name: 'ap', poolSize: [2, 3], strides: 1, padding: 'same' }),
        L.conv2d({
          name: 'c2',
          filters: 4,
          kernelSize: 2,
          dilationRate: 2,
          padding: 'same',
          kernelRegularizer: R.l1l2({ l1: 0.01, l2: 0.02 }),
        }),
        L.averagePooling2d({ name: 'ap2', poolSize: 2 }),
        L.maxPooling2d({ name: 'mp2', poolSize: [1, 2], strides: 1 }),
        L.globalAveragePooling2d({ name: 'gap', keepDims: true }),
        L.globalMaxPooling2d({ name: 'gmp' }),
      ]),
      x: x([3, 7, 6, 2]),
      training: true,
    },
    {
      name: 'conv1d-pooling',
      model: seq([
        L.conv1d({
          name: 'c1',
          filters: 4,
          kernelSize: 5,
          strides: 3,
          padding: 'same',
          inputShape: [20, 3],
          activation: 'tanh',
          kernelRegularizer: R.l2(0.05),
        }),
        L.maxPooling1d({ name: 'mp', poolSize: 3, strides: 2, padding: 'same' }),
        L.conv1d({ name: 'c2', filters: 5, kernelSize: 2, useBias: false }),
        L.averagePooling1d({ name: 'ap', poolSize: 2, strides: 1, padding: 'same' }),
        L.globalMaxPooling1d({ name: 'gmp', keepDims: true }),
        L.globalAveragePooling1d({ name: 'gap' }),
      ]),
      x: x([4, 20, 3]),
      training: true,
    },
    {
      name: 'conv2d-transpose-depthwise-separable',
      model: seq([
        L.conv2dTranspose({
          name: 't1',
          filters: 3,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          inputShape: [3, 4, 2],
          kernelRegularizer: R.l2(0.01),
        }),
        L.conv2dTranspose({ name: 't2', filters: 2, kernelSize: [2, 3], strides: [2, 1] }),
        L.depthwiseConv2d({
          name: 'dw',
          kernelSize: 3,
          depthMultiplier: 2,
          strides: 2,
          padding: 'same',
          depthwiseRegularizer: R.l1(0.01),
          biasRegularizer: R.l2(0.1),
        }),
        L.separableConv2d({
          name: 'sep',
          filters: 3,
          kernelSize: 2,
          depthMultiplier: 2,
          padding: 'same',
          activation: 'relu',
          pointwiseRegularizer: R.l2(0.1),
          depthwiseRegularizer: R.l1(0.02),
        }),
        L.conv2dTranspose({ name: 't3', filters: 2, kernelSize: 1, strides: 3, useBias: false }),
        L.conv2dTranspose({
          name: 't4',
          filters: 2,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          outputPadding: 0,
        }),
        L.separableConv2d({ name: 'sep2', filters: 2, kernelSize: 3, strides: 2 }),
      ]),
      x: x([2, 3, 4, 2]),
      training: true,
    },
    // Shape layers, advanced activations, noise dropouts, layer normalization
    {
      name: 'padding-cropping-upsampling-2d',
      model: seq([
        L.zeroPadding2d({
          name: 'zp',
          padding: [
            [1, 2],
            [0, 1],
          ],
          inputShape: [5, 4, 3],
        }),
        L.cropping2d({
          name: 'cr',
          cropping: [
            [1, 0],
            [2, 1],
          ],
        }),
        L.upSampling2d({ name: 'up', size: [2, 1] }),
        L.upSampling2d({ name: 'bi', size: [1, 2], interpolation: 'bilinear' }),
        L.conv2d({ name: 'c', filters: 2, kernelSize: 2, kernelRegularizer: R.l2(0.01) }),
      ]),
      x: x([2, 5, 4, 3]),
      training: true,
    },
    {
      name: 'padding-cropping-upsampling-1d',
      model: seq([
        L.zeroPadding1d({ name: 'zp', padding: [2, 1], inputShape: [6, 3] }),
        L.cropping1d({ name: 'cr', cropping: [1, 3] }),
        L.upSampling1d({ name: 'up', size: 3 }),
      ]),
      x: x([2, 6, 3]),
      training: true,
    },
    {
      name: 'advanced-activations-layer-normalization',
      model: withRandomWeights(
        seq([
          L.dense({ name: 'd', units: 8, inputShape: [6] }),
          L.leakyReLU({ name: 'leaky', alpha: 0.2 }),
          L.prelu({ name: 'pr', alphaRegularizer: R.l2(0.1) }),
          L.elu({ name: 'elu', alpha: 0.7 }),
          L.reLU({ name: 'relu', maxValue: 1.5, negativeSlope: 0.1, threshold: 0.2 }),
          L.layerNormalization({
            name: 'ln',
            gammaRegularizer: R.l2(0.1),
            betaRegularizer: R.l1(0.1),
            activityRegularizer: R.l2(0.01),
          }),
          L.reshape({ name: 'r', targetShape: [2, 4] }),
          L.permute({ name: 'p', dims: [2, 1] }),
          L.softmax({ name: 'sm', axis: 1 }),
          L.layerNormalization({ name: 'ln2', axis: [1, 2], epsilon: 0.01 }),
          L.flatten({ name: 'f' }),
          L.repeatVector({ name: 'rv', n: 3 }),
        ]),
      ),
      x: x([5, 6], 2),
      training: true,
    },
    {
      name: 'embedding',
      model: seq([
        L.embedding({
          name: 'emb',
          inputDim: 7,
          outputDim: 3,
          inputShape: [4],
          embeddingsRegularizer: R.l2(0.1),
        }),
        L.globalAveragePooling1d({ name: 'gap' }),
        L.dense({ name: 'out', units: 2 }),
      ]),
      x: sn.tensor([0, 6, 2, 2, 5, 1, 3, 4, 6, 6, 0, 1], [3, 4], 'int32'),
      training: true,
    },
    // Recurrent layers
    {
      name: 'recurrent',
      model: seq([
        L.simpleRNN({
          name: 'rnn',
          units: 4,
          returnSequences: true,
          inputShape: [5, 3],
          kernelRegularizer: R.l2(0.1),
          recurrentRegularizer: R.l1(0.05),
          activityRegularizer: R.l2(0.01),
        }),
        L.lstm({
          name: 'lstm',
          units: 3,
          returnSequences: true,
          goBackwards: true,
          recurrentRegularizer: R.l2(0.2),
          biasRegularizer: R.l1(0.1),
        }),
        L.gru({ name: 'gru', units: 4, returnSequences: true, recurrentRegularizer: R.l2(0.1) }),
        L.gru({
          name: 'gru0',
          units: 2,
          resetAfter: false,
          activation: 'relu',
          recurrentActivation: 'hard_sigmoid',
          kernelRegularizer: R.l1(0.01),
        }),
      ]),
      x: x([3, 5, 3]),
      training: true,
    },
    {
      name: 'noise-dropouts',
      model: seq([
        L.spatialDropout1d({ name: 'sd1', rate: 0.3, inputShape: [4, 6] }),
        L.gaussianDropout({ name: 'gd', rate: 0.2 }),
        L.alphaDropout({ name: 'ad', rate: 0.1 }),
        L.reshape({ name: 'r', targetShape: [4, 2, 3] }),
        L.spatialDropout2d({ name: 'sd2', rate: 0.4 }),
        L.flatten({ name: 'f' }),
        L.dense({ name: 'out', units: 2 }),
      ]),
      x: x([3, 4, 6]),
      training: false,
    },
  ];
}

/** Gives every weight random values (PReLU's alpha and layerNormalization's start constant). */
function withRandomWeights(model: sn.Sequential): sn.Sequential {
  model.weights.forEach((w, i) =>
    w.assign(sn.add(sn.mul(sn.randomNormal(w.shape, { seed: 50 + i }), 0.5), 0.5)),
  );
  return model;
}

function labCases(): Case[] {
  return VARIANTS.map((v, i) => ({
    name: `lab-${v.name}`,
    model: v.build(100 + i),
    x: sn.mul(sn.randomUniform([16, 784], { seed: i }), v.inputScale),
    training: true,
  }));
}

/** What sinew gives on x: outputs and named penalties, at inference then in training. */
function sinewSide(c: Case) {
  const run = (training: boolean) => {
    const y = c.model.apply(c.x, { training });
    return { y: Array.from(y.dataSync()), reg: c.model.regularizationLosses() };
  };
  const inference = run(false);
  return { inference, training: c.training ? run(true) : undefined };
}

const PY_CHECK = `
import importlib.util, json, sys
import numpy as np, torch
cases = json.loads(sys.argv[1])
out = {}
for c in cases:
    spec = importlib.util.spec_from_file_location('m_' + str(len(out)), c['dir'] + '/model.py')
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    model = mod.load_model()
    x = torch.from_numpy(np.load(c['dir'] + '/x.npy')).to(mod.DTYPE)
    def run(train):
        model.train(train)
        y = model(x)
        return {'y': y.detach().reshape(-1).tolist(),
                'reg': {k: v.item() for k, v in model.regularization_losses().items()}}
    r = {'inference': run(False)}
    if c['training']:
        r['training'] = run(True)
    out[c['name']] = r
print(json.dumps(out))
`;

function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${what}: sinew ${a}, torch ${b}`);
}

test('the exported module predicts as sinew and names the same penalties (each layer, the lab models)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sinew-torch-'));
  const cases = [...layerCases(), ...labCases()];
  const expected: Record<string, ReturnType<typeof sinewSide>> = {};
  for (const c of cases) {
    const dir = join(root, c.name);
    const written = await sn.io.exportPyTorch(c.model, dir);
    assert.deepEqual(written.map((f) => f.slice(dir.length + 1)).sort(), [
      'model.py',
      'weights.safetensors',
    ]);
    await sn.io.saveNpy(c.x, join(dir, 'x.npy'));
    expected[c.name] = sinewSide(c);
  }
  const got = lastJson<Record<string, ReturnType<typeof sinewSide>>>(
    runPython(PY_CHECK, {
      args: [
        JSON.stringify(
          cases.map((c) => ({ name: c.name, dir: join(root, c.name), training: c.training })),
        ),
      ],
    }),
  );
  for (const c of cases) {
    const mine = expected[c.name]!;
    const theirs = got[c.name]!;
    for (const mode of ['inference', 'training'] as const) {
      const a = mine[mode];
      const b = theirs[mode];
      if (!a) continue;
      assert.ok(b, `${c.name} ${mode}`);
      assert.equal(a.y.length, b.y.length);
      a.y.forEach((v, i) => close(v, b.y[i]!, `${c.name} ${mode} output ${i}`));
      assert.deepEqual(
        Object.keys(b.reg).sort(),
        Object.keys(a.reg).sort(),
        `${c.name} ${mode} penalty names`,
      );
      for (const [k, v] of Object.entries(a.reg)) close(v, b.reg[k]!, `${c.name} ${mode} ${k}`);
    }
  }
  // The frozen layer is not penalised on either side; the lab's penalties are all there.
  assert.deepEqual(Object.keys(expected['batch-normalization-frozen']!.inference.reg), [
    'bn/gamma',
  ]);
  assert.deepEqual(Object.keys(expected['lab-kl']!.inference.reg), ['encoder/activity']);
});

test('exportPyTorch refuses unexportable layers (listing them), a non-empty folder unless force, bad options', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sinew-torch-'));
  class Custom extends sn.layers.Layer {
    static override readonly className = 'Custom';
    call(x: sn.Tensor | sn.Tensor[]): sn.Tensor {
      return x as sn.Tensor;
    }
  }
  const bad = sn.sequential({
    layers: [
      L.dense({ name: 'ok', units: 3, inputShape: [2] }),
      new Custom({ name: 'mine' }),
      L.dense({ name: 'penal', units: 2, kernelRegularizer: (w: sn.Tensor) => sn.sum(w) }),
      L.dense({ name: 'capped', units: 2, kernelConstraint: 'maxNorm' }),
    ],
  });
  await assert.rejects(sn.io.exportPyTorch(bad, join(root, 'bad')), (e: Error) => {
    assert.equal(e.name, 'SerializationError', e.message);
    assert.match(e.message, /3 layer\(s\) that cannot be exported/);
    assert.match(e.message, /'mine' \(Custom\): no PyTorch converter/);
    assert.match(e.message, /'penal' \(Dense\): its weight 'kernel' has a custom regularizer/);
    assert.match(e.message, /'capped' \(Dense\): its weight 'kernel' has a constraint/);
    assert.match(e.message, /Exportable: Dense, Activation/);
    return true;
  });
  assert.deepEqual(await readdir(root), [], 'nothing written');
  // The new families refuse what their modules do not reproduce.
  const partly = sn.sequential({
    layers: [
      L.embedding({ name: 'emb', inputDim: 5, outputDim: 4, maskZero: true, inputShape: [3] }),
      L.lstm({ name: 'drop', units: 2, dropout: 0.1, returnSequences: true }),
      L.gru({ name: 'states', units: 2, returnSequences: true, stateful: false }),
      L.reshape({ name: 'r', targetShape: [3, 2, 1] }),
      L.conv2d({ name: 'cf', filters: 1, kernelSize: 1, dataFormat: 'channelsFirst' }),
    ],
  });
  await assert.rejects(sn.io.exportPyTorch(partly, join(root, 'partly')), (e: Error) => {
    assert.equal(e.name, 'SerializationError', e.message);
    assert.match(e.message, /3 layer\(s\) that cannot be exported/);
    assert.match(e.message, /'emb' \(Embedding\): its maskZero is true/);
    assert.match(e.message, /'drop' \(LSTM\): it has dropout or recurrentDropout/);
    assert.match(e.message, /'cf' \(Conv2D\): its dataFormat is 'channelsFirst'/);
    return true;
  });
  assert.deepEqual(await readdir(root), [], 'nothing written');

  const good = sn.sequential({ layers: [L.dense({ name: 'd', units: 2, inputShape: [3] })] });
  const full = join(root, 'full');
  await mkdir(full);
  await writeFile(join(full, 'keep.txt'), 'mine');
  await assert.rejects(sn.io.exportPyTorch(good, full), (e: Error) => {
    assert.equal(e.name, 'SerializationError');
    assert.match(e.message, /exists and is not empty \(keep\.txt\).*force: true/);
    return true;
  });
  assert.deepEqual(await readdir(full), ['keep.txt']);
  await sn.io.exportPyTorch(good, full, { force: true });
  assert.deepEqual((await readdir(full)).sort(), ['model.py', 'weights.safetensors']);
  // An existing empty folder is used; no temporary folder is left behind.
  const empty = join(root, 'empty');
  await mkdir(empty);
  await sn.io.exportPyTorch(good, empty);
  assert.deepEqual((await readdir(root)).sort(), ['empty', 'full']);
  await assert.rejects(
    sn.io.exportPyTorch(good, join(root, 'x'), { fit: { epochs: 2 } }),
    (e: Error) => e.name === 'ConfigError' && /not compiled/.test(e.message),
  );
  await assert.rejects(
    sn.io.exportPyTorch(good, join(root, 'x'), { forse: true } as never),
    (e: Error) => e.name === 'ConfigError' && /force/.test(e.message),
  );
});

test('a machine without PyTorch fails the tests with a message naming python3-torch', () => {
  assert.equal(torchProblem(PYTHON), undefined);
  assert.match(torchProblem('/nonexistent/python3') ?? '', /Debian package python3-torch/);
});
