import { ConfigError, SerializationError } from '../errors.js';
import { InputLayer } from '../layers/input.js';
import type { Layer } from '../layers/layer.js';
import type { Node, SymbolicTensor } from '../layers/symbolic.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import { FunctionRegularizer, Regularizer } from '../regularizers/index.js';
import type { ConfigDict, JsonValue } from '../serialization.js';
import { mapKeys, toSnake } from './keys.js';

/**
 * sinew model → Keras JSON topology as TensorFlow.js writes it (snake_case keys,
 * `{ class_name, config }` objects, functional `inbound_nodes` as
 * `[[[layer_name, node_index, tensor_index, {}], ...]]`). Alongside, the reasons
 * TensorFlow.js will refuse parts of it (docs/semantics.md rule 19).
 */

/** What TensorFlow.js 4.22 registers (class names), for the export warnings. */
const TFJS_LAYERS = new Set([
  'InputLayer',
  'Dense',
  'Dropout',
  'Flatten',
  'Reshape',
  'Activation',
  'BatchNormalization',
  'GaussianNoise',
  'Functional',
  'Sequential',
  'Model',
  // Merge, padding and cropping layers (TensorFlow.js has no Subtract, ZeroPadding1D, Cropping1D)
  'Add',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Concatenate',
  'Dot',
  'ZeroPadding2D',
  'Cropping2D',
  // Pooling and upsampling layers (TensorFlow.js has no UpSampling1D)
  'MaxPooling1D',
  'AveragePooling1D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalMaxPooling1D',
  'GlobalAveragePooling1D',
  'GlobalMaxPooling2D',
  'GlobalAveragePooling2D',
  'UpSampling2D',
  // Misc layers (issue 12 part D1); TensorFlow.js has no SpatialDropout2D.
  'LeakyReLU',
  'PReLU',
  'ELU',
  'ReLU',
  'Softmax',
  'SpatialDropout1D',
  'GaussianDropout',
  'AlphaDropout',
  'LayerNormalization',
  'Permute',
  'RepeatVector',
  // Convolution layers
  'Conv1D',
  'Conv2D',
  'Conv2DTranspose',
  'DepthwiseConv2D',
  'SeparableConv2D',
  // Recurrent and embedding layers (issue 15)
  'SimpleRNN',
  'LSTM',
  'GRU',
  'SimpleRNNCell',
  'LSTMCell',
  'GRUCell',
  'StackedRNNCells',
  'RNN',
  'Bidirectional',
  'TimeDistributed',
  'Embedding',
  'Masking',
]);
const TFJS_ACTIVATIONS = new Set([
  'elu',
  'selu',
  'relu',
  'relu6',
  'linear',
  'sigmoid',
  'hard_sigmoid',
  'softplus',
  'softsign',
  'tanh',
  'softmax',
  'log_softmax',
  'gelu',
  'gelu_new',
  'mish',
  'swish',
]);

/** Our initializer class names that TensorFlow.js spells differently. */
const INITIALIZER_TO_TFJS: Record<string, string> = {
  OrthogonalInitializer: 'Orthogonal',
  IdentityInitializer: 'Identity',
  LecunNormal: 'LeCunNormal',
  LecunUniform: 'LeCunUniform',
};

/** A stand-in for a named custom function regularizer while a layer's config is read. */
class NamedFunction extends Regularizer {
  static readonly className = 'Function';
  readonly fnName: string;
  constructor(fnName: string) {
    super();
    this.fnName = fnName;
  }
  apply(): never {
    throw new ConfigError('internal: NamedFunction is a placeholder');
  }
  getConfig(): ConfigDict {
    return { name: this.fnName };
  }
}

export interface TopologyResult {
  topology: JsonValue;
  /** One line per layer TensorFlow.js will refuse, with the reason. */
  warnings: string[];
}

export function modelToTopology(model: Model): TopologyResult {
  const warnings: string[] = [];
  return { topology: modelJson(model, warnings), warnings };
}

