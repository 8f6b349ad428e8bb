/**
 * The playground's configuration: one plain object that the controls edit, the URL carries,
 * the worker builds a model from and "copy code" turns into a Node program. Pure (no DOM, no
 * sinew), so the page, the worker and the tests share it.
 */

export const ACTIVATIONS = ['sigmoid', 'relu', 'tanh'] as const;
export const KERNEL_REGULARIZERS = ['none', 'l1', 'l2', 'l1l2'] as const;
export const ACTIVITY_REGULARIZERS = ['none', 'l1', 'l2', 'kl', 'ksparse'] as const;
export const ACTIVITY_PLACES = ['activation', 'preactivation'] as const;
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
/** dense: 784 → units → 784; conv: the conv lab's autoencoder with `units` code channels. */
export const MODEL_KINDS = ['dense', 'conv'] as const;
/** The conv model's largest code (channels of its 14×14 code): more is too slow to watch live. */
export const CONV_MAX_CHANNELS = 32;

export interface PlaygroundConfig {
  /** Which autoencoder: dense, or the conv lab's (cli/lab/conv-variants.ts). */
  model: (typeof MODEL_KINDS)[number];
  /** Code units of the dense autoencoder (784 → units → 784); code channels of the conv one. */
  units: number;
  activation: (typeof ACTIVATIONS)[number];
  kernelRegularizer: (typeof KERNEL_REGULARIZERS)[number];
  /** Coefficient of the kernel regularizer (both l1 and l2 for l1l2). */
  kernelCoef: number;
  activityRegularizer: (typeof ACTIVITY_REGULARIZERS)[number];
  /** Coefficient of an l1 / l2 activity regularizer. */
  activityCoef: number;
  /** klSparsity's target mean activation and weight. */
  rho: number;
  beta: number;
  /** k-sparse: units kept per digit. */
  k: number;
  /** Where the activity regularizer (or k-sparse) sits: on the activation or the pre-activation. */
  activityOn: (typeof ACTIVITY_PLACES)[number];
  /** Inputs are multiplied by this; targets stay in [0, 1]. */
  inputScale: number;
  optimizer: (typeof OPTIMIZERS)[number];
  learningRate: number;
  weightDecay: number;
  batchSize: number;
  seed: number;
}

export const DEFAULT_CONFIG: Readonly<PlaygroundConfig> = Object.freeze({
  model: 'dense',
  units: 256,
  activation: 'sigmoid',
  kernelRegularizer: 'none',
  kernelCoef: 1e-3,
  activityRegularizer: 'none',
  activityCoef: 1e-3,
  rho: 0.05,
  beta: 0.05,
  k: 25,
  activityOn: 'activation',
  inputScale: 1,
  optimizer: 'adam',
  learningRate: 1e-3,
  weightDecay: 0,
  batchSize: 128,
  seed: 1,
});

/** The lab's seven variants (cli/lab/variants.ts) as playground configurations, and the conv lab's baseline. */
export const PRESETS: Readonly<Record<string, Partial<PlaygroundConfig>>> = {
  none: {},
  'kernel-l2': { kernelRegularizer: 'l2', kernelCoef: 1e-3 },
  'activity-l1': { activityRegularizer: 'l1', activityCoef: 1e-3 },
  kl: { activityRegularizer: 'kl', rho: 0.05, beta: 0.05 },
  ksparse: { activityRegularizer: 'ksparse', k: 25 },
  saturate: { inputScale: 50, activityOn: 'preactivation' },
  'saturate-activity': {
    inputScale: 50,
    activityOn: 'preactivation',
    activityRegularizer: 'l2',
    activityCoef: 1e-5,
  },
  // The conv lab's baseline: 8 code channels (k = 1 of them kept if k-sparse is picked).
  conv: { model: 'conv', units: 8, k: 1 },
};

/** A preset applied to the defaults (the seed is kept: presets compare on the same seed). */
export function presetConfig(name: string, seed = DEFAULT_CONFIG.seed): PlaygroundConfig {
  return { ...DEFAULT_CONFIG, ...PRESETS[name], seed };
}

type NumberKey = {
  [K in keyof PlaygroundConfig]: PlaygroundConfig[K] extends number ? K : never;
}[keyof PlaygroundConfig];
type ChoiceKey = Exclude<keyof PlaygroundConfig, NumberKey>;

interface NumberRule {
  min: number;
  max: number;
  integer?: boolean;
  /** Words for the message: what the number is. */
  what: string;
}

