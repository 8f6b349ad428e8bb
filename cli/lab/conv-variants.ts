import * as sn from 'sinew';
import { linearThenSigmoid, type Variant } from './variants.js';

/**
 * The conv lab's variants: the dense lab's seven, on a convolutional autoencoder
 *
 *   28×28×1 → conv 3×3×16 relu same → max-pool 2 → conv 3×3×8 same (the code, 14×14×8)
 *           → upsample 2 → conv 3×3×1 sigmoid same
 *
 * whose code conv carries each variant's penalty, with the dense lab's code activation
 * (sigmoid). The models take and give flat 784-pixel digits (a reshape at each end), so the
 * lab feeds, measures and draws them as it does the dense ones. Names as the dense lab's:
 * 'encoder' is the code conv (its kernel is measured), 'code' the layer whose output is the
 * code where that is not the encoder, and the last layer gives the reconstruction.
 */

const CODE_CHANNELS = 8;
/** k-sparse: the strongest of the 8 channels is kept at each position (12.5%, as 25 of 256 is ~10%). */
export const CONV_KSPARSE_K = 1;

function conv(
  name: string,
  filters: number,
  seed: number,
  options: Partial<sn.layers.Conv2DOptions> = {},
): sn.layers.Conv2D {
  return sn.layers.conv2d({
    name,
    filters,
    kernelSize: 3,
    padding: 'same',
    kernelInitializer: sn.initializers.glorotUniform({ seed }),
    ...options,
  });
}

/** The layers before the code: image, conv 3×3×16 relu, max-pool 2. */
function front(seed: number): sn.layers.Layer[] {
  return [
    sn.layers.reshape({ name: 'image', targetShape: [28, 28, 1], inputShape: [784] }),
    conv('conv1', 16, seed + 2, { activation: 'relu' }),
    sn.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
  ];
}

/** The layers after the code: upsample 2, conv 3×3×1 sigmoid, back to 784 pixels. */
function back(seed: number): sn.layers.Layer[] {
  return [
    sn.layers.upSampling2d({ name: 'upsample', size: 2 }),
    conv('decoder', 1, seed + 1, { activation: 'sigmoid' }),
    sn.layers.reshape({ name: 'pixels', targetShape: [784] }),
  ];
}

/** The code conv: 3×3×8, sigmoid unless told otherwise, with the variant's penalty. */
function encoder(seed: number, options: Partial<sn.layers.Conv2DOptions> = {}): sn.layers.Conv2D {
  return conv('encoder', CODE_CHANNELS, seed, { activation: 'sigmoid', ...options });
}

function model(seed: number, code: sn.layers.Layer[]): sn.Sequential {
  return sn.sequential({ layers: [...front(seed), ...code, ...back(seed)] });
}

export const CONV_VARIANTS: readonly Variant[] = [
  {
    name: 'none',
    description: 'no regularization (the baseline)',
    inputScale: 1,
    build: (seed) => model(seed, [encoder(seed)]),
  },
  {
    name: 'kernel-l2',
    description: 'kernel regularizer l2(1e-3) on the code conv',
    inputScale: 1,
    build: (seed) => model(seed, [encoder(seed, { kernelRegularizer: sn.regularizers.l2(1e-3) })]),
  },
  {
    name: 'activity-l1',
    description: 'activity regularizer l1(1e-3) on the code (a sparse conv autoencoder)',
    inputScale: 1,
    build: (seed) =>
      model(seed, [encoder(seed, { activityRegularizer: sn.regularizers.l1(1e-3) })]),
  },
  {
    name: 'kl',
    description: 'activity regularizer klSparsity(rho 0.05, beta 0.05) on the code',
    inputScale: 1,
    build: (seed) =>
      model(seed, [
        encoder(seed, {
          activityRegularizer: sn.regularizers.klSparsity({ rho: 0.05, beta: 0.05 }),
        }),
      ]),
  },
  {
    name: 'ksparse',
    description: `k-sparse code: the largest of the ${CODE_CHANNELS} channels kept at each position`,
    inputScale: 1,
    build: (seed) =>
      model(seed, [encoder(seed), sn.layers.kSparse({ name: 'code', k: CONV_KSPARSE_K })]),
  },
  {
    name: 'saturate',
    description: 'inputs ×50, no penalty: small weights, huge pre-activations',
    inputScale: 50,
    build: (seed) =>
      model(
        seed,
        linearThenSigmoid((o) => encoder(seed, o)),
      ),
  },
  {
    name: 'saturate-activity',
    description: 'inputs ×50, activity regularizer l2(1e-5) on the pre-activations of the code',
    inputScale: 50,
    build: (seed) =>
      model(
        seed,
        linearThenSigmoid((o) => encoder(seed, o), sn.regularizers.l2(1e-5)),
      ),
  },
];
