import { describe } from '../errors.js';
import type { Loss } from '../losses/loss.js';
import { LossFunctionWrapper, lossRegistry } from '../losses/index.js';
import type { Model } from '../models/model.js';
import type { CompileOptions } from '../models/training/index.js';
import { optimizerRegistry } from '../optimizers/get.js';
import type { ConfigDict, JsonValue } from '../serialization.js';
import { fail, type RebuildContext } from './from-json.js';
import { mapKeys, toCamel, toSnake } from './keys.js';
import { lookupClass, lookupFunction } from './registry.js';

/**
 * `trainingConfig` as TensorFlow.js writes and reads it: `{ loss, metrics, optimizer_config:
 * { class_name, config } }` with loss and metric names in snake_case (TensorFlow.js
 * camelCases them when it reads) and optimizer keys in snake_case.
 */

type Json = { [key: string]: JsonValue };

/** Our optimizer class names that TensorFlow.js spells differently. */
const OPTIMIZER_TO_TFJS: Record<string, string> = { RMSprop: 'RMSProp' };

export function trainingConfigOf(model: Model, warnings: string[]): Json {
  const compiled = model.compiled!;
  const losses = compiled.losses.map((l) => lossJson(l, warnings));
  const metricLists = compiled.metricIds.map((ids) => ids.map((id) => metricJson(id)));
  const same = metricLists.every((m) => JSON.stringify(m) === JSON.stringify(metricLists[0]));
  const opt = compiled.optimizer;
  const className = optimizerRegistry.serialize(opt).className;
  const config: Json = {
    loss: losses.length === 1 ? losses[0]! : losses,
    metrics: same
      ? (metricLists[0] ?? [])
      : Object.fromEntries(compiled.outputNames.map((n, i) => [n, metricLists[i]!])),
    optimizer_config: {
      class_name: Object.hasOwn(OPTIMIZER_TO_TFJS, className)
        ? OPTIMIZER_TO_TFJS[className]!
        : className,
      config: mapKeys(opt.getConfig(), toSnake),
    },
  };
  if (compiled.lossWeights.some((w) => w !== 1)) {
    config.loss_weights = [...compiled.lossWeights];
    warnings.push(
      'trainingConfig: loss_weights are set; TensorFlow.js refuses to load them ("Loading loss_weights is not supported yet").',
    );
  }
  return config;
}

function lossJson(loss: Loss, warnings: string[]): JsonValue {
  if (loss instanceof LossFunctionWrapper) {
    if (!loss.fn.name) {
      warnings.push(
        'trainingConfig: the loss is an anonymous function; it is saved as "loss" and cannot be restored.',
      );
    }
    return loss.fn.name || loss.name;
  }
  const cls = loss.constructor as typeof Loss & { readonly className: string };
  const config = loss.getConfig();
  const isDefault = JSON.stringify(cls.fromConfig({}).getConfig()) === JSON.stringify(config);
  if (isDefault && lossRegistry.has(cls.className)) {
    // 'log_cosh' would reach TensorFlow.js as 'logCosh', which it lacks; Keras reads 'logcosh' too.
    if (cls.className === 'LogCosh') return 'logcosh';
    // The longest snake_case alias: 'mean_squared_error' rather than 'mse'.
    const names = lossRegistry
      .names()
      .filter(
        (n) => /^[a-z_]+$/.test(n) && lossRegistry.get(n) === lossRegistry.get(cls.className),
      );
    const best = names.sort((a, b) => b.length - a.length)[0];
    if (best) return best;
  }
  warnings.push(
    `trainingConfig: loss ${cls.className} with options ${JSON.stringify(config)} is written as an object; TensorFlow.js reads only loss names.`,
  );
  return { class_name: cls.className, config: mapKeys(config, toSnake) };
}

function metricJson(id: unknown): JsonValue {
  if (typeof id === 'string') return id;
  if (typeof id === 'function') return id.name || 'metric';
  return (id as { name?: string }).name ?? 'metric';
}