/** The accepted range of every numeric field (inclusive). */
export const NUMBER_RULES: Readonly<Record<NumberKey, NumberRule>> = {
  units: { min: 2, max: 784, integer: true, what: 'code units' },
  kernelCoef: { min: 1e-8, max: 1, what: 'a coefficient' },
  activityCoef: { min: 1e-8, max: 1, what: 'a coefficient' },
  rho: { min: 1e-4, max: 0.9999, what: 'a target mean activation' },
  beta: { min: 1e-6, max: 10, what: 'a weight' },
  k: { min: 1, max: 784, integer: true, what: 'units kept' },
  inputScale: { min: 1, max: 50, what: 'an input scale' },
  learningRate: { min: 1e-6, max: 1, what: 'a learning rate' },
  weightDecay: { min: 0, max: 1, what: 'a weight decay' },
  batchSize: { min: 1, max: 1000, integer: true, what: 'a batch size' },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true, what: 'a seed' },
};

export const CHOICES: Readonly<Record<ChoiceKey, readonly string[]>> = {
  model: MODEL_KINDS,
  activation: ACTIVATIONS,
  kernelRegularizer: KERNEL_REGULARIZERS,
  activityRegularizer: ACTIVITY_REGULARIZERS,
  activityOn: ACTIVITY_PLACES,
  optimizer: OPTIMIZERS,
};

export const CONFIG_KEYS = Object.keys(DEFAULT_CONFIG) as (keyof PlaygroundConfig)[];

export function isNumberKey(key: keyof PlaygroundConfig): key is NumberKey {
  return key in NUMBER_RULES;
}

/** The message for a numeric field's text, or undefined when it is valid. */
export function checkNumberField(key: NumberKey, text: string): string | undefined {
  const rule = NUMBER_RULES[key];
  const value = text.trim() === '' ? NaN : Number(text);
  const range = `${rule.min} to ${rule.max}`;
  if (!Number.isFinite(value)) {
    return `"${text}" is not a number; expected ${rule.what} from ${range}.`;
  }
  if (rule.integer === true && !Number.isInteger(value)) {
    return `${value} is not a whole number; expected ${rule.what} from ${range}.`;
  }
  if (value < rule.min || value > rule.max) {
    return `${value} is out of range; expected ${rule.what} from ${range}.`;
  }
  return undefined;
}

export interface ParsedConfig {
  config: PlaygroundConfig;
  /** Field → message, for every value that was refused (the default is kept in its place). */
  errors: Partial<Record<keyof PlaygroundConfig, string>>;
}

/**
 * A configuration from text fields (the URL's parameters or the form's inputs). Missing keys
 * take the defaults; refused values keep the default and leave a message; unknown keys are
 * ignored. Cross-field rule: k must not exceed the code units.
 */
export function parseConfig(fields: Readonly<Record<string, string | undefined>>): ParsedConfig {
  const config: PlaygroundConfig = { ...DEFAULT_CONFIG };
  const errors: ParsedConfig['errors'] = {};
  const out = config as unknown as Record<string, number | string>;
  for (const key of CONFIG_KEYS) {
    const text = fields[key];
    if (text === undefined) continue;
    if (isNumberKey(key)) {
      const message = checkNumberField(key, text);
      if (message === undefined) out[key] = Number(text);
      else errors[key] = message;
    } else {
      const choices = CHOICES[key];
      if (choices.includes(text)) out[key] = text;
      else {
        errors[key] = `"${text}" is not one of ${choices.join(', ')}.`;
      }
    }
  }
  if (config.activityRegularizer === 'ksparse' && config.k > config.units) {
    errors.k = `k = ${config.k} is larger than the code size ${config.units}; expected 1 to ${config.units}.`;
  }
  if (config.model === 'conv' && config.units > CONV_MAX_CHANNELS && errors.units === undefined) {
    errors.units = `${config.units} code channels is too many for the conv model; expected 2 to ${CONV_MAX_CHANNELS}.`;
  }
  return { config, errors };
}

/** The configuration as URL search parameters (every key, so a link is complete). */
export function toSearch(config: PlaygroundConfig): string {
  const params = new URLSearchParams();
  for (const key of CONFIG_KEYS) params.set(key, String(config[key]));
  return params.toString();
}

/** The configuration read from URL search parameters. */
export function fromSearch(search: string): ParsedConfig {
  const params = new URLSearchParams(search);
  const fields: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = params.get(key);
    if (value !== null) fields[key] = value;
  }
  return parseConfig(fields);
}
