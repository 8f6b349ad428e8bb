import { describe, SerializationError } from '../../errors.js';
import { Layer } from '../../layers/layer.js';
import { Sequential } from '../../models/sequential.js';
import {
  pythonRegularizer,
  TORCH_CONVERTERS,
  type TorchConverter,
  type TorchWeight,
} from './layers.js';
import { CONV_CONVERTERS } from './layers-conv.js';
import { MISC_CONVERTERS } from './layers-misc.js';
import { RECURRENT_CONVERTERS } from './layers-recurrent.js';

/** Every converter: the base table, then the families that joined later. */
const CONVERTERS: Record<string, TorchConverter> = {
  ...TORCH_CONVERTERS,
  ...CONV_CONVERTERS,
  ...MISC_CONVERTERS,
  ...RECURRENT_CONVERTERS,
};

/** One layer of an exportable model: its converter and its attribute name in model.py. */
export interface TorchLayerPlan {
  layer: Layer;
  /** The attribute of the torch Model holding it (the layer's name when a valid identifier). */
  attr: string;
  converter: TorchConverter;
}

/** Attributes a layer name may not take: Python keywords and nn.Module's own members. */
const RESERVED = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try while ' +
    'with yield training forward parameters buffers children modules state_dict load_state_dict ' +
    'train eval to cpu cuda float double half type apply zero_grad register_buffer ' +
    'register_parameter register_module add_module named_parameters named_buffers named_children ' +
    'named_modules requires_grad_ extra_repr dump_patches get_submodule get_parameter get_buffer ' +
    'share_memory sinew_layers regularization_losses regularization_loss regularization_terms ' +
    'bfloat16 ipu xpu'
  ).split(' '),
);

function attributeName(name: string, index: number): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name) && !name.startsWith('_')
    ? name
    : `layer_${index}`;
}

/** Classes the exporter can write today. */
export function exportableClasses(): string[] {
  return Object.keys(CONVERTERS);
}

/**
 * The export plan of `model`: each layer with its converter, or one SerializationError that
 * lists every layer that cannot be exported and why. `where` names the caller.
 */
export function torchPlan(model: unknown, where: string): TorchLayerPlan[] {
  if (!(model instanceof Sequential)) {
    throw new SerializationError(
      `${where}: expected a Sequential model, received ${model instanceof Layer ? model.describeSelf() : describe(model)}. ` +
        'Fix: the PyTorch exporter writes Sequential models (sn.sequential({ layers: [...] })) for now.',
    );
  }
  if (!model.built) {
    throw new SerializationError(
      `${where}: ${model.describeSelf()} is not built, so it has no weights yet. ` +
        'Fix: give its first layer an inputShape, or call it once on a batch (model.predict(x)).',
    );
  }
  const problems: string[] = [];
  const used = new Map<string, string>();
  const plan = model.layers.map((layer, i): TorchLayerPlan | undefined => {
    const className = (layer.constructor as typeof Layer).className;
    const label = `'${layer.name}' (${className})`;
    const converter = Object.hasOwn(CONVERTERS, className) ? CONVERTERS[className] : undefined;
    if (!converter) {
      problems.push(`${label}: no PyTorch converter for ${className}`);
      return undefined;
    }
    const refused = converter.refuse?.(layer);
    if (refused) problems.push(`${label}: ${refused}`);
    if (layer.activityRegularizer && pythonRegularizer(layer.activityRegularizer) === undefined) {
      problems.push(`${label}: its activity regularizer is custom`);
    }
    let attr = attributeName(layer.name, i);
    if (used.has(attr)) attr = `layer_${i}`;
    used.set(attr, layer.name);
    return { layer, attr, converter };
  });
  if (problems.length > 0) {
    throw new SerializationError(
      `${where}: ${model.describeSelf()} has ${problems.length} layer(s) that cannot be exported to PyTorch: ` +
        `${problems.join('; ')}. Exportable: ${exportableClasses().join(', ')} with built-in ` +
        'activations and the regularizers l1, l2, l1l2, orthogonal and klSparsity, no constraints. ' +
        'Fix: replace those layers, or train this model with sinew.',
    );
  }
  return plan as TorchLayerPlan[];
}

/** Every weight of the plan with its safetensors name ('encoder.weight'). */
export function torchWeights(plan: readonly TorchLayerPlan[]): (TorchWeight & { name: string })[] {
  return plan.flatMap(({ layer, attr, converter }) =>
    converter.weights(layer).map((w) => ({ ...w, name: `${attr}.${w.torchName}` })),
  );
}
