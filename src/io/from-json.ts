import { SinewError, describe, SerializationError } from '../errors.js';
import { InputLayer } from '../layers/input.js';
import type { Layer } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import { withWeightCheck, type WeightCheck } from '../layers/weight-check.js';
import { Model } from '../models/model.js';
import { Sequential } from '../models/sequential.js';
import type { ConfigDict, JsonValue } from '../serialization.js';
import { formatShape } from '../tensor/shape.js';
import { mapKeys, toCamel } from './keys.js';
import {
  lookupClass,
  lookupFunction,
  registeredFunctionNames,
  registryOf,
  type CustomObjects,
  type Family,
} from './registry.js';

/**
 * Keras JSON topology (as TensorFlow.js and sinew write it) → a sinew model. Functional
 * models are rebuilt by replaying `inbound_nodes` with `layer.apply` on SymbolicTensors.
 * Every class is looked up in customObjects and the registries; nothing is evaluated.
 */

type Json = { [key: string]: JsonValue };

export interface RebuildContext {
  /** The file (or 'in-memory artifacts'), named in every error. */
  where: string;
  customObjects: CustomObjects;
}

/** Deepest nesting of arrays and objects accepted in a topology (Keras files use ~20). */
export const MAX_JSON_DEPTH = 100;

const INITIALIZER_FROM_TFJS: Record<string, string> = {
  LeCunNormal: 'LecunNormal',
  LeCunUniform: 'LecunUniform',
};

/**
 * Rebuilds the model; every failure is a SerializationError naming the file. `weightValues`
 * is how many values the file's weights hold: the topology can use no more, so a layer asking
 * for more fails before its weight is allocated.
 */
export function modelFromTopology(
  topology: JsonValue,
  ctx: RebuildContext,
  weightValues: number,
): Model {
  checkDepth(topology, 'modelTopology', ctx);
  try {
    return withWeightCheck(weightBudget(weightValues, ctx), () => rebuild(topology, ctx));
  } catch (e) {
    throw fail(
      ctx,
      `modelTopology could not be rebuilt (${e instanceof Error ? e.message : describe(e)})`,
      'the file is damaged; save the model again',
      e,
    );
  }
}

/** Refuses JSON nested deeper than MAX_JSON_DEPTH (checked without recursion). */
export function checkDepth(value: unknown, what: string, ctx: { where: string }): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw fail(
        ctx,
        `${what} is nested more than ${MAX_JSON_DEPTH} levels deep`,
        'the file is damaged or hostile; save the model again',
      );
    }
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
}

/** addWeight's check while rebuilding: each weight must fit in what the file's weights hold. */
function weightBudget(total: number, ctx: RebuildContext): WeightCheck {
  let left = total;
  return (layer, name, shape) => {
    const size = shape.every((d) => Number.isSafeInteger(d) && d >= 0)
      ? shape.reduce((a, b) => a * b, 1)
      : NaN;
    if (!(Number.isSafeInteger(size) && size <= left)) {
      throw fail(
        ctx,
        `${layer.describeSelf()} needs weight '${name}' of shape ${formatShape(shape)} (${size} values), ` +
          `but the weights hold only ${left} more of their ${total} values; nothing was allocated`,
        'the topology does not match its weights (an inflated units or shape?); save the model again',
      );
    }
    left -= size;
  };
}

function rebuild(topology: JsonValue, ctx: RebuildContext): Model {
  let t = topology as Json;
  // Keras h5's JSON wraps the model as { model_config: ... }.
  if (isObject(t) && isObject(t.model_config)) t = t.model_config;
  if (!isObject(t) || typeof t.class_name !== 'string') {
    throw fail(
      ctx,
      `modelTopology must be an object { class_name, config }, received ${describe(topology)}`,
      'save the model with sn.io.save or tf.LayersModel.save',
    );
  }
  const layer = layerFromJson(t, ctx);
  if (!(layer instanceof Model)) {
    throw fail(
      ctx,
      `modelTopology is a ${t.class_name} layer, not a model`,
      "wrap it in a model ('Sequential' or 'Functional')",
    );
  }
  return layer;
}

function layerFromJson(entry: Json, ctx: RebuildContext): Layer {
  const className = isObject(entry) ? entry.class_name : undefined;
  if (typeof className !== 'string') {
    throw fail(
      ctx,
      `a layer entry must be an object { class_name, config }, received ${describe(entry)}`,
      'the file is damaged; save the model again',
    );
  }
  if (className === 'Sequential') return sequentialFromJson(entry.config, ctx);
  if (className === 'Functional' || className === 'Model') {
    return functionalFromJson(entry.config as Json, ctx);
  }
  const cls = lookupClass('layer', className, ctx.customObjects);
  if (!cls) throw unknownClass(ctx, 'layer', className);
  const config = resolveObjects(mapKeys((entry.config ?? {}) as JsonValue, toCamel) as Json, ctx);
  try {
    return cls.fromConfig(config as ConfigDict) as Layer;
  } catch (e) {
    throw fail(
      ctx,
      `layer ${describe(config.name ?? className)} (${className}) could not be built: ${(e as Error).message}`,
      'check the layer config in the file',
      e,
    );
  }
}

