import { HardSigmoid } from '../activations/index.js';
import { describe, SerializationError } from '../errors.js';
import type { LayerVariable } from '../layers/layer.js';
import { Model } from '../models/model.js';
import type { JsonValue } from '../serialization.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { fileWeightNames } from './weight-names.js';
import { checkDepth, fail, modelFromTopology, type RebuildContext } from './from-json.js';
import type { CustomObjects } from './registry.js';
import { modelToTopology } from './to-json.js';
import { compileOptionsFrom, trainingConfigOf } from './training-config.js';
import { decodeWeights, encodeWeights, type NamedTensor, type WeightSpec } from './weights.js';
import { checkOptionKeys, optionKeys, type OptionKeySet } from '../validation.js';

/**
 * In-memory model artifacts, as TensorFlow.js's `tf.io.fromMemory` / `withSaveHandler` use
 * them: the topology, the weight specs and one buffer with every weight's bytes.
 */
export interface ModelArtifacts {
  modelTopology: JsonValue;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: JsonValue;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer;
}

export interface ToMemoryOptions {
  /**
   * Also write `trainingConfig` (loss, metrics, optimizer config) and the optimizer's state as
   * weights of group 'optimizer', so that `fit` resumes exactly after loading. Default false.
   */
  includeOptimizer?: boolean;
  /**
   * Called with each reason TensorFlow.js will refuse part of the model (docs/semantics.md rule 19);
   * default console.warn. The file is written either way.
   */
  onWarning?: (message: string) => void;
}
/** The keys of ToMemoryOptions, spread into SaveOptions' list. */
export const TO_MEMORY_OPTION_KEY_SET: OptionKeySet<ToMemoryOptions> = {
  includeOptimizer: true,
  onWarning: true,
};
const TO_MEMORY_OPTION_KEYS = optionKeys<ToMemoryOptions>()(TO_MEMORY_OPTION_KEY_SET);

export interface FromMemoryOptions {
  /** Custom classes and named functions by name; used before the registries. */
  customObjects?: CustomObjects;
  /** Restore the compiled state and optimizer state if the artifacts have them (default true). */
  includeOptimizer?: boolean;
  /** Names the source in errors (default 'in-memory artifacts'). */
  where?: string;
}
/** The keys of FromMemoryOptions, spread into LoadOptions' list. */
export const FROM_MEMORY_OPTION_KEY_SET: OptionKeySet<FromMemoryOptions> = {
  customObjects: true,
  includeOptimizer: true,
  where: true,
};
const FROM_MEMORY_OPTION_KEYS = optionKeys<FromMemoryOptions>()(FROM_MEMORY_OPTION_KEY_SET);

const GENERATED_BY = 'sinew 0.1.0';

/** The artifacts of a model; warns (onWarning) about what TensorFlow.js will refuse. */
export function toMemory(model: Model, options: ToMemoryOptions = {}): ModelArtifacts {
  checkOptionKeys(options, 'toMemory', TO_MEMORY_OPTION_KEYS);
  if (!(model instanceof Model)) {
    throw new SerializationError(
      `toMemory/save expects a model (sn.sequential or sn.model), received ${describe(model)}.`,
    );
  }
  const { topology, warnings } = modelToTopology(model);
  const fileNames = fileWeightNames(model);
  const named: NamedTensor[] = model.weights.map((w) => ({
    name: fileNames.get(w) ?? w.name,
    tensor: w,
  }));
  const artifacts: ModelArtifacts = {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
  };
  if (options.includeOptimizer) {
    if (!model.compiled) {
      throw new SerializationError(
        `${model.describeSelf()}: includeOptimizer needs a compiled model; call model.compile(...) first or save without includeOptimizer.`,
      );
    }
    artifacts.trainingConfig = trainingConfigOf(model, warnings);
    named.push(...optimizerWeights(model));
  }
  const { specs, data } = encodeWeights(named);
  artifacts.weightSpecs = specs;
  artifacts.weightData = data;
  const warn = options.onWarning ?? ((m: string) => console.warn(`sinew: ${m}`));
  for (const w of warnings) warn(w);
  return artifacts;
}