/** compile() options from a trainingConfig (ours or TensorFlow.js's). */
export function compileOptionsFrom(tc: unknown, ctx: RebuildContext): CompileOptions {
  if (typeof tc !== 'object' || tc === null) {
    throw fail(
      ctx,
      `trainingConfig must be an object, received ${describe(tc)}`,
      'remove it or save the model again',
    );
  }
  const t = tc as Json;
  const loss = (v: JsonValue): unknown => {
    if (typeof v === 'string') {
      if (lossRegistry.has(v)) return v;
      const fn = lookupFunction(v, ctx.customObjects);
      if (fn) return fn;
      throw fail(
        ctx,
        `trainingConfig names the loss '${v}', which is neither built in (${lossRegistry.names().join(', ')}) nor registered`,
        `pass it when loading: load(path, { customObjects: { ${v} } }), or sn.serialization.registerClass(${v})`,
      );
    }
    const o = v as Json;
    const cls =
      typeof o?.class_name === 'string'
        ? lookupClass('loss', o.class_name, ctx.customObjects)
        : undefined;
    if (!cls)
      throw fail(
        ctx,
        `trainingConfig has the loss ${describe(v)}, whose class is not registered`,
        'register the Loss class with sn.serialization.registerClass',
      );
    return cls.fromConfig(mapKeys(o.config ?? {}, toCamel) as ConfigDict);
  };
  const losses = t.loss;
  const metric = (m: JsonValue): unknown =>
    typeof m === 'string' ? (lookupFunction(m, ctx.customObjects) ?? m) : m;
  const metrics = t.metrics;
  const options: Record<string, unknown> = {
    optimizer: optimizerFrom(t.optimizer_config, ctx),
    loss: Array.isArray(losses)
      ? losses.map(loss)
      : typeof losses === 'object' && losses !== null && !('class_name' in losses)
        ? Object.fromEntries(Object.entries(losses).map(([k, v]) => [k, loss(v)]))
        : loss(losses ?? 'mean_squared_error'),
  };
  if (Array.isArray(metrics)) options.metrics = metrics.map(metric);
  else if (typeof metrics === 'object' && metrics !== null) {
    options.metrics = Object.fromEntries(
      Object.entries(metrics).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(metric)]),
    );
  }
  if (
    Array.isArray(t.loss_weights) ||
    (typeof t.loss_weights === 'object' && t.loss_weights !== null)
  ) {
    options.lossWeights = t.loss_weights;
  }
  return options as unknown as CompileOptions;
}

function optimizerFrom(oc: JsonValue | undefined, ctx: RebuildContext): unknown {
  if (
    typeof oc !== 'object' ||
    oc === null ||
    Array.isArray(oc) ||
    typeof oc.class_name !== 'string'
  ) {
    throw fail(
      ctx,
      `trainingConfig.optimizer_config must be { class_name, config }, received ${describe(oc)}`,
      'save the model again',
    );
  }
  let className = oc.class_name;
  const config = mapKeys(oc.config ?? {}, toCamel) as Record<string, JsonValue>;
  // TensorFlow.js's spellings.
  if (className === 'RMSProp') {
    className = 'RMSprop';
    if ('decay' in config) {
      config.rho = config.decay ?? 0.9;
      delete config.decay;
    }
  } else if (className === 'Momentum') {
    className = 'SGD';
    if ('useNesterov' in config) {
      config.nesterov = config.useNesterov ?? false;
      delete config.useNesterov;
    }
  } else if (className === 'Adamax' && config.decay === 0) {
    delete config.decay;
  }
  const cls = lookupClass('optimizer', className, ctx.customObjects);
  if (!cls) {
    throw fail(
      ctx,
      `unknown optimizer class '${className}'; registered optimizers: ${optimizerRegistry.names().join(', ')}`,
      'register it with sn.serialization.registerClass, or load without the optimizer and compile again',
    );
  }
  try {
    return cls.fromConfig(config as ConfigDict);
  } catch (e) {
    throw fail(
      ctx,
      `optimizer ${className} with config ${describe(config)} could not be built: ${(e as Error).message}`,
      'fix its config or compile the loaded model again',
      e,
    );
  }
}
