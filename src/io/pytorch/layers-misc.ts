import type { AlphaDropout, GaussianDropout } from '../../layers/noise-dropout.js';
import type { ELU, LeakyReLU, ReLU, Softmax } from '../../layers/advanced-activations.js';
import type { Embedding } from '../../layers/recurrent/embedding.js';
import type { Cropping1D, Cropping2D } from '../../layers/cropping.js';
import type { Layer } from '../../layers/layer.js';
import type { LayerNormalization } from '../../layers/layer-normalization.js';
import type { ZeroPadding1D, ZeroPadding2D } from '../../layers/padding.js';
import type { Permute, RepeatVector } from '../../layers/permute.js';
import type { PReLU } from '../../layers/prelu.js';
import type { UpSampling1D, UpSampling2D } from '../../layers/upsampling.js';
import type { DataFormat } from '../../ops/conv-geometry.js';
import {
  noWeights,
  py,
  regularizerOf,
  weightProblems,
  type TorchConverter,
  type TorchWeight,
} from './layers.js';

/**
 * The PyTorch converters of the shape layers (zero padding, cropping, upsampling), the
 * advanced activations, the noise dropouts, layerNormalization, permute and repeatVector
 * (issue 12). Their modules are in python-misc.ts.
 */

function channelsFirst(layer: Layer): string | undefined {
  return (layer as unknown as { dataFormat?: DataFormat }).dataFormat === 'channelsFirst'
    ? "its dataFormat is 'channelsFirst' (only channelsLast is exported)"
    : undefined;
}

/** A weightless module: refused when channels-first, else `pyClass(name, args)`. */
function simple<T extends Layer>(pyClass: string, args: (layer: T) => string): TorchConverter {
  return {
    refuse: channelsFirst,
    python: (layer, common) => `${pyClass}(${py(layer.name)}, ${args(layer as T)}${common})`,
    weights: noWeights,
  };
}

const gammaBeta = (layer: LayerNormalization): TorchWeight[] => {
  const out: TorchWeight[] = [];
  if (layer.gamma) out.push({ variable: layer.gamma, torchName: 'weight' });
  if (layer.beta) out.push({ variable: layer.beta, torchName: 'bias' });
  return out;
};

export const MISC_CONVERTERS: Record<string, TorchConverter> = {
  ZeroPadding1D: simple<ZeroPadding1D>('ZeroPadding', (l) => py([l.padding])),
  ZeroPadding2D: simple<ZeroPadding2D>('ZeroPadding', (l) => py(l.padding)),
  Cropping1D: simple<Cropping1D>('Cropping', (l) => py([l.cropping])),
  Cropping2D: simple<Cropping2D>('Cropping', (l) => py(l.cropping)),
  UpSampling1D: simple<UpSampling1D>('UpSampling', (l) => py([l.size])),
  UpSampling2D: simple<UpSampling2D>(
    'UpSampling',
    (l) => `${py(l.size)}, interpolation=${py(l.interpolation)}`,
  ),
  LeakyReLU: simple<LeakyReLU>('LeakyReLU', (l) => py(l.alpha)),
  ELU: simple<ELU>('ELU', (l) => py(l.alpha)),
  ReLU: simple<ReLU>(
    'ReLU',
    (l) =>
      `max_value=${py(l.maxValue ?? null)}, negative_slope=${py(l.negativeSlope)}, ` +
      `threshold=${py(l.threshold)}`,
  ),
  Softmax: simple<Softmax>('Softmax', (l) => py(l.axis)),
  PReLU: {
    refuse: weightProblems,
    python(layer, common) {
      const p = layer as PReLU;
      return (
        `PReLU(${py(p.name)}, ${py(p.alpha!.shape)}, ` +
        `alpha_regularizer=${regularizerOf(p, 'alpha')}${common})`
      );
    },
    weights: (layer) => [{ variable: (layer as PReLU).alpha!, torchName: 'weight' }],
  },
  SpatialDropout1D: simple<Layer & { rate: number }>('SpatialDropout', (l) => py(l.rate)),
  SpatialDropout2D: simple<Layer & { rate: number }>('SpatialDropout', (l) => py(l.rate)),
  GaussianDropout: simple<GaussianDropout>('GaussianDropout', (l) => py(l.rate)),
  AlphaDropout: simple<AlphaDropout>(
    'AlphaDropout',
    (l) => `${py(l.rate)}, noise_shape=${py(l.noiseShape ?? null)}`,
  ),
  LayerNormalization: {
    refuse: weightProblems,
    python(layer, common) {
      const n = layer as LayerNormalization;
      const shape = (n.gamma ?? n.beta)?.shape ?? [1];
      return (
        `LayerNormalization(${py(n.name)}, ${py(n.axis)}, ${py(shape)}, ` +
        `epsilon=${py(n.epsilon)}, center=${py(n.center)}, scale=${py(n.scale)}, ` +
        `gamma_regularizer=${regularizerOf(n, 'gamma')}, ` +
        `beta_regularizer=${regularizerOf(n, 'beta')}${common})`
      );
    },
    weights: (layer) => gammaBeta(layer as LayerNormalization),
  },
  Embedding: {
    refuse(layer) {
      if ((layer as Embedding).maskZero) {
        return 'its maskZero is true (masks are not exported: the recurrent layers that use them are not yet)';
      }
      return weightProblems(layer);
    },
    python(layer, common) {
      const e = layer as Embedding;
      return (
        `Embedding(${py(e.name)}, ${e.inputDim}, ${e.outputDim}, ` +
        `embeddings_regularizer=${regularizerOf(e, 'embeddings')}${common})`
      );
    },
    weights: (layer) => [{ variable: (layer as Embedding).embeddings!, torchName: 'weight' }],
  },
  Permute: simple<Permute>('Permute', (l) => py(l.dims)),
  RepeatVector: simple<RepeatVector>('RepeatVector', (l) => py(l.n)),
};