/**
 * The optimizer state as TensorFlow.js orders it: 'iter' first, then each slot for every
 * variable ('dense/kernel/m' ..., then 'dense/kernel/v' ...).
 */
function optimizerWeights(model: Model): NamedTensor[] {
  const slots = model.compiled!.optimizer.getSlots();
  const out: NamedTensor[] = [];
  const bySlot = new Map<string, NamedTensor[]>();
  const varNames = new Set(model.weights.map((w) => w.name));
  for (const { name, tensor } of slots) {
    if (name === 'iterations') {
      out.push({ name: 'iter', tensor, group: 'optimizer' });
      continue;
    }
    const cut = name.lastIndexOf('/');
    const slot = cut > 0 && varNames.has(name.slice(0, cut)) ? name.slice(cut + 1) : '';
    if (!bySlot.has(slot)) bySlot.set(slot, []);
    bySlot.get(slot)!.push({ name, tensor, group: 'optimizer' });
  }
  for (const list of bySlot.values()) out.push(...list);
  return out;
}

/** A model from artifacts (ours or TensorFlow.js's); throws SerializationError, never half-loads. */
export function fromMemory(artifacts: ModelArtifacts, options: FromMemoryOptions = {}): Model {
  checkOptionKeys(options, 'fromMemory', FROM_MEMORY_OPTION_KEYS);
  const ctx: RebuildContext = {
    where: options.where ?? 'in-memory artifacts',
    customObjects: options.customObjects ?? {},
  };
  if (
    typeof artifacts !== 'object' ||
    artifacts === null ||
    artifacts.modelTopology === undefined
  ) {
    throw fail(
      ctx,
      `expected { modelTopology, weightSpecs, weightData }, received ${describe(artifacts)}`,
      'pass what sn.io.toMemory or a TensorFlow.js save handler produced',
    );
  }
  if (artifacts.format !== undefined && artifacts.format !== 'layers-model') {
    throw fail(
      ctx,
      `format is '${String(artifacts.format)}', not 'layers-model'`,
      artifacts.format === 'graph-model'
        ? 'a graph model (SavedModel conversion) has no layers; convert the Keras model with --output_format=tfjs_layers_model'
        : 'save the model as a TensorFlow.js layers model',
    );
  }
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData ?? new ArrayBuffer(0);
  if (!Array.isArray(specs))
    throw fail(
      ctx,
      `weightSpecs must be a list, received ${describe(specs)}`,
      'save the model again',
    );
  const tensors = decodeWeights(specs, data, ctx.where);
  const modelTensors = tensors.filter((t) => t.group !== 'optimizer');
  const weightValues = modelTensors.reduce((n, t) => n + t.tensor.size, 0);
  const model = modelFromTopology(artifacts.modelTopology, ctx, weightValues);
  const assignments = matchWeights(model, modelTensors, ctx);
  if (artifacts.generatedBy?.startsWith('TensorFlow.js')) warnHardSigmoid(model, ctx.where);
  let compile: (() => void) | undefined;
  if (artifacts.trainingConfig != null && options.includeOptimizer !== false) {
    checkDepth(artifacts.trainingConfig, 'trainingConfig', ctx);
    const compileOptions = compileOptionsFrom(artifacts.trainingConfig, ctx);
    const slots = tensors
      .filter((t) => t.group === 'optimizer')
      .map((t) => ({ name: t.name === 'iter' ? 'iterations' : t.name, tensor: t.tensor }));
    compile = () => {
      model.compile(compileOptions);
      model.compiled!.optimizer.setSlots(slots);
    };
  }
  // Everything is checked: now change the model.
  for (const [v, t] of assignments) v.assign(t);
  if (compile) {
    try {
      compile();
    } catch (e) {
      throw fail(
        ctx,
        `the training config could not be restored: ${(e as Error).message}`,
        'load with { includeOptimizer: false } and compile the model again',
        e,
      );
    }
  }
  return model;
}

/**
 * A TensorFlow.js file whose layers use hard_sigmoid (TensorFlow.js's LSTM and GRU do for
 * their gates by default) predicts otherwise in sinew: TensorFlow.js computes
 * clip(0.2·x + 0.5, 0, 1), sinew Keras 3's relu6(x + 3) / 6. Said once, naming the layers.
 */