function sequentialFromJson(config: JsonValue | undefined, ctx: RebuildContext): Sequential {
  const c = (Array.isArray(config) ? { layers: config } : config) as Json | undefined;
  const entries = c?.layers;
  if (!Array.isArray(entries)) {
    throw fail(
      ctx,
      `a Sequential config must have a list of layers, received ${describe(c)}`,
      'the file is damaged; save the model again',
    );
  }
  const layers = entries.map((e) => layerFromJson(e as Json, ctx));
  const first = layers[0];
  const stack: (Layer | SymbolicTensor)[] =
    first instanceof InputLayer ? [first.output, ...layers.slice(1)] : layers;
  try {
    return new Sequential({
      layers: stack,
      ...(typeof c?.name === 'string' ? { name: c.name } : {}),
    });
  } catch (e) {
    throw fail(
      ctx,
      `the Sequential model could not be built: ${(e as Error).message}`,
      'check the layer shapes in the file',
      e,
    );
  }
}

function functionalFromJson(config: Json | undefined, ctx: RebuildContext): Model {
  if (!isObject(config) || !Array.isArray(config.layers)) {
    throw fail(
      ctx,
      `a Functional config must have layers, input_layers and output_layers, received ${describe(config)}`,
      'the file is damaged; save the model again',
    );
  }
  const byName = new Map<string, Layer>();
  /** Output tensors of each node a layer has made in this rebuild, in order. */
  const made = new Map<string, SymbolicTensor[][]>();
  const pending: { layer: Layer; nodes: JsonValue[] }[] = [];
  for (const e of config.layers as Json[]) {
    const layer = layerFromJson(e, ctx);
    if (byName.has(layer.name))
      throw fail(ctx, `two layers are named '${layer.name}'`, 'layer names must be unique');
    byName.set(layer.name, layer);
    made.set(layer.name, layer instanceof InputLayer ? [[layer.output]] : []);
    pending.push({ layer, nodes: Array.isArray(e.inbound_nodes) ? [...e.inbound_nodes] : [] });
  }
  const tensorOf = (ref: JsonValue): SymbolicTensor | undefined => {
    const [name, nodeIndex, tensorIndex] = ref as [string, number, number];
    const layer = byName.get(name);
    if (!layer) {
      throw fail(
        ctx,
        `an inbound node refers to layer '${String(name)}', which is not in the model`,
        'the file is damaged; save the model again',
      );
    }
    // A nested model's node 0 is its internal node (Keras skips it when writing).
    const i = nodeIndex - (layer instanceof Model ? 1 : 0);
    return made.get(name)![i]?.[tensorIndex ?? 0];
  };
  let progress = true;
  while (progress && pending.some((p) => p.nodes.length > 0)) {
    progress = false;
    for (const p of pending) {
      while (p.nodes.length > 0) {
        const node = p.nodes[0] as JsonValue[];
        const inputs = (Array.isArray(node) ? node : []).map(tensorOf);
        if (inputs.length === 0 || inputs.some((x) => x === undefined)) break;
        let out: SymbolicTensor | SymbolicTensor[];
        try {
          out =
            inputs.length === 1
              ? p.layer.apply(inputs[0]!)
              : p.layer.apply(inputs as SymbolicTensor[]);
        } catch (e) {
          throw fail(
            ctx,
            `layer '${p.layer.name}' could not be applied to its inputs: ${(e as Error).message}`,
            'check the layer configs and shapes in the file',
            e,
          );
        }
        made.get(p.layer.name)!.push(Array.isArray(out) ? out : [out]);
        p.nodes.shift();
        progress = true;
      }
    }
  }
  const stuck = pending.find((p) => p.nodes.length > 0);
  if (stuck) {
    throw fail(
      ctx,
      `layer '${stuck.layer.name}' has inbound node ${JSON.stringify(stuck.nodes[0])} whose inputs never appear`,
      'the file is damaged; save the model again',
    );
  }
  const refs = (key: string): SymbolicTensor[] => {
    let list = config[key];
    if (Array.isArray(list) && typeof list[0] === 'string') list = [list];
    if (!Array.isArray(list) || list.length === 0) {
      throw fail(
        ctx,
        `the Functional config has no ${key}`,
        'the file is damaged; save the model again',
      );
    }
    return list.map((r) => {
      const x = tensorOf(r);
      if (!x)
        throw fail(
          ctx,
          `${key} refers to ${JSON.stringify(r)}, which is not a tensor of the model`,
          'the file is damaged; save the model again',
        );
      return x;
    });
  };
  const inputs = refs('input_layers');
  const outputs = refs('output_layers');
  try {
    return new Model({
      inputs: inputs.length === 1 ? inputs[0]! : inputs,
      outputs: outputs.length === 1 ? outputs[0]! : outputs,
      ...(typeof config.name === 'string' ? { name: config.name } : {}),
    });
  } catch (e) {
    throw fail(
      ctx,
      `the Functional model could not be built: ${(e as Error).message}`,
      'the file is damaged; save the model again',
      e,
    );
  }
}

