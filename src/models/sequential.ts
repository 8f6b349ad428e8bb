import { ConfigError, describe } from '../errors.js';
import { input, InputLayer } from '../layers/input.js';
import { Layer } from '../layers/layer.js';
import { SymbolicTensor, type SymbolicShape } from '../layers/symbolic.js';
import { Model, withFieldLayers } from './model.js';
import { checkOptionKeys, optionKeys } from '../validation.js';

export interface SequentialOptions {
  /** Layers in order; the first element may be a SymbolicTensor from sn.input. */
  layers?: readonly (Layer | SymbolicTensor)[];
  name?: string;
}
export const SEQUENTIAL_OPTION_KEYS = optionKeys<SequentialOptions>()({ layers: true, name: true });

/**
 * A linear stack of layers. It builds as soon as its input shape is known: from a leading
 * `sn.input(...)`, from the first layer's `inputShape`, or from the first batch it is called
 * on.
 *
 *   const model = sn.sequential({ layers: [
 *     sn.layers.dense({ units: 256, activation: 'sigmoid', inputShape: [784] }),
 *     sn.layers.dense({ units: 784, activation: 'sigmoid' }),
 *   ] });
 */
export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  readonly #stack: Layer[] = [];
  readonly #names = new Set<string>();
  #input: SymbolicTensor | undefined;
  #output: SymbolicTensor | undefined;
  /** True while the constructor adds its layers: the graph is made once, at the end (linear time). */
  #deferGraph = true;

  constructor(options: SequentialOptions = {}) {
    checkOptionKeys(
      options,
      'sequential',
      SEQUENTIAL_OPTION_KEYS,
      'sn.sequential({ layers: [...] })',
    );
    super(undefined, options.name ? { name: options.name } : {});
    for (const layer of options.layers ?? []) this.add(layer);
    this.#deferGraph = false;
    if (this.#output && this.#stack.length > 0) this.setGraph(this.#input!, this.#output);
  }

  /** Appends a layer (or, first, an input from sn.input). */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (this.#stack.length > 0 || this.#input || !(layer.node.layer instanceof InputLayer)) {
        throw new ConfigError(
          `Sequential '${this.name}': only the first element may be an input from sn.input(...), received ${layer.toString()}.`,
        );
      }
      this.#input = layer;
      this.#output = layer;
      return;
    }
    if (!(layer instanceof Layer)) {
      throw new ConfigError(
        `Sequential '${this.name}'.add expects a layer, received ${describe(layer)}.`,
      );
    }
    if (this.#names.has(layer.name)) {
      throw new ConfigError(
        `Sequential '${this.name}' already has a layer named '${layer.name}'; layer names must be unique within a model.`,
      );
    }
    this.#stack.push(layer);
    this.#names.add(layer.name);
    // A first layer knows the input shape from inputShape, or, as a model, from its input.
    const known =
      layer.batchInputShape ??
      (layer instanceof Model && layer.inputs.length === 1 ? layer.inputs[0]!.shape : undefined);
    if (!this.#input && this.#stack.length === 1 && known) {
      const [batch, ...shape] = known;
      this.#input = input({
        shape,
        ...(batch !== null && batch !== undefined ? { batchSize: batch } : {}),
      });
      this.#output = this.#input;
    }
    if (this.#output) {
      this.#extend(layer);
      if (!this.#deferGraph) this.setGraph(this.#input!, this.#output);
    }
  }

  #extend(layer: Layer): void {
    const out = layer.apply(this.#output!);
    if (!(out instanceof SymbolicTensor)) {
      throw new ConfigError(
        `Sequential '${this.name}': layer '${layer.name}' has several outputs; use the functional API (sn.model) for it.`,
      );
    }
    this.#output = out;
  }

  /** Builds from the first input shape seen (batch dimension null). */
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    if (this.#input) return;
    if (this.#stack.length === 0) throw new ConfigError(`${this.describeSelf()} has no layers.`);
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    this.#input = input({ shape: shape.slice(1) });
    this.#output = this.#input;
    for (const layer of this.#stack) this.#extend(layer);
    this.setGraph(this.#input, this.#output);
  }

  /** Before the input shape is known, the last layer still names the one output. */
  override get outputNames(): string[] {
    const last = this.#stack[this.#stack.length - 1];
    return this.outputs.length === 0 && last ? [last.name] : super.outputNames;
  }

  /** The layers in order, without the input layer (then any a subclass keeps in fields). */
  override get sublayers(): readonly Layer[] {
    return withFieldLayers(this.#stack, this.fieldLayers());
  }
}

/** A sequential model: `sn.sequential({ layers: [...] })`, or empty and then `.add(layer)`. */
export function sequential(options: SequentialOptions = {}): Sequential {
  return new Sequential(options);
}
