import * as sn from 'sinew';

/**
 * The lab's variants: one autoencoder, 784 → 256 (sigmoid code) → 784 (sigmoid), trained
 * under different regularizers. Every variant names its layers the same way, so the lab can
 * find them: 'encoder' (the Dense whose kernel the features come from), 'code' (the layer
 * whose output is the code) and 'decoder'.
 */
export interface Variant {
  name: string;
  /** One line for the table and the report. */
  description: string;
  /** Inputs are multiplied by this (the saturation scenario uses 50); targets stay in [0, 1]. */
  inputScale: number;
  build(seed: number): sn.Sequential;
}

const CODE_UNITS = 256;

function encoder(seed: number, options: Partial<sn.layers.DenseOptions> = {}): sn.layers.Dense {
  return sn.layers.dense({
    name: 'encoder',
    units: CODE_UNITS,
    activation: 'sigmoid',
    inputShape: [784],
    kernelInitializer: sn.initializers.glorotUniform({ seed }),
    ...options,
  });
}

function decoder(seed: number): sn.layers.Dense {
  return sn.layers.dense({
    name: 'decoder',
    units: 784,
    activation: 'sigmoid',
    kernelInitializer: sn.initializers.glorotUniform({ seed: seed + 1 }),
  });
}

/**
 * The saturation scenario's code: `encoder` made linear (its output is the pre-activation,
 * where the activity penalty goes), then a sigmoid layer named 'code'. The dense lab and the
 * conv lab (conv-variants.ts) pass their own encoder.
 */
export function linearThenSigmoid(
  encoder: (options: {
    activation: 'linear';
    activityRegularizer?: sn.regularizers.Regularizer;
  }) => sn.layers.Layer,
  activityRegularizer?: sn.regularizers.Regularizer,
): sn.layers.Layer[] {
  return [
    encoder({ activation: 'linear', ...(activityRegularizer ? { activityRegularizer } : {}) }),
    sn.layers.activation({ name: 'code', activation: 'sigmoid' }),
  ];
}

export const VARIANTS: readonly Variant[] = [
  {
    name: 'none',
    description: 'no regularization (the baseline)',
    inputScale: 1,
    build: (seed) => sn.sequential({ layers: [encoder(seed, { name: 'encoder' }), decoder(seed)] }),
  },
  {
    name: 'kernel-l2',
    description: 'kernel regularizer l2(1e-3) on the encoder weights',
    inputScale: 1,
    build: (seed) =>
      sn.sequential({
        layers: [encoder(seed, { kernelRegularizer: sn.regularizers.l2(1e-3) }), decoder(seed)],
      }),
  },
  {
    name: 'activity-l1',
    description: 'activity regularizer l1(1e-3) on the code (a sparse autoencoder)',
    inputScale: 1,
    build: (seed) =>
      sn.sequential({
        layers: [encoder(seed, { activityRegularizer: sn.regularizers.l1(1e-3) }), decoder(seed)],
      }),
  },
  {
    name: 'kl',
    description: 'activity regularizer klSparsity(rho 0.05, beta 0.05) on the code',
    inputScale: 1,
    build: (seed) =>
      sn.sequential({
        layers: [
          encoder(seed, {
            activityRegularizer: sn.regularizers.klSparsity({ rho: 0.05, beta: 0.05 }),
          }),
          decoder(seed),
        ],
      }),
  },
  {
    name: 'ksparse',
    description: 'k-sparse code: the 25 largest of 256 units kept per digit',
    inputScale: 1,
    build: (seed) =>
      sn.sequential({
        layers: [encoder(seed), sn.layers.kSparse({ name: 'code', k: 25 }), decoder(seed)],
      }),
  },
  {
    name: 'saturate',
    description: 'inputs ×50, no penalty: small weights, huge pre-activations',
    inputScale: 50,
    build: (seed) =>
      sn.sequential({ layers: [...linearThenSigmoid((o) => encoder(seed, o)), decoder(seed)] }),
  },
  {
    name: 'saturate-activity',
    description: 'inputs ×50, activity regularizer l2(1e-5) on the pre-activations',
    inputScale: 50,
    build: (seed) =>
      sn.sequential({
        layers: [
          ...linearThenSigmoid((o) => encoder(seed, o), sn.regularizers.l2(1e-5)),
          decoder(seed),
        ],
      }),
  },
];

export const VARIANT_NAMES = VARIANTS.map((v) => v.name);

/** The layer whose output is the code: 'code' where the model has one, else the encoder. */
export function codeLayerName(model: sn.Model): string {
  return model.layers.some((l) => l.name === 'code') ? 'code' : 'encoder';
}
