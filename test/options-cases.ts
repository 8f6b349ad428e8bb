import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';

/**
 * The options-taking functions of the public API, each called with valid arguments plus
 * `extra` merged into its options (test/options.test.ts passes one unknown key).
 */
export const BOGUS = 'notAnOption';
export type Extra = Record<string, unknown>;

export interface Case {
  /** The name the error must start with (the function, class or layer). */
  where: string;
  /** Calls the function with valid arguments and `extra` merged into its options. */
  call: (extra: Extra) => unknown;
  /** Why the same call without the unknown key is not run (side effects, cost). */
  noValidRun?: string;
}

const tmp = mkdtempSync(join(tmpdir(), 'sinew-options-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

export const x23 = () =>
  sn.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
const probe = () => sn.ones([2, 3]);

/** A compiled 3 → 2 model. */
export function tinyModel(): sn.Sequential {
  const model = sn.sequential({ layers: [sn.layers.dense({ units: 2, inputShape: [3] })] });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  return model;
}
const savedDir = join(tmp, 'saved');
const csvPath = join(tmp, 'data.csv');
writeFileSync(csvPath, 'x,y\n1,0\n2,1\n');
/** A dataset of one batch { xs, ys } for tinyModel. */
const batches = () => sn.data.array([{ xs: x23(), ys: sn.zeros([2, 2]) }]);
const saved = sn.io.save(tinyModel(), savedDir, { onWarning: () => {} });

/** A case for `sn.<path>` called as `f(...args, options)`. */
function fn(where: string, f: (o: Extra) => unknown, noValidRun?: string): Case {
  return { where, call: f, ...(noValidRun === undefined ? {} : { noValidRun }) };
}

export const CASES: Record<string, Case> = {
  // --- layers: factories and classes (classes: the same options through `new`)
  'layers.dense': fn('Dense', (o) => sn.layers.dense({ units: 2, ...o })),
  'layers.Dense': fn('Dense', (o) => new sn.layers.Dense({ units: 2, ...o })),
  'layers.activation': fn('Activation', (o) => sn.layers.activation({ activation: 'relu', ...o })),
  'layers.Activation': fn(
    'Activation',
    (o) => new sn.layers.Activation({ activation: 'relu', ...o }),
  ),
  'layers.activityRegularization': fn('ActivityRegularization', (o) =>
    sn.layers.activityRegularization({ l1: 0.1, ...o }),
  ),
  'layers.ActivityRegularization': fn(
    'ActivityRegularization',
    (o) => new sn.layers.ActivityRegularization({ l1: 0.1, ...o }),
  ),
  'layers.batchNormalization': fn('BatchNormalization', (o) => sn.layers.batchNormalization(o)),
  'layers.BatchNormalization': fn('BatchNormalization', (o) => new sn.layers.BatchNormalization(o)),
  'layers.dropout': fn('Dropout', (o) => sn.layers.dropout({ rate: 0.5, ...o })),
  'layers.Dropout': fn('Dropout', (o) => new sn.layers.Dropout({ rate: 0.5, ...o })),
  'layers.flatten': fn('Flatten', (o) => sn.layers.flatten(o)),
  'layers.Flatten': fn('Flatten', (o) => new sn.layers.Flatten(o)),
  'layers.gaussianNoise': fn('GaussianNoise', (o) => sn.layers.gaussianNoise({ stddev: 1, ...o })),
  'layers.GaussianNoise': fn(
    'GaussianNoise',
    (o) => new sn.layers.GaussianNoise({ stddev: 1, ...o }),
  ),
  'layers.kSparse': fn('KSparse', (o) => sn.layers.kSparse({ k: 1, ...o })),
  'layers.KSparse': fn('KSparse', (o) => new sn.layers.KSparse({ k: 1, ...o })),
  'layers.reshape': fn('Reshape', (o) => sn.layers.reshape({ targetShape: [3], ...o })),
  'layers.Reshape': fn('Reshape', (o) => new sn.layers.Reshape({ targetShape: [3], ...o })),
  'layers.input': fn('input', (o) => sn.layers.input({ shape: [3], ...o })),
  'layers.InputLayer': fn('input', (o) => new sn.layers.InputLayer({ shape: [3], ...o })),
  input: fn('input', (o) => sn.input({ shape: [3], ...o })),

  // --- models and their methods
  model: fn('model()', (o) => {
    const inp = sn.input({ shape: [3] });
    return sn.model({ inputs: inp, outputs: sn.layers.dense({ units: 2 }).apply(inp), ...o });
  }),
  Model: fn('model()', (o) => {
    const inp = sn.input({ shape: [3] });
    return new sn.Model({ inputs: inp, outputs: sn.layers.dense({ units: 2 }).apply(inp), ...o });
  }),
  sequential: fn('sequential', (o) => sn.sequential(o)),
  Sequential: fn('sequential', (o) => new sn.Sequential(o)),
  'Model#compile': fn('compile', (o) =>
    tinyModel().compile({ optimizer: 'sgd', loss: 'mse', ...o }),
  ),
  'Model#fit': fn('fit', (o) => tinyModel().fit(x23(), sn.zeros([2, 2]), { verbose: 0, ...o })),
  'Model#evaluate': fn('evaluate', (o) => tinyModel().evaluate(x23(), sn.zeros([2, 2]), o)),
  'Model#predict': fn('predict', (o) => tinyModel().predict(x23(), o)),
  'Model#trainOnBatch': fn('trainOnBatch', (o) =>
    tinyModel().trainOnBatch(x23(), sn.zeros([2, 2]), o),
  ),
  'Model#testOnBatch': fn('testOnBatch', (o) =>
    tinyModel().testOnBatch(x23(), sn.zeros([2, 2]), o),
  ),
  'Model#summary': fn('Sequential', (o) => tinyModel().summary({ printFn: () => {}, ...o })),
  'Model#fitDataset': fn('fitDataset', (o) =>
    tinyModel().fitDataset(batches(), { verbose: 0, ...o }),
  ),
  'Model#fitDataset checkpoint': fn('fitDataset: checkpoint', (o) =>
    tinyModel().fitDataset(batches(), {
      verbose: 0,
      checkpoint: { dir: join(tmp, 'fit-dataset-ckpt'), ...o },
    }),
  ),
  'Model#evaluateDataset': fn('evaluateDataset', (o) => tinyModel().evaluateDataset(batches(), o)),
  // A step override passing its batch on to the built-in step, with the extra key.
  'Model#trainStep': fn('Sequential', (o) => {
    const model = tinyModel();
    const builtIn = model.trainStep.bind(model);
    model.trainStep = (data) => builtIn({ ...data, ...o });
    return model.trainOnBatch(x23(), sn.zeros([2, 2]));
  }),
  'Layer#apply': fn('Dense', (o) => sn.layers.dense({ units: 2 }).apply(x23(), o)),
  'Layer#addWeight': fn('Dense', (o) =>
    sn.layers.dense({ units: 2 }).addWeight({ name: 'w', shape: [2], ...o }),
  ),

  // --- ops and tensor creation with options
  sum: fn('sum', (o) => sn.sum(x23(), 0, o)),
  mean: fn('mean', (o) => sn.mean(x23(), 0, o)),
  max: fn('max', (o) => sn.max(x23(), 0, o)),
  min: fn('min', (o) => sn.min(x23(), 0, o)),
  prod: fn('prod', (o) => sn.prod(x23(), 0, o)),
  variance: fn('variance', (o) => sn.variance(x23(), 0, o)),
  std: fn('std', (o) => sn.std(x23(), 0, o)),
  logSumExp: fn('logSumExp', (o) => sn.logSumExp(x23(), 0, o)),
  norm: fn('norm', (o) => sn.norm(x23(), 0, o)),
  matmul: fn('matmul', (o) => sn.matmul(x23(), sn.ones([3, 2]), o)),
  gather: fn('gather', (o) => sn.gather(x23(), [1, 0], o)),
  scatterAdd: fn('scatterAdd', (o) => sn.scatterAdd(x23(), [1], sn.ones([1, 3]), o)),
  oneHot: fn('oneHot', (o) => sn.oneHot([0, 1], 3, o)),
  split: fn('split', (o) => sn.split(x23(), 2, o)),
  slice: fn('slice', (o) => sn.slice(x23(), [0, 1], o)),
  pad: fn('pad', (o) =>
    sn.pad(
      x23(),
      [
        [1, 1],
        [0, 0],
      ],
      o,
    ),
  ),
  leakyRelu: fn('leakyRelu', (o) => sn.leakyRelu(x23(), o)),
  elu: fn('elu', (o) => sn.elu(x23(), o)),
  gelu: fn('gelu', (o) => sn.gelu(x23(), o)),
  clip: fn('clip', (o) => sn.clip(x23(), { min: 0, ...o })),
  eye: fn('eye()', (o) => sn.eye(2, o)),
  range: fn('range()', (o) => sn.range(0, 3, o)),
  randomNormal: fn('randomNormal()', (o) => sn.randomNormal([2], o)),
  truncatedNormal: fn('truncatedNormal()', (o) => sn.truncatedNormal([2], o)),
  randomUniform: fn('randomUniform()', (o) => sn.randomUniform([2], o)),
  randomBernoulli: fn('randomBernoulli()', (o) => sn.randomBernoulli([2], o)),
  variable: fn('variable()', (o) => sn.variable(x23(), o)),
  Variable: fn('Variable', (o) => new sn.Variable(x23(), o)),
  setBackend: fn(
    'setBackend()',
    (o) => sn.setBackend('cpu', o),
    'it would replace the backend the rest of the suite runs on',
  ),
  'testing.gradCheck': fn('gradCheck', (o) =>
    sn.testing.gradCheck((a) => sn.sum(sn.square(a!)), [sn.tensor([1, 2], [2], 'float64')], o),
  ),

  // --- regularizers, initializers, constraints, activations
  'regularizers.l1': fn('l1', (o) => sn.regularizers.l1({ l1: 0.01, ...o })),
  'regularizers.l2': fn('l2', (o) => sn.regularizers.l2({ l2: 0.01, ...o })),
  'regularizers.l1l2': fn('l1l2', (o) => sn.regularizers.l1l2({ l1: 0.01, ...o })),
  'regularizers.orthogonal': fn('orthogonal', (o) => sn.regularizers.orthogonal(o)),
  'regularizers.klSparsity': fn('klSparsity', (o) => sn.regularizers.klSparsity(o)),
  'regularizers.L1': fn('l1', (o) => new sn.regularizers.L1(o)),
  'regularizers.L2': fn('l2', (o) => new sn.regularizers.L2(o)),
  'regularizers.L1L2': fn('l1l2', (o) => new sn.regularizers.L1L2(o)),
  'regularizers.OrthogonalRegularizer': fn(
    'orthogonal',
    (o) => new sn.regularizers.OrthogonalRegularizer(o),
  ),
  'regularizers.KLSparsity': fn('klSparsity', (o) => new sn.regularizers.KLSparsity(o)),
  ...initializerCases(),
  'constraints.maxNorm': fn('maxNorm', (o) => sn.constraints.maxNorm(o)),
  'constraints.MaxNorm': fn('maxNorm', (o) => new sn.constraints.MaxNorm(o)),
  'constraints.minMaxNorm': fn('minMaxNorm', (o) => sn.constraints.minMaxNorm(o)),
  'constraints.MinMaxNorm': fn('minMaxNorm', (o) => new sn.constraints.MinMaxNorm(o)),
  'constraints.unitNorm': fn('unitNorm', (o) => sn.constraints.unitNorm(o)),
  'constraints.UnitNorm': fn('unitNorm', (o) => new sn.constraints.UnitNorm(o)),
  'activations.Softmax': fn('softmax', (o) => new sn.activations.Softmax(o)),
  'activations.LogSoftmax': fn('log_softmax', (o) => new sn.activations.LogSoftmax(o)),
  'activations.Elu': fn('elu', (o) => new sn.activations.Elu(o)),
  'activations.Gelu': fn('gelu', (o) => new sn.activations.Gelu(o)),
  'activations.LeakyRelu': fn('leaky_relu', (o) => new sn.activations.LeakyRelu(o)),

  // --- losses and metrics (factories and classes)
  ...lossAndMetricCases(),
  'losses.LossFunctionWrapper': fn(
    'LossFunctionWrapper',
    (o) => new sn.losses.LossFunctionWrapper((t, p) => sn.sub(t, p), o),
  ),
  'metrics.MeanMetricWrapper': fn(
    'MeanMetricWrapper',
    (o) => new sn.metrics.MeanMetricWrapper((t, p) => sn.sub(t, p), o),
  ),

  // --- optimizers and schedules
  ...optimizerCases(),

  // --- callbacks
  'callbacks.earlyStopping': fn('earlyStopping', (o) => sn.callbacks.earlyStopping(o)),
  'callbacks.EarlyStopping': fn('earlyStopping', (o) => new sn.callbacks.EarlyStopping(o)),
  'callbacks.reduceLROnPlateau': fn('reduceLROnPlateau', (o) => sn.callbacks.reduceLROnPlateau(o)),
  'callbacks.ReduceLROnPlateau': fn(
    'reduceLROnPlateau',
    (o) => new sn.callbacks.ReduceLROnPlateau(o),
  ),
  'callbacks.csvLogger': fn('csvLogger', (o) => sn.callbacks.csvLogger(join(tmp, 'log.csv'), o)),
  'callbacks.CSVLogger': fn(
    'csvLogger',
    (o) => new sn.callbacks.CSVLogger(join(tmp, 'log.csv'), o),
  ),
  'callbacks.lambdaCallback': fn('lambdaCallback', (o) =>
    sn.callbacks.lambdaCallback({ onEpochEnd: () => {}, ...o }),
  ),
  'callbacks.LambdaCallback': fn(
    'lambdaCallback',
    (o) => new sn.callbacks.LambdaCallback({ onEpochEnd: () => {}, ...o }),
  ),
  'callbacks.learningRateScheduler': fn('learningRateScheduler', (o) =>
    sn.callbacks.learningRateScheduler((_, lr) => lr, o),
  ),
  'callbacks.LearningRateScheduler': fn(
    'learningRateScheduler',
    (o) => new sn.callbacks.LearningRateScheduler((_, lr) => lr, o),
  ),
  'callbacks.modelCheckpoint': fn('modelCheckpoint', (o) =>
    sn.callbacks.modelCheckpoint({ path: join(tmp, 'ckpt'), ...o }),
  ),
  'callbacks.ModelCheckpoint': fn(
    'modelCheckpoint',
    (o) => new sn.callbacks.ModelCheckpoint({ path: join(tmp, 'ckpt'), ...o }),
  ),
  'callbacks.tensorBoard': fn('tensorBoard', (o) => sn.callbacks.tensorBoard(join(tmp, 'tb'), o)),
  'callbacks.TensorBoard': fn(
    'tensorBoard',
    (o) => new sn.callbacks.TensorBoard(join(tmp, 'tb'), o),
  ),
  'Model#fit checkpoint': fn('fit: checkpoint', (o) =>
    tinyModel().fit(x23(), sn.zeros([2, 2]), {
      verbose: 0,
      checkpoint: { dir: join(tmp, 'fit-ckpt'), ...o },
    }),
  ),

  // --- io
  'io.save': fn('save', (o) =>
    sn.io.save(tinyModel(), join(tmp, 'save'), { onWarning: () => {}, overwrite: true, ...o }),
  ),
  'io.load': fn('load', async (o) => {
    await saved;
    return sn.io.load(savedDir, { maxWeightBytes: 2 ** 20, ...o });
  }),
  'io.toMemory': fn('toMemory', (o) => sn.io.toMemory(tinyModel(), { onWarning: () => {}, ...o })),
  'io.fromMemory': fn('fromMemory', (o) =>
    sn.io.fromMemory(sn.io.toMemory(tinyModel(), { onWarning: () => {} }), o),
  ),
  'io.probeDirectory': fn('probeDirectory', (o) =>
    sn.io.probeDirectory(join(tmp, 'probe'), 'options test', { timeoutMs: 5000, ...o }),
  ),
  'io.inspect': fn('inspect', async (o) => {
    await saved;
    return sn.io.inspect(savedDir, o);
  }),

  // --- diagnostics and data
  'diagnostics.monitor': fn('diagnostics.monitor', (o) =>
    sn.diagnostics.monitor({ probe: probe(), ...o }),
  ),
  'diagnostics.Monitor': fn(
    'diagnostics.monitor',
    (o) => new sn.diagnostics.Monitor({ probe: probe(), ...o }),
  ),
  'diagnostics.histogram': fn('histogram', (o) => sn.diagnostics.histogram(x23(), o)),
  'diagnostics.tensorStats': fn('tensorStats', (o) => sn.diagnostics.tensorStats(x23(), o)),
  'diagnostics.advise': fn('advise', (o) =>
    sn.diagnostics.advise(sn.diagnostics.monitor({ probe: probe() }).log, undefined, o),
  ),
  'diagnostics.parseEventFile': fn('readEventFile', (o) =>
    sn.diagnostics.parseEventFile(new Uint8Array(0), 'empty', o),
  ),
  'diagnostics.readEventFile': fn(
    'readEventFile',
    (o) => sn.diagnostics.readEventFile(join(tmp, 'no-such-file'), o),
    'there is no event file to read; the options are checked before the file is opened',
  ),
  'data.csv': fn('sn.data.csv', (o) => sn.data.csv(csvPath, { hasHeader: true, ...o })),
  'data.CSVDataset': fn(
    'sn.data.csv',
    (o) => new sn.data.CSVDataset(csvPath, { hasHeader: true, ...o }),
  ),
  'data.csv columnConfigs': fn('sn.data.csv: columnConfigs.y', (o) =>
    sn.data.csv(csvPath, { columnConfigs: { y: { isLabel: true, ...o } } }),
  ),
  'Dataset#shuffle': fn('Dataset.shuffle', (o) =>
    sn.data
      .array([1, 2, 3])
      .shuffle(3, { seed: 1, ...o })
      .toArray(),
  ),
  'data.mnist': fn(
    'mnist',
    (o) => sn.data.mnist(o),
    'reading 70,000 digits is slow; the options are checked before the data is read',
  ),

  // --- pooling ops and layers
  maxPool: fn('maxPool', (o) => sn.maxPool(sn.ones([1, 4, 4, 2]), { poolSize: 2, ...o })),
  avgPool: fn('avgPool', (o) => sn.avgPool(sn.ones([1, 4, 4, 2]), { poolSize: 2, ...o })),
  maxPool1d: fn('maxPool1d', (o) => sn.maxPool1d(sn.ones([1, 4, 2]), { poolSize: 2, ...o })),
  avgPool1d: fn('avgPool1d', (o) => sn.avgPool1d(sn.ones([1, 4, 2]), { poolSize: 2, ...o })),
  upSampling: fn('upSampling', (o) => sn.upSampling(sn.ones([1, 2, 2, 1]), o)),
  'layers.maxPooling1d': fn('MaxPooling1D', (o) => sn.layers.maxPooling1d(o)),
  'layers.MaxPooling1D': fn('MaxPooling1D', (o) => new sn.layers.MaxPooling1D(o)),
  'layers.averagePooling1d': fn('AveragePooling1D', (o) => sn.layers.averagePooling1d(o)),
  'layers.AveragePooling1D': fn('AveragePooling1D', (o) => new sn.layers.AveragePooling1D(o)),
  'layers.maxPooling2d': fn('MaxPooling2D', (o) => sn.layers.maxPooling2d(o)),
  'layers.MaxPooling2D': fn('MaxPooling2D', (o) => new sn.layers.MaxPooling2D(o)),
  'layers.averagePooling2d': fn('AveragePooling2D', (o) => sn.layers.averagePooling2d(o)),
  'layers.AveragePooling2D': fn('AveragePooling2D', (o) => new sn.layers.AveragePooling2D(o)),
  'layers.globalMaxPooling1d': fn('GlobalMaxPooling1D', (o) => sn.layers.globalMaxPooling1d(o)),
  'layers.GlobalMaxPooling1D': fn('GlobalMaxPooling1D', (o) => new sn.layers.GlobalMaxPooling1D(o)),
  'layers.globalAveragePooling1d': fn('GlobalAveragePooling1D', (o) =>
    sn.layers.globalAveragePooling1d(o),
  ),
  'layers.GlobalAveragePooling1D': fn(
    'GlobalAveragePooling1D',
    (o) => new sn.layers.GlobalAveragePooling1D(o),
  ),
  'layers.globalMaxPooling2d': fn('GlobalMaxPooling2D', (o) => sn.layers.globalMaxPooling2d(o)),
  'layers.GlobalMaxPooling2D': fn('GlobalMaxPooling2D', (o) => new sn.layers.GlobalMaxPooling2D(o)),
  'layers.globalAveragePooling2d': fn('GlobalAveragePooling2D', (o) =>
    sn.layers.globalAveragePooling2d(o),
  ),
  'layers.GlobalAveragePooling2D': fn(
    'GlobalAveragePooling2D',
    (o) => new sn.layers.GlobalAveragePooling2D(o),
  ),
  'layers.upSampling1d': fn('UpSampling1D', (o) => sn.layers.upSampling1d(o)),
  'layers.UpSampling1D': fn('UpSampling1D', (o) => new sn.layers.UpSampling1D(o)),
  'layers.upSampling2d': fn('UpSampling2D', (o) => sn.layers.upSampling2d(o)),
  'layers.UpSampling2D': fn('UpSampling2D', (o) => new sn.layers.UpSampling2D(o)),
  // --- Convolution ops
  conv2d: fn('conv2d', (o) => sn.conv2d(sn.ones([1, 4, 4, 2]), sn.ones([3, 3, 2, 1]), o)),
  conv1d: fn('conv1d', (o) => sn.conv1d(sn.ones([1, 4, 2]), sn.ones([3, 2, 1]), o)),
  conv2dTranspose: fn('conv2dTranspose', (o) =>
    sn.conv2dTranspose(sn.ones([1, 2, 2, 2]), sn.ones([3, 3, 1, 2]), o),
  ),
  depthwiseConv2d: fn('depthwiseConv2d', (o) =>
    sn.depthwiseConv2d(sn.ones([1, 4, 4, 2]), sn.ones([3, 3, 2, 2]), o),
  ),
  separableConv2d: fn('separableConv2d', (o) =>
    sn.separableConv2d(sn.ones([1, 4, 4, 2]), {
      depthwiseFilter: sn.ones([3, 3, 2, 2]),
      pointwiseFilter: sn.ones([1, 1, 4, 3]),
      ...o,
    }),
  ),

  // --- Convolution layers
  'layers.conv1d': fn('Conv1D', (o) => sn.layers.conv1d({ filters: 2, kernelSize: 3, ...o })),
  'layers.Conv1D': fn('Conv1D', (o) => new sn.layers.Conv1D({ filters: 2, kernelSize: 3, ...o })),
  'layers.conv2d': fn('Conv2D', (o) => sn.layers.conv2d({ filters: 2, kernelSize: 3, ...o })),
  'layers.Conv2D': fn('Conv2D', (o) => new sn.layers.Conv2D({ filters: 2, kernelSize: 3, ...o })),
  'layers.conv2dTranspose': fn('Conv2DTranspose', (o) =>
    sn.layers.conv2dTranspose({ filters: 2, kernelSize: 3, ...o }),
  ),
  'layers.Conv2DTranspose': fn(
    'Conv2DTranspose',
    (o) => new sn.layers.Conv2DTranspose({ filters: 2, kernelSize: 3, ...o }),
  ),
  'layers.depthwiseConv2d': fn('DepthwiseConv2D', (o) =>
    sn.layers.depthwiseConv2d({ kernelSize: 3, ...o }),
  ),
  'layers.DepthwiseConv2D': fn(
    'DepthwiseConv2D',
    (o) => new sn.layers.DepthwiseConv2D({ kernelSize: 3, ...o }),
  ),
  'layers.separableConv2d': fn('SeparableConv2D', (o) =>
    sn.layers.separableConv2d({ filters: 2, kernelSize: 3, ...o }),
  ),
  'layers.SeparableConv2D': fn(
    'SeparableConv2D',
    (o) => new sn.layers.SeparableConv2D({ filters: 2, kernelSize: 3, ...o }),
  ),
};

function initializerCases(): Record<string, Case> {
  const init = sn.initializers;
  const cases: Record<string, Case> = {
    'initializers.constant': fn('constant', (o) => init.constant({ value: 1, ...o })),
    'initializers.Constant': fn('constant', (o) => new init.Constant({ value: 1, ...o })),
    'initializers.identity': fn('identity', (o) => init.identity(o)),
    'initializers.Identity': fn('identity', (o) => new init.Identity(o)),
    'initializers.orthogonal': fn('orthogonal', (o) => init.orthogonal(o)),
    'initializers.Orthogonal': fn('orthogonal', (o) => new init.Orthogonal(o)),
    'initializers.randomNormal': fn('randomNormal', (o) => init.randomNormal(o)),
    'initializers.RandomNormal': fn('randomNormal', (o) => new init.RandomNormal(o)),
    'initializers.truncatedNormal': fn('truncatedNormal', (o) => init.truncatedNormal(o)),
    'initializers.TruncatedNormal': fn('truncatedNormal', (o) => new init.TruncatedNormal(o)),
    'initializers.randomUniform': fn('randomUniform', (o) => init.randomUniform(o)),
    'initializers.RandomUniform': fn('randomUniform', (o) => new init.RandomUniform(o)),
    'initializers.varianceScaling': fn('varianceScaling', (o) => init.varianceScaling(o)),
    'initializers.VarianceScaling': fn('varianceScaling', (o) => new init.VarianceScaling(o)),
  };
  const seeded = [
    ['glorotNormal', 'GlorotNormal'],
    ['glorotUniform', 'GlorotUniform'],
    ['heNormal', 'HeNormal'],
    ['heUniform', 'HeUniform'],
    ['lecunNormal', 'LecunNormal'],
    ['lecunUniform', 'LecunUniform'],
  ] as const;
  for (const [factory, cls] of seeded) {
    cases[`initializers.${factory}`] = fn(factory, (o) => init[factory](o));
    cases[`initializers.${cls}`] = fn(factory, (o) => new init[cls](o));
  }
  return cases;
}

function lossAndMetricCases(): Record<string, Case> {
  const cases: Record<string, Case> = {};
  const L = sn.losses;
  const losses: [string, string, (o: Extra) => unknown, (o: Extra) => unknown][] = [
    [
      'meanSquaredError',
      'meanSquaredError',
      (o) => L.meanSquaredError(o),
      (o) => new L.MeanSquaredError(o),
    ],
    [
      'meanAbsoluteError',
      'meanAbsoluteError',
      (o) => L.meanAbsoluteError(o),
      (o) => new L.MeanAbsoluteError(o),
    ],
    [
      'meanAbsolutePercentageError',
      'meanAbsolutePercentageError',
      (o) => L.meanAbsolutePercentageError(o),
      (o) => new L.MeanAbsolutePercentageError(o),
    ],
    [
      'meanSquaredLogarithmicError',
      'meanSquaredLogarithmicError',
      (o) => L.meanSquaredLogarithmicError(o),
      (o) => new L.MeanSquaredLogarithmicError(o),
    ],
    [
      'binaryCrossentropy',
      'binaryCrossentropy',
      (o) => L.binaryCrossentropy(o),
      (o) => new L.BinaryCrossentropy(o),
    ],
    [
      'categoricalCrossentropy',
      'categoricalCrossentropy',
      (o) => L.categoricalCrossentropy(o),
      (o) => new L.CategoricalCrossentropy(o),
    ],
    [
      'sparseCategoricalCrossentropy',
      'sparseCategoricalCrossentropy',
      (o) => L.sparseCategoricalCrossentropy(o),
      (o) => new L.SparseCategoricalCrossentropy(o),
    ],
    ['huber', 'huber', (o) => L.huber(o), (o) => new L.Huber(o)],
    ['logcosh', 'logcosh', (o) => L.logcosh(o), (o) => new L.LogCosh(o)],
    [
      'cosineSimilarity',
      'cosineSimilarity',
      (o) => L.cosineSimilarity(o),
      (o) => new L.CosineSimilarity(o),
    ],
    ['hinge', 'hinge', (o) => L.hinge(o), (o) => new L.Hinge(o)],
    ['kld', 'kld', (o) => L.kld(o), (o) => new L.KLDivergence(o)],
    ['poisson', 'poisson', (o) => L.poisson(o), (o) => new L.Poisson(o)],
  ];
  const classOf: Record<string, string> = {
    meanSquaredError: 'MeanSquaredError',
    meanAbsoluteError: 'MeanAbsoluteError',
    meanAbsolutePercentageError: 'MeanAbsolutePercentageError',
    meanSquaredLogarithmicError: 'MeanSquaredLogarithmicError',
    binaryCrossentropy: 'BinaryCrossentropy',
    categoricalCrossentropy: 'CategoricalCrossentropy',
    sparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
    huber: 'Huber',
    logcosh: 'LogCosh',
    cosineSimilarity: 'CosineSimilarity',
    hinge: 'Hinge',
    kld: 'KLDivergence',
    poisson: 'Poisson',
  };
  for (const [factory, where, f, c] of losses) {
    cases[`losses.${factory}`] = { where, call: f };
    cases[`losses.${classOf[factory]!}`] = { where, call: c };
  }
  const M = sn.metrics;
  const metrics: [string, string, string, (o: Extra) => unknown, (o: Extra) => unknown][] = [
    ['auc', 'AUC', 'auc', (o) => M.auc(o), (o) => new M.AUC(o)],
    [
      'binaryAccuracy',
      'BinaryAccuracy',
      'binaryAccuracy',
      (o) => M.binaryAccuracy(o),
      (o) => new M.BinaryAccuracy(o),
    ],
    [
      'categoricalAccuracy',
      'CategoricalAccuracy',
      'categoricalAccuracy',
      (o) => M.categoricalAccuracy(o),
      (o) => new M.CategoricalAccuracy(o),
    ],
    [
      'sparseCategoricalAccuracy',
      'SparseCategoricalAccuracy',
      'sparseCategoricalAccuracy',
      (o) => M.sparseCategoricalAccuracy(o),
      (o) => new M.SparseCategoricalAccuracy(o),
    ],
    [
      'meanSquaredError',
      'MeanSquaredError',
      'meanSquaredError',
      (o) => M.meanSquaredError(o),
      (o) => new M.MeanSquaredError(o),
    ],
    [
      'meanAbsoluteError',
      'MeanAbsoluteError',
      'meanAbsoluteError',
      (o) => M.meanAbsoluteError(o),
      (o) => new M.MeanAbsoluteError(o),
    ],
    ['precision', 'Precision', 'precision', (o) => M.precision(o), (o) => new M.Precision(o)],
    ['recall', 'Recall', 'recall', (o) => M.recall(o), (o) => new M.Recall(o)],
  ];
  for (const [factory, cls, where, f, c] of metrics) {
    cases[`metrics.${factory}`] = { where, call: f };
    cases[`metrics.${cls}`] = { where, call: c };
  }
  cases['metrics.AutoAccuracy'] = { where: 'accuracy', call: (o) => new M.AutoAccuracy(o) };
  return cases;
}

function optimizerCases(): Record<string, Case> {
  const O = sn.optimizers;
  const S = sn.optimizers.schedules;
  const cases: Record<string, Case> = {};
  const optimizers = [
    ['sgd', 'SGD'],
    ['adam', 'Adam'],
    ['adamw', 'AdamW'],
    ['adagrad', 'Adagrad'],
    ['adamax', 'Adamax'],
    ['nadam', 'Nadam'],
    ['rmsprop', 'RMSprop'],
  ] as const;
  for (const [factory, cls] of optimizers) {
    cases[`optimizers.${factory}`] = fn(factory, (o) => O[factory](o));
    cases[`optimizers.${cls}`] = fn(factory, (o) => new O[cls](o));
  }
  const exp = { initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 };
  const cos = { initialLearningRate: 0.1, decaySteps: 10 };
  const pw = { boundaries: [10], values: [0.1, 0.01] };
  const wu = { warmupSteps: 10, target: 0.1 };
  Object.assign(cases, {
    'optimizers.schedules.exponentialDecay': fn('exponentialDecay', (o) =>
      S.exponentialDecay({ ...exp, ...o }),
    ),
    'optimizers.schedules.ExponentialDecay': fn(
      'exponentialDecay',
      (o) => new S.ExponentialDecay({ ...exp, ...o }),
    ),
    'optimizers.schedules.cosineDecay': fn('cosineDecay', (o) => S.cosineDecay({ ...cos, ...o })),
    'optimizers.schedules.CosineDecay': fn(
      'cosineDecay',
      (o) => new S.CosineDecay({ ...cos, ...o }),
    ),
    'optimizers.schedules.piecewiseConstant': fn('piecewiseConstant', (o) =>
      S.piecewiseConstant({ ...pw, ...o }),
    ),
    'optimizers.schedules.PiecewiseConstantDecay': fn(
      'piecewiseConstant',
      (o) => new S.PiecewiseConstantDecay({ ...pw, ...o }),
    ),
    'optimizers.schedules.warmup': fn('warmup', (o) => S.warmup({ ...wu, ...o })),
    'optimizers.schedules.LinearWarmup': fn('warmup', (o) => new S.LinearWarmup({ ...wu, ...o })),
  });
  return cases;
}
