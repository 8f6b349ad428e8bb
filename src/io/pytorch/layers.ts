import { activationName, getActivation, type Activation } from '../../activations/index.js';
import type { BatchNormalization } from '../../layers/batch-normalization.js';
import type { Dense } from '../../layers/dense.js';
import type { Layer, LayerVariable } from '../../layers/layer.js';
import { KLSparsity } from '../../regularizers/kl-sparsity.js';
import { L1, L1L2, L2 } from '../../regularizers/l1l2.js';
import { OrthogonalRegularizer } from '../../regularizers/orthogonal.js';
import type { Regularizer } from '../../regularizers/regularizer.js';

/**
 * The PyTorch converters, one entry per sinew layer class (the `className`): how the layer is
 * written in model.py and where each of its weights goes in the torch module's state_dict.
 * A layer class missing here cannot be exported; a new family joins by adding its entry.
 */

/** One weight of a layer and its place in the torch module. */
export interface TorchWeight {
  variable: LayerVariable;
  /** The parameter or buffer name inside the layer's torch module ('weight', 'running_mean'). */
  torchName: string;
  /**
   * When the layouts differ: torch's axis i is sinew's axis perm[i]. A dense kernel
   * [in, out] becomes [out, in] with [1, 0]; a conv kernel [kh, kw, in, out] becomes
   * [out, in, kh, kw] with [3, 2, 0, 1]. Absent: the same layout.
   */
  perm?: readonly number[];
}

export interface TorchConverter {
  /** Why this particular layer cannot be written (a constraint, a custom activation), if so. */
  refuse?(layer: Layer): string | undefined;
  /** The Python call making the module, given the layer options common to every layer. */
  python(layer: Layer, common: string): string;
  weights(layer: Layer): TorchWeight[];
}