/**
 * Replaces each `{ className, config }` under a key ending in Regularizer, Initializer or
 * Constraint with an instance (customObjects first, then the registries), so unknown names
 * fail here with a SerializationError; a saved custom function ('Function') becomes the
 * function registered under its name.
 */
function resolveObjects(config: Json, ctx: RebuildContext): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(config)) {
    const family: Family | undefined = key.endsWith('Regularizer')
      ? 'regularizer'
      : key.endsWith('Initializer')
        ? 'initializer'
        : key.endsWith('Constraint')
          ? 'constraint'
          : undefined;
    if (!family || !isObject(value) || typeof value.className !== 'string') {
      out[key] = value;
      continue;
    }
    if (family === 'constraint' && isRegularizerAsConstraint(key, value.className, ctx)) continue;
    out[key] = resolveObject(family, value, ctx) as unknown as JsonValue;
  }
  return out;
}

/**
 * Convolution layers: TensorFlow.js 4.22's DepthwiseConv2D writes its depthwise regularizer
 * under depthwise_constraint as well (its getConfig serializes the wrong field, so the
 * constraint it had is lost). Such an entry is ignored with a warning.
 */
function isRegularizerAsConstraint(key: string, className: string, ctx: RebuildContext): boolean {
  if (key !== 'depthwiseConstraint') return false;
  if (lookupClass('constraint', className, ctx.customObjects)) return false;
  if (!lookupClass('regularizer', className, ctx.customObjects)) return false;
  console.warn(
    `sinew: ${ctx.where}: depthwise_constraint holds the regularizer ${className} (TensorFlow.js ` +
      'writes the depthwise regularizer there too); ignored, the layer has no depthwise constraint.',
  );
  return true;
}

function resolveObject(family: Family, value: Json, ctx: RebuildContext): unknown {
  const cfg = (isObject(value.config) ? value.config : {}) as ConfigDict;
  let className = value.className as string;
  if (family === 'regularizer' && className === 'Function') {
    const name = String(cfg.name);
    const fn = lookupFunction(name, ctx.customObjects);
    if (!fn) {
      throw fail(
        ctx,
        `a layer uses the custom regularizer function '${name}', which is not registered ` +
          `(registered functions: ${registeredFunctionNames().join(', ') || 'none'})`,
        `pass it when loading: load(path, { customObjects: { ${name} } }), or call sn.serialization.registerClass(${name}) first`,
      );
    }
    return fn;
  }
  if (family === 'initializer' && Object.hasOwn(INITIALIZER_FROM_TFJS, className)) {
    className = INITIALIZER_FROM_TFJS[className]!;
  }
  const registered = typeof value.registeredName === 'string' ? value.registeredName : undefined;
  const cls =
    lookupClass(family, className, ctx.customObjects) ??
    (registered ? lookupClass(family, registered, ctx.customObjects) : undefined);
  if (!cls) throw unknownClass(ctx, family, className);
  try {
    return cls.fromConfig(cfg);
  } catch (e) {
    throw fail(
      ctx,
      `${family} ${className} with config ${describe(cfg)} could not be built: ${(e as Error).message}`,
      'check its config in the file',
      e,
    );
  }
}

function unknownClass(ctx: RebuildContext, family: Family, className: string): SerializationError {
  return fail(
    ctx,
    `unknown ${family} class '${className}'; registered ${family}s: ${registryOf(family).names().join(', ')}`,
    `register it before loading with sn.serialization.registerClass(${className}) ` +
      `(a class with static readonly className = '${className}' and static fromConfig), or pass load(path, { customObjects: { ${className} } })`,
  );
}

export function fail(
  ctx: { where: string },
  what: string,
  fix: string,
  cause?: unknown,
): SerializationError {
  return cause instanceof SerializationError
    ? cause
    : new SerializationError(
        `${ctx.where}: ${what}. Fix: ${fix}.`,
        cause === undefined || !(cause instanceof SinewError || cause instanceof Error)
          ? {}
          : { cause },
      );
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