function warnHardSigmoid(model: Model, where: string): void {
  const owners = new Set(model.weights.map((w) => w.layer));
  const names = [...owners]
    .filter((l) => {
      const { activation, recurrentActivation } = l as {
        activation?: unknown;
        recurrentActivation?: unknown;
      };
      return activation instanceof HardSigmoid || recurrentActivation instanceof HardSigmoid;
    })
    .map((l) => `'${l.name}'`);
  if (names.length === 0) return;
  console.warn(
    `sinew: ${where}: layer(s) ${names.join(', ')} of this TensorFlow.js file use hard_sigmoid, which ` +
      'TensorFlow.js computes as clip(0.2·x + 0.5, 0, 1) and sinew (as Keras 3) as relu6(x + 3) / 6, ' +
      "so predictions differ. TensorFlow.js's LSTM and GRU use it for their gates unless " +
      "recurrentActivation is set; make the model with recurrentActivation: 'sigmoid' to match.",
  );
}

/**
 * Pairs every model variable with a saved tensor: by full name ('dense/kernel', also
 * 'dense/kernel:0'), else by position within the layer's weights (the saved name's last
 * layer segment). Shapes and dtypes must agree; every saved tensor must be used.
 */
function matchWeights(
  model: Model,
  saved: NamedTensor[],
  ctx: RebuildContext,
): [LayerVariable, Tensor][] {
  const byName = new Map(saved.map((t) => [t.name.replace(/:\d+$/, ''), t]));
  const byLayer = new Map<string, NamedTensor[]>();
  for (const t of saved) {
    const parts = t.name.replace(/:\d+$/, '').split('/');
    const layer = parts.length >= 2 ? parts[parts.length - 2]! : '';
    if (!byLayer.has(layer)) byLayer.set(layer, []);
    byLayer.get(layer)!.push(t);
    // Keras names a recurrent layer's weights by its cell too ('gru/gru_cell/kernel',
    // 'bidirectional/forward_lstm/lstm_cell/kernel'): also listed under the layer.
    if (parts.length >= 3 && layer.endsWith('_cell')) {
      const outer = parts[parts.length - 3]!;
      if (!byLayer.has(outer)) byLayer.set(outer, []);
      byLayer.get(outer)!.push(t);
    }
  }
  const used = new Set<NamedTensor>();
  const out: [LayerVariable, Tensor][] = [];
  const fileNames = fileWeightNames(model);
  for (const v of model.weights) {
    const fileName = fileNames.get(v);
    const t =
      (fileName === undefined ? undefined : byName.get(fileName)) ??
      byName.get(v.name) ??
      byLayer.get(v.layer.name)?.[v.layer.ownWeights.indexOf(v)];
    if (!t || used.has(t)) {
      throw fail(
        ctx,
        `the weights have no value for '${v.name}' (shape ${formatShape(v.shape)}); saved weights: ${saved.map((s) => s.name).join(', ') || 'none'}`,
        'the weights file belongs to a different model; save the model again',
      );
    }
    if (!shapesEqual(t.tensor.shape, v.shape)) {
      throw fail(
        ctx,
        `topology/weights shape mismatch: '${v.name}' has shape ${formatShape(v.shape)} in the topology, the weights file has ${formatShape(t.tensor.shape)} ('${t.name}')`,
        'the weights do not belong to this model.json; save the model again',
      );
    }
    if (t.tensor.dtype !== v.dtype) {
      throw fail(
        ctx,
        `wrong dtype: '${v.name}' is ${v.dtype} in the topology, the weights file has ${t.tensor.dtype} ('${t.name}')`,
        'save the model again (sinew writes float32 weights)',
      );
    }
    used.add(t);
    out.push([v, t.tensor]);
  }
  const extra = saved.filter((t) => !used.has(t));
  if (extra.length > 0) {
    throw fail(
      ctx,
      `the weights file has ${extra.length} weight(s) the model does not have: ${extra.map((t) => `'${t.name}'`).join(', ')}`,
      'the weights file belongs to a different model; save the model again',
    );
  }
  return out;
}