function modelJson(model: Model, warnings: string[]): { [key: string]: JsonValue } {
  if (model.subclassed) {
    throw new SerializationError(
      `${model.describeSelf()} is a subclassed model: its class defines call(), so its ` +
        'computation is code, which a model file cannot hold. Fix: save its weights with ' +
        'await sn.io.saveWeights(model, dir); to load them, construct the model again, call it ' +
        'once on a batch (model.predict(x)), then await sn.io.loadWeights(model, dir). ' +
        'During fit: sn.callbacks.modelCheckpoint({ path, saveWeightsOnly: true }).',
    );
  }
  if (model instanceof Sequential) {
    const layers = model.layers.map((l) => layerJson(l, warnings));
    const input = model.inputs[0];
    const first = layers[0];
    if (input && first) {
      const firstLayer = model.layers[0]!;
      if (firstLayer instanceof Model) {
        // A nested model cannot carry batch_input_shape: start with an explicit input layer.
        layers.unshift({
          class_name: 'InputLayer',
          config: {
            batch_input_shape: [...input.shape],
            dtype: input.dtype,
            sparse: false,
            name: input.node.layer.name,
          },
        });
      } else {
        const config = first.config as { [key: string]: JsonValue };
        config.batch_input_shape = [...input.shape];
        config.dtype = input.dtype;
      }
    }
    return { class_name: 'Sequential', config: { name: model.name, layers } };
  }
  const nodes = new Set<Node>(model.nodes);
  const nodeIndex = (node: Node): number => {
    const own = node.layer.inboundNodes.filter((n) => nodes.has(n));
    // A nested model's node 0 is its own internal node, rebuilt when it is constructed
    // (Keras's _should_skip_first_node), so its calls count from 1.
    return own.indexOf(node) + (node.layer instanceof Model ? 1 : 0);
  };
  const ref = (x: SymbolicTensor): JsonValue => [
    x.node.layer.name,
    nodeIndex(x.node),
    x.outputIndex,
  ];
  const layers = model.layers.map((layer) => {
    const json = layerJson(layer, warnings);
    const inbound = layer.inboundNodes
      .filter((n) => nodes.has(n) && !(layer instanceof InputLayer))
      .map((n) => n.inputs.map((x) => [...(ref(x) as JsonValue[]), {}]));
    return { name: layer.name, ...json, inbound_nodes: inbound };
  });
  return {
    class_name: 'Functional',
    config: {
      name: model.name,
      layers,
      input_layers: model.inputs.map(ref),
      output_layers: model.outputs.map(ref),
    },
  };
}

function layerJson(layer: Layer, warnings: string[]): { [key: string]: JsonValue } {
  if (layer instanceof Model) {
    const json = modelJson(layer, warnings);
    return { class_name: json.class_name!, config: json.config! };
  }
  const config = withNamedFunctions(layer, () => layer.getConfig());
  const where = `${layer.describeSelf()}`;
  if (!TFJS_LAYERS.has(layer.className)) {
    warnings.push(
      `${where}: TensorFlow.js has no layer class '${layer.className}'; tf.loadLayersModel will fail with "Unknown layer".`,
    );
  }
  if (config.activityRegularizer) {
    warnings.push(
      `${where}: has an activity regularizer; TensorFlow.js refuses to call layers with one ("Layer invocation in the presence of activity regularizer(s) is not supported yet").`,
    );
  }
  const convWarning = convLayerWarning(layer.className, config);
  if (convWarning) warnings.push(`${where}: ${convWarning}`);
  if (typeof config.activation === 'string' && !TFJS_ACTIVATIONS.has(config.activation)) {
    warnings.push(
      `${where}: TensorFlow.js has no activation '${config.activation}'; tf.loadLayersModel will fail with "Unknown activation".`,
    );
  }
  const poolingWarning = poolingLayerWarning(layer.className, config);
  if (poolingWarning) warnings.push(`${where}: ${poolingWarning}`);
  const recurrentWarning = recurrentLayerWarning(layer.className, config);
  if (recurrentWarning) warnings.push(`${where}: ${recurrentWarning}`);
  return {
    class_name: layer.className,
    config: mapKeys(mapObjects(config, where, warnings), toSnake),
  };
}

/**
 * Regularizers and initializers as TensorFlow.js names them, in a layer's config and in the
 * configs of the layers nested in it (a recurrent layer's cell, a wrapper's layer).
 */
function mapObjects(config: ConfigDict, where: string, warnings: string[]): ConfigDict {
  const mapped: ConfigDict = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.endsWith('Regularizer') && isObject(value)) {
      mapped[key] = regularizerJson(value, `${where} ${toSnake(key)}`, warnings);
    } else if (key.endsWith('Initializer') && isObject(value)) {
      const name = value.className as string;
      const tfjs = Object.hasOwn(INITIALIZER_TO_TFJS, name) ? INITIALIZER_TO_TFJS[name]! : name;
      mapped[key] = { ...value, className: tfjs };
    } else if (NESTED_LAYER_KEYS.has(key) && (isObject(value) || Array.isArray(value))) {
      mapped[key] = (Array.isArray(value) ? value : [value]).map((v) =>
        isObject(v) && isObject(v.config)
          ? {
              ...v,
              config: mapObjects(v.config, `${where} ${key} ${String(v.className)}`, warnings),
            }
          : v,
      );
      if (!Array.isArray(value)) mapped[key] = (mapped[key] as JsonValue[])[0]!;
    } else {
      mapped[key] = value;
    }
  }
  return mapped;
}

/** Config keys that hold nested layers ({ className, config }, or a list of them). */
const NESTED_LAYER_KEYS = new Set(['cell', 'cells', 'layer']);