/** A Python literal for a JSON-like value (numbers, strings, booleans, null, lists). */
export function py(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number')
    return Number.isInteger(value) ? `${value}` : JSON.stringify(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${py(v)}`)
    .join(', ')}}`;
}

/** The Python expression of a regularizer, or undefined for one model.py does not know. */
export function pythonRegularizer(r: Regularizer | undefined): string | undefined {
  if (!r) return 'None';
  // Exactly the built-in classes: a subclass may change apply().
  const c = () => r.getConfig() as Record<string, unknown>;
  switch (r.constructor) {
    case L1:
      return `L1L2(l1=${py(c().l1)})`;
    case L2:
      return `L1L2(l2=${py(c().l2)})`;
    case L1L2:
      return `L1L2(l1=${py(c().l1)}, l2=${py(c().l2)})`;
    case OrthogonalRegularizer:
      return `Orthogonal(factor=${py(c().factor)}, mode=${py(c().mode)})`;
    case KLSparsity:
      return `KLSparsity(rho=${py(c().rho)}, beta=${py(c().beta)})`;
    default:
      return undefined;
  }
}

/** A built-in activation (exactly its class, not a subclass) by Keras name and config. */
export function pythonActivation(a: Activation): string | undefined {
  const name = activationName(a);
  let builtin: Activation;
  try {
    builtin = getActivation(name);
  } catch {
    return undefined;
  }
  if (builtin.constructor !== a.constructor) return undefined;
  const config = a.getConfig();
  return `activation=${py(name)}${Object.keys(config).length ? `, activation_config=${py(config)}` : ''}`;
}

export function weightNamed(layer: Layer, shortName: string): LayerVariable | undefined {
  return layer.weights.find((w) => w.shortName === shortName);
}

export function regularizerOf(layer: Layer, shortName: string): string {
  return pythonRegularizer(weightNamed(layer, shortName)?.regularizer) ?? 'None';
}

/** Weights with a custom regularizer, a constraint: what model.py cannot reproduce. */
export function weightProblems(layer: Layer): string | undefined {
  for (const w of layer.weights) {
    if (w.regularizer && pythonRegularizer(w.regularizer) === undefined) {
      return `its weight '${w.shortName}' has a custom regularizer`;
    }
    if (w.constraint) return `its weight '${w.shortName}' has a constraint`;
  }
  return undefined;
}

export const noWeights = (): TorchWeight[] => [];
export const stateless = (pyClass: string, args: (layer: Layer) => string = () => '') => ({
  python: (layer: Layer, common: string) => `${pyClass}(${py(layer.name)}${args(layer)}${common})`,
  weights: noWeights,
});

export const TORCH_CONVERTERS: Record<string, TorchConverter> = {
  Dense: {
    refuse(layer) {
      const d = layer as Dense;
      if (pythonActivation(d.activation) === undefined) return 'its activation is custom';
      return weightProblems(layer);
    },
    python(layer, common) {
      const d = layer as Dense;
      const kernel = d.kernel!;
      const trainable = (short: string) => weightNamed(layer, short)?.trainable ?? true;
      return (
        `Dense(${py(d.name)}, ${kernel.shape[0]}, ${d.units}, ${pythonActivation(d.activation)!}, ` +
        `use_bias=${py(d.useBias)}, kernel_regularizer=${regularizerOf(d, 'kernel')}, ` +
        `bias_regularizer=${regularizerOf(d, 'bias')}, kernel_trainable=${py(trainable('kernel'))}, ` +
        `bias_trainable=${py(trainable('bias'))}${common})`
      );
    },
    weights(layer) {
      const d = layer as Dense;
      const out: TorchWeight[] = [{ variable: d.kernel!, torchName: 'weight', perm: [1, 0] }];
      if (d.bias) out.push({ variable: d.bias, torchName: 'bias' });
      return out;
    },
  },
  Activation: {
    refuse(layer) {
      const a = (layer as unknown as { activation: Activation }).activation;
      return pythonActivation(a) === undefined ? 'its activation is custom' : undefined;
    },
    python(layer, common) {
      const a = (layer as unknown as { activation: Activation }).activation;
      return `Activation(${py(layer.name)}, ${pythonActivation(a)!}${common})`;
    },
    weights: noWeights,
  },
  Dropout: stateless('Dropout', (l) => `, ${py((l as unknown as { rate: number }).rate)}`),
  GaussianNoise: stateless(
    'GaussianNoise',
    (l) => `, ${py((l as unknown as { stddev: number }).stddev)}`,
  ),
  ActivityRegularization: stateless('Identity'),
  Flatten: stateless('Flatten'),
  Reshape: stateless(
    'Reshape',
    (l) => `, ${py((l as unknown as { targetShape: number[] }).targetShape)}`,
  ),
  KSparse: stateless('KSparse', (l) => {
    const k = l as unknown as { k: number; keptUnits(width: number, training: boolean): number };
    // round(alpha·k) clipped to [1, width] is taken here (JavaScript's rounding, not Python's).
    return `, ${k.k}, ${k.keptUnits(Number.MAX_SAFE_INTEGER, false)}`;
  }),
  BatchNormalization: {
    refuse: weightProblems,
    python(layer, common) {
      const b = layer as BatchNormalization;
      return (
        `BatchNormalization(${py(b.name)}, ${b.movingMean!.shape[0]}, axis=${b.axis}, ` +
        `momentum=${py(b.momentum)}, epsilon=${py(b.epsilon)}, center=${py(b.center)}, ` +
        `scale=${py(b.scale)}, gamma_regularizer=${regularizerOf(b, 'gamma')}, ` +
        `beta_regularizer=${regularizerOf(b, 'beta')}${common})`
      );
    },
    weights(layer) {
      const b = layer as BatchNormalization;
      const out: TorchWeight[] = [];
      if (b.gamma) out.push({ variable: b.gamma, torchName: 'weight' });
      if (b.beta) out.push({ variable: b.beta, torchName: 'bias' });
      out.push({ variable: b.movingMean!, torchName: 'running_mean' });
      out.push({ variable: b.movingVariance!, torchName: 'running_var' });
      return out;
    },
  },
};