/** Recurrent layers: what TensorFlow.js 4.22 computes otherwise or cannot read. */
function recurrentLayerWarning(className: string, config: ConfigDict): string | undefined {
  if ((className === 'GRU' || className === 'GRUCell') && config.resetAfter === true) {
    return "has resetAfter: true (Keras's default), which TensorFlow.js does not implement: its GRU has a bias of [3·units], so loading the weights fails. Use resetAfter: false for a TensorFlow.js model.";
  }
  return undefined;
}

/** Rules 17 and 19: L1/L2 as L1L2 for TensorFlow.js, Keras 3's module/registered_name keys. */
function regularizerJson(
  value: { [key: string]: JsonValue },
  where: string,
  warnings: string[],
): JsonValue {
  const className = value.className as string;
  const config = (value.config ?? {}) as ConfigDict;
  if (className === 'L1' || className === 'L2' || className === 'L1L2') {
    return {
      module: 'keras.regularizers',
      className: 'L1L2',
      config: { l1: config.l1 ?? 0, l2: config.l2 ?? 0 },
      registeredName: null,
    };
  }
  const reason =
    className === 'Function'
      ? `is the custom function '${String(config.name)}', which TensorFlow.js cannot know`
      : `is ${className}; TensorFlow.js registers only L1L2 ("Unknown regularizer")`;
  warnings.push(`${where} ${reason}.`);
  const registeredName =
    className === 'OrthogonalRegularizer'
      ? null
      : className === 'Function'
        ? 'sinew>Function'
        : className === 'KLSparsity'
          ? 'sinew>KLSparsity'
          : className;
  return {
    module: className === 'OrthogonalRegularizer' ? 'keras.regularizers' : null,
    className,
    config,
    registeredName,
  };
}

/**
 * Runs `read` while every plain-function regularizer of the layer is replaced by a named
 * stand-in (a function has no config; its name is what is saved). An anonymous function
 * cannot be saved.
 */
function withNamedFunctions<T>(layer: Layer, read: () => T): T {
  const target = layer as unknown as Record<string, unknown>;
  const swapped: [string, FunctionRegularizer][] = [];
  const keys = new Set<string>(['activityRegularizer']);
  for (let proto: object | null = layer; proto; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto))
      if (key.endsWith('Regularizer')) keys.add(key);
  }
  try {
    for (const key of keys) {
      const value = target[key];
      if (!(value instanceof FunctionRegularizer)) continue;
      if (!value.fn.name) {
        throw new SerializationError(
          `${layer.describeSelf()}: ${key} is an anonymous function, which cannot be saved. ` +
            'Give it a name (function myPenalty(x) { ... }) and load with customObjects: { myPenalty } ' +
            '(or sn.serialization.registerClass(myPenalty)), or write it as a Regularizer class.',
        );
      }
      target[key] = new NamedFunction(value.fn.name);
      swapped.push([key, value]);
    }
    return read();
  } finally {
    for (const [key, value] of swapped) target[key] = value;
  }
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Pooling and upsampling layers: options TensorFlow.js 4.22 reads but computes otherwise
 * (its bilinear UpSampling2D has no half-pixel centres, its global poolings no keepdims, its
 * 1-D poolings no data_format).
 */
function poolingLayerWarning(className: string, config: ConfigDict): string | undefined {
  if (className === 'UpSampling2D' && config.interpolation === 'bilinear') {
    return "has interpolation 'bilinear', which TensorFlow.js computes without half-pixel centres (the TensorFlow 1 rule); its predictions will differ.";
  }
  if (className.startsWith('Global') && config.keepdims === true) {
    return 'has keepDims: true, which TensorFlow.js ignores; its output drops the pooled axes.';
  }
  if (/Pooling1D$/.test(className) && config.dataFormat === 'channels_first') {
    return "has dataFormat 'channelsFirst', which TensorFlow.js's 1-D poolings ignore; it will pool along the channels.";
  }
  return undefined;
}

/**
 * Convolution layers: options TensorFlow.js 4.22 reads but does not apply (its
 * Conv2DTranspose has no dilation or output padding, its DepthwiseConv2D no dilation).
 */
function convLayerWarning(className: string, config: ConfigDict): string | undefined {
  const dilated = Array.isArray(config.dilationRate) && config.dilationRate.some((d) => d !== 1);
  if (className === 'Conv2DTranspose' && (dilated || config.outputPadding != null)) {
    return 'has dilationRate > 1 or outputPadding, which TensorFlow.js ignores; it will compute a different output size or values.';
  }
  if (className === 'DepthwiseConv2D' && dilated) {
    return 'has dilationRate > 1, which TensorFlow.js ignores for DepthwiseConv2D; its predictions will differ.';
  }
  return undefined;
}
