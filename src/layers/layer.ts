import { ConfigError, SinewError, ShapeError, describe } from '../errors.js';
import { getConstraint, type ConstraintIdentifier } from '../constraints/index.js';
import type { Initializer } from '../initializers/initializer.js';
import { getInitializer, type InitializerIdentifier } from '../initializers/index.js';
import { div } from '../ops/binary.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import {
  getRegularizer,
  regularizerRegistry,
  type RegularizerIdentifier,
} from '../regularizers/index.js';
import { fromConfigDefault, type ConfigDict, type Serializable } from '../serialization.js';
import { scalar } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import { checkDType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { keep } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { SymbolicTensor, formatSymbolicShape, type Node, type SymbolicShape } from './symbolic.js';
import { activeTap } from './taps.js';
import { fieldLayers } from './tracking.js';
import { checkWeight } from './weight-check.js';
import {
  checkBoolean,
  checkOptionKeys,
  describeTyped,
  isPlainObject,
  optionKeys,
  unknownOption,
  type OptionKeySet,
} from '../validation.js';

/**
 * The base of every layer. A layer owns weights (made in `build` with `addWeight`), computes
 * outputs in `call`, and is used through `apply`, which:
 *   - on SymbolicTensors (functional API), builds the layer, records a Node and returns
 *     SymbolicTensors with the output shapes; nothing is computed;
 *   - on Tensors, builds the layer on first use, checks the input against `inputSpec`, runs
 *     `call`, and then applies the ACTIVITY REGULARIZER to every output (docs/semantics.md rules 5–9).
 *     Activity regularization lives here once; no layer implements it.
 * Weight regularizers are attached to the weights (LayerVariable.regularizer) and evaluated
 * lazily whenever `losses` is read, so they always see the current weights (rule 10).
 */

export type ActivityRegularizerReduction = 'batchMean' | 'sum';

export interface LayerOptions {
  /** Unique within a model; default the snake_case class name with a counter (dense, dense_1). */
  name?: string;
  /** Whether the layer's weights are trained and penalised (default true). */
  trainable?: boolean;
  /** Input shape without the batch dimension, for the first layer of a sequential model. */
  inputShape?: readonly (number | null)[];
  /** Input shape including the batch dimension (null for any). */
  batchInputShape?: readonly (number | null)[];
  dtype?: DType;
  /** A penalty on the layer's OUTPUT, added to the loss on every call. */
  activityRegularizer?: RegularizerIdentifier;
  /**
   * 'batchMean' (default, as tf.keras): the penalty of each output is divided by its batch
   * size. 'sum': not divided (parity with PyTorch loops and old multi-backend Keras).
   */
  activityRegularizerReduction?: ActivityRegularizerReduction;
}

/** The keys of LayerOptions, spread into every layer's key list (see src/validation.ts). */
export const LAYER_OPTION_KEY_SET: OptionKeySet<LayerOptions> = {
  name: true,
  trainable: true,
  inputShape: true,
  batchInputShape: true,
  dtype: true,
  activityRegularizer: true,
  activityRegularizerReduction: true,
};

export interface CallOptions {
  /** Training mode (dropout active, batch statistics used); default false. */
  training?: boolean;
  /**
   * Which time steps of a sequence input are real ([batch, steps], bool or 0/1), as Keras's
   * mask: made by embedding({ maskZero }) and masking(), carried by functional and
   * sequential models to the layers that read it (recurrent layers skip masked steps).
   */
  mask?: Tensor | undefined;
}
export const CALL_OPTION_KEYS = optionKeys<CallOptions>()({ training: true, mask: true });

export interface AddWeightOptions {
  /** Short name such as 'kernel'; the variable is named `${layer.name}/${name}`. */
  name: string;
  shape: readonly number[];
  initializer?: InitializerIdentifier;
  regularizer?: RegularizerIdentifier | undefined;
  constraint?: ConstraintIdentifier | undefined;
  trainable?: boolean;
  dtype?: DType;
}
export const ADD_WEIGHT_OPTION_KEYS = optionKeys<AddWeightOptions>()({
  name: true,
  shape: true,
  initializer: true,
  regularizer: true,
  constraint: true,
  trainable: true,
  dtype: true,
});

/** What an input must look like: set by `build`, checked on every call. */
export interface InputSpec {
  minRank?: number;
  /** Required sizes by axis (negative counts from the end). */
  axes?: Readonly<Record<number, number>>;
}

/** A layer's weight: a Variable that knows its layer, regularizer and constraint. */
export class LayerVariable extends Variable {
  readonly layer: Layer;
  /** The name within the layer ('kernel'). */
  readonly shortName: string;
  regularizer: Regularizer | undefined;

  constructor(layer: Layer, shortName: string, initial: Tensor, trainable: boolean) {
    super(initial, { name: `${layer.name}/${shortName}`, trainable });
    this.layer = layer;
    this.shortName = shortName;
  }

  /** Trainable only if the variable and its layer both are (a frozen layer freezes its weights). */
  override get trainable(): boolean {
    return super.trainable && this.layer.trainable;
  }
  override set trainable(value: boolean) {
    super.trainable = value;
  }
}

/** One named part of a layer's extra loss: 'dense/kernel', 'dense/activity', 'dense/added'. */
export interface LossTerm {
  name: string;
  value: Tensor;
}

export type LayerInput = Tensor | readonly Tensor[];
export type LayerOutput = Tensor | Tensor[];

const nameCounters = new Map<string, number>();

/**
 * The class name in snake case by Keras's two rules (a capital followed by lower case or
 * digits starts a word; a lower-case letter before a capital ends one), then _1, _2, ... for
 * later ones: 'BatchNormalization' → 'batch_normalization', 'ZeroPadding2D' →
 * 'zero_padding2d', 'PReLU' → 'p_re_lu', 'Conv2DTranspose' → 'conv2d_transpose'.
 */
function defaultName(className: string): string {
  const base = className
    .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
  const n = nameCounters.get(base) ?? 0;
  nameCounters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Depth of nested concrete `apply` calls: 0 means the next call is an outermost one. */
let callDepth = 0;

/** Errors that already carry a layer's name and input shapes (wrapped once, innermost). */
const wrapped = new WeakSet<object>();

/** `inputShape` / `batchInputShape`: an array of sizes (integers >= 0) or null. */
function checkShapeOption(value: unknown, where: string, arg: string): void {
  if (
    value === undefined ||
    (Array.isArray(value) && value.every((d) => d === null || (Number.isInteger(d) && d >= 0)))
  ) {
    return;
  }
  throw new ConfigError(
    `${where}: ${arg} must be an array of sizes (integers >= 0, or null for any), received ${describeTyped(value)}; e.g. ${arg}: [784]`,
  );
}

export abstract class Layer implements Serializable {
  static readonly className: string = 'Layer';
  /**
   * The option keys of the class's options interface (made with optionKeys, beside the
   * interface). The constructor rejects any other key when the class being constructed
   * declares its own list, as every built-in layer does; a custom layer that forwards its own
   * options to super() declares none and is not checked. `fromConfig` keeps only these keys
   * of a config read from a file (the lenient path).
   */
  static readonly optionKeys: readonly string[] = optionKeys<LayerOptions>()(LAYER_OPTION_KEY_SET);
  /** The keys `apply`'s options object accepts (a recurrent layer adds initialState). */
  static readonly callOptionKeys: readonly string[] = CALL_OPTION_KEYS;

  /**
   * Rebuilds a layer from getConfig()'s output or a Keras config (camelCase): the default of
   * every family (fromConfigDefault), the config without nulls and, for a class that declares
   * its own optionKeys, without keys it does not know. A layer whose options differ from its
   * config (nested layers, renamed Keras keys) overrides it.
   */
  static fromConfig(config: ConfigDict): Layer {
    return fromConfigDefault(this, config);
  }

  readonly name: string;
  dtype: DType;
  activityRegularizerReduction: ActivityRegularizerReduction;
  /** From `inputShape` / `batchInputShape`: lets a sequential model build before any data. */
  readonly batchInputShape: SymbolicShape | undefined;
  built = false;
  inputSpec: InputSpec | undefined;
  /** Nodes this layer created in functional graphs (one per symbolic call). */
  readonly inboundNodes: Node[] = [];

  #trainable: boolean;
  #activityRegularizer: Regularizer | undefined;
  readonly #weights: LayerVariable[] = [];
  /** Regularizers set for weights not built yet, by short name (see weightRegularizer). */
  readonly #plannedRegularizers = new Map<string, Regularizer | undefined>();
  /** Activity penalties and tensors added with addLoss during the latest outermost pass. */
  #callLosses: LossTerm[] = [];
  /** Losses added with addLoss(fn): evaluated whenever losses are read. */
  readonly #lazyLosses: (() => Tensor)[] = [];

  constructor(options: LayerOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError(
        `${this.className}: options must be an object, received ${describe(options)}.`,
      );
    }
    const cls = new.target as typeof Layer;
    if (Object.hasOwn(cls, 'optionKeys')) {
      const where =
        typeof options.name === 'string' ? `${cls.className} '${options.name}'` : cls.className;
      checkOptionKeys(options, where, cls.optionKeys);
    }
    this.name = options.name ?? defaultName(this.className);
    if (typeof this.name !== 'string' || this.name === '' || this.name.includes('/')) {
      throw new ConfigError(
        `${this.className}: name must be a non-empty string without '/', received ${describe(this.name)}.`,
      );
    }
    checkShapeOption(options.inputShape, this.describeSelf(), 'inputShape');
    checkShapeOption(options.batchInputShape, this.describeSelf(), 'batchInputShape');
    this.#trainable = checkBoolean(options.trainable, this.describeSelf(), 'trainable', true);
    this.dtype = checkDType(options.dtype ?? 'float32', this.describeSelf());
    this.activityRegularizer = getRegularizer(options.activityRegularizer);
    const reduction = options.activityRegularizerReduction ?? 'batchMean';
    if (reduction !== 'batchMean' && reduction !== 'sum') {
      throw new ConfigError(
        `${this.className} '${this.name}': activityRegularizerReduction must be 'batchMean' or 'sum', received ${describe(reduction)}.`,
      );
    }
    this.activityRegularizerReduction = reduction;
    if (options.batchInputShape) this.batchInputShape = options.batchInputShape.slice();
    else if (options.inputShape) this.batchInputShape = [null, ...options.inputShape];
  }

  /**
   * The penalty on this layer's outputs. Settable at any time, with what the constructor
   * takes (a name, a function, a config or a Regularizer); it applies from the next call.
   */
  get activityRegularizer(): Regularizer | undefined {
    return this.#activityRegularizer;
  }
  set activityRegularizer(id: RegularizerIdentifier | undefined | null) {
    this.#activityRegularizer = getRegularizer(id);
  }

  /**
   * The registered class name (static className), for messages and serialization; a user's
   * subclass that declares none of its own is named after its class (as Keras names one).
   */
  get className(): string {
    const ctor = this.constructor as typeof Layer;
    return Object.hasOwn(ctor, 'className') || ctor.name === '' ? ctor.className : ctor.name;
  }

  get trainable(): boolean {
    return this.#trainable;
  }
  /** Freezing a layer freezes every layer nested in it (as Keras). */
  set trainable(value: boolean) {
    for (const layer of this.#allLayers()) layer.#trainable = value;
  }

  /**
   * Layers nested inside this one: those a subclass keeps in its fields, arrays or plain
   * objects (`this.enc = sn.layers.dense(...)`, see tracking.ts); a Model adds its graph's.
   */
  get sublayers(): readonly Layer[] {
    return this.fieldLayers();
  }

  /**
   * The layers held by this layer's own fields, in field order (tracking.ts). A built-in
   * layer (its class declares its own optionKeys) holds none, so the walk, which runs several
   * times per training step, is skipped for it.
   */
  protected fieldLayers(): Layer[] {
    if (Object.hasOwn(this.constructor, 'optionKeys')) return [];
    return fieldLayers<Layer>(
      this,
      (v): v is Layer => v instanceof Layer,
      () => this.describeSelf(),
    );
  }

  /** Makes the weights for inputs of `inputShape` (batch dimension null). */
  build(_inputShape: SymbolicShape | SymbolicShape[]): void {}

  /** The computation. `inputs` is a list when the layer was applied to a list. */
  abstract call(inputs: LayerInput, options: CallOptions): LayerOutput;

  /** Output shape(s) for an input shape; the default keeps the shape. */
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    return inputShape;
  }

  /**
   * Masks (Keras's mechanism, kept small): the mask of this layer's first output, from its
   * inputs and the mask that came with them. A functional or sequential model calls it after
   * each layer and passes the result to the next layer as `options.mask`. The default keeps
   * the input mask when `supportsMasking` is set (layers that do not change the steps axis)
   * and drops it otherwise; embedding, masking and the recurrent layers override it.
   */
  computeMask(_inputs: LayerInput, mask: Tensor | undefined): Tensor | undefined {
    return this.supportsMasking ? mask : undefined;
  }

  /** Whether computeMask passes the input mask through unchanged (default false). */
  get supportsMasking(): boolean {
    return false;
  }

  /** Output dtype; the default is the layer's dtype. */
  computeOutputDType(): DType {
    return this.dtype;
  }

  /** The layer's configuration as plain JSON (subclasses add their options). */
  getConfig(): ConfigDict {
    const config: ConfigDict = { name: this.name, trainable: this.trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = this.batchInputShape.slice();
    if (this.activityRegularizer) {
      config.activityRegularizer = regularizerRegistry.serialize(this.activityRegularizer);
    }
    if (this.activityRegularizerReduction !== 'batchMean') {
      config.activityRegularizerReduction = this.activityRegularizerReduction;
    }
    return config;
  }

  // ---------------------------------------------------------------------------------------
  // Calling

  /** Applies the layer to tensors (computes) or to SymbolicTensors (builds a graph). */
  apply(inputs: Tensor, options?: CallOptions): Tensor;
  apply(inputs: SymbolicTensor, options?: CallOptions): SymbolicTensor;
  apply(
    inputs: readonly SymbolicTensor[],
    options?: CallOptions,
  ): SymbolicTensor | SymbolicTensor[];
  apply(inputs: LayerInput, options?: CallOptions): LayerOutput;
  apply(
    inputs: LayerInput | SymbolicTensor | readonly SymbolicTensor[],
    options: CallOptions = {},
  ): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    // The message (a string per call) is made only when a key is unknown.
    const keys = (this.constructor as typeof Layer).callOptionKeys;
    if (!isPlainObject(options) || unknownOption(options, keys) !== undefined) {
      checkOptionKeys(options, `${this.describeSelf()}.apply`, keys);
    }
    const list: readonly unknown[] = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length === 0)
      throw new ConfigError(`${this.describeSelf()} was applied to an empty list of inputs.`);
    if (list.every((x) => x instanceof SymbolicTensor)) {
      return this.#applySymbolic(list as SymbolicTensor[], !Array.isArray(inputs));
    }
    const bad = list.findIndex((x) => !(x instanceof Tensor));
    if (bad >= 0) {
      throw new ConfigError(
        `${this.describeSelf()} expects Tensors (or SymbolicTensors from sn.input), received ${describe(list[bad])}` +
          `${list.length > 1 ? ` at input ${bad}` : ''}. Make a tensor with sn.tensor(...) first.`,
      );
    }
    return this.#applyConcrete(inputs as LayerInput, options);
  }

  #applySymbolic(inputs: SymbolicTensor[], single: boolean): SymbolicTensor | SymbolicTensor[] {
    const shapes = inputs.map((x) => x.shape);
    const shapeArg = single ? shapes[0]! : shapes;
    this.#ensureBuilt(shapeArg);
    this.#checkInputSpec(shapes);
    const out = this.computeOutputShape(shapeArg);
    const outShapes = isShapeList(out) ? out : [out];
    const outputs: SymbolicTensor[] = [];
    const node: Node = { layer: this, inputs, outputs, singleInput: single };
    outShapes.forEach((s, i) =>
      outputs.push(new SymbolicTensor(s, this.computeOutputDType(), node, i)),
    );
    this.inboundNodes.push(node);
    return isShapeList(out) ? outputs : outputs[0]!;
  }

  #applyConcrete(inputs: LayerInput, options: CallOptions): LayerOutput {
    const list = Array.isArray(inputs) ? (inputs as Tensor[]) : [inputs as Tensor];
    const outermost = callDepth === 0;
    if (outermost) this.#clearCallLosses();
    callDepth++;
    try {
      const shapes = list.map((x) => [null, ...x.shape.slice(1)] as SymbolicShape);
      this.#ensureBuilt(Array.isArray(inputs) ? shapes : shapes[0]!);
      this.#checkInputSpec(list.map((x) => x.shape));
      const outputs = this.call(inputs, options);
      const outputList = Array.isArray(outputs) ? outputs : [outputs];
      if (this.activityRegularizer) {
        for (const y of outputList) {
          // Kept past a step scope: model.losses reads it until the next forward pass.
          this.#callLosses.push({
            name: `${this.name}/activity`,
            value: keep(this.#activityPenalty(this.activityRegularizer, y)),
          });
        }
      }
      activeTap()?.onOutput?.(this, list, outputList);
      return outputs;
    } catch (e) {
      throw this.#withContext(e, list);
    } finally {
      callDepth--;
    }
  }

  /** docs/semantics.md rules 6–8: divide by the batch size unless the penalty is already a batch mean. */
  #activityPenalty(regularizer: Regularizer, y: Tensor): Tensor {
    const penalty = regularizer.apply(y);
    if (
      this.activityRegularizerReduction === 'sum' ||
      regularizer.reduction === 'batchMean' ||
      y.rank === 0
    ) {
      return penalty;
    }
    const batch = y.shape[0]!;
    return batch === 0 ? scalar(0, penalty.dtype) : div(penalty, batch);
  }

  #ensureBuilt(shape: SymbolicShape | SymbolicShape[]): void {
    if (this.built) return;
    this.build(shape);
    this.built = true;
  }

  #checkInputSpec(shapes: readonly SymbolicShape[]): void {
    const spec = this.inputSpec;
    if (!spec) return;
    for (const shape of shapes) {
      if (spec.minRank !== undefined && shape.length < spec.minRank) {
        throw this.#tag(
          new ShapeError(
            `${this.describeSelf()} expected input of rank >= ${spec.minRank}, received shape ${formatSymbolicShape(shape)}.` +
              (shape.length === 1
                ? ' Add a batch dimension (sn.expandDims(x, 0)) for a single sample.'
                : ''),
          ),
        );
      }
      for (const [key, size] of Object.entries(spec.axes ?? {})) {
        const axis = Number(key) < 0 ? shape.length + Number(key) : Number(key);
        const got = shape[axis];
        if (got !== null && got !== undefined && got !== size) {
          const features = shape.slice(1);
          const flatSize = features.every((d) => d !== null)
            ? features.reduce((a, b) => a! * b!, 1)
            : undefined;
          const where = Number(key) === -1 ? 'last dimension' : `dimension ${axis}`;
          const fix =
            shape.length > 2 && flatSize === size
              ? `add a flatten() layer before it`
              : `check the data's feature count or the previous layer's units`;
          throw this.#tag(
            new ShapeError(
              `${this.describeSelf()} expected input with ${where} ${size}, received shape ${formatSymbolicShape(shape)}; ${fix}.`,
            ),
          );
        }
      }
    }
  }

  #tag<E extends object>(e: E): E {
    wrapped.add(e);
    return e;
  }

  /** Re-throws with the layer's name and input shapes (once: the innermost layer wins). */
  #withContext(e: unknown, inputs: readonly Tensor[]): unknown {
    if (typeof e !== 'object' || e === null || wrapped.has(e)) return e;
    // A layer's own error that already names it needs no second prefix.
    if (e instanceof SinewError && e.message.startsWith(this.describeSelf())) return this.#tag(e);
    const shapes = inputs.map((x) => formatShape(x.shape)).join(', ');
    const message = `${this.describeSelf()} failed on input shape ${shapes}: ${(e as Error).message}`;
    const Ctor =
      e instanceof SinewError
        ? (e.constructor as new (m: string, o: { cause: unknown }) => SinewError)
        : SinewError;
    return this.#tag(new Ctor(message, { cause: e }));
  }

  /** "Dense 'encoder'", for messages. */
  describeSelf(): string {
    return `${this.className} '${this.name}'`;
  }

  // ---------------------------------------------------------------------------------------
  // Weights

  /** Makes a weight of this layer (call from build). */
  addWeight(options: AddWeightOptions): LayerVariable {
    checkOptionKeys(options, `${this.describeSelf()}.addWeight`, ADD_WEIGHT_OPTION_KEYS);
    const {
      name,
      shape,
      initializer = 'glorotUniform',
      trainable = true,
      dtype = this.dtype,
    } = options;
    if (this.#weights.some((w) => w.shortName === name)) {
      throw new ConfigError(`${this.describeSelf()} already has a weight named '${name}'.`);
    }
    const init: Initializer = getInitializer(initializer);
    checkWeight(this, name, shape);
    const variable = new LayerVariable(this, name, init.apply(shape, dtype), trainable);
    variable.regularizer = getRegularizer(options.regularizer);
    variable.constraint = getConstraint(options.constraint);
    this.#weights.push(variable);
    return variable;
  }

  /**
   * The regularizer of the weight `name`: the variable's own once built (the one source of
   * truth), else the one set for it before build. Backs settable accessors such as
   * Dense.kernelRegularizer (docs/semantics.md rule 10).
   */
  protected weightRegularizer(name: string): Regularizer | undefined {
    const weight = this.#weights.find((w) => w.shortName === name);
    return weight ? weight.regularizer : this.#plannedRegularizers.get(name);
  }
  protected setWeightRegularizer(name: string, id: RegularizerIdentifier | undefined): void {
    const regularizer = getRegularizer(id);
    this.#plannedRegularizers.set(name, regularizer);
    const weight = this.#weights.find((w) => w.shortName === name);
    if (weight) weight.regularizer = regularizer;
  }

  /**
   * Adds an extra loss. A tensor (typically computed in `call` from the inputs) belongs to the
   * current forward pass, like an activity penalty; a function is evaluated whenever the
   * losses are read (a penalty on weights).
   */
  addLoss(loss: Tensor | (() => Tensor)): void {
    if (loss instanceof Tensor)
      this.#callLosses.push({ name: `${this.name}/added`, value: keep(loss) });
    else if (typeof loss === 'function') this.#lazyLosses.push(loss);
    else
      throw new ConfigError(
        `${this.describeSelf()}.addLoss expects a Tensor or a function, received ${describe(loss)}.`,
      );
  }

  /** This layer's own weights (not its sublayers'), in creation order. */
  get ownWeights(): readonly LayerVariable[] {
    return this.#weights;
  }

  /** Every weight of this layer and its sublayers, each once, in order. */
  get weights(): LayerVariable[] {
    const seen = new Set<LayerVariable>();
    for (const layer of this.#allLayers()) for (const w of layer.#weights) seen.add(w);
    return [...seen];
  }

  get trainableWeights(): LayerVariable[] {
    return this.weights.filter((w) => w.trainable);
  }

  get nonTrainableWeights(): LayerVariable[] {
    return this.weights.filter((w) => !w.trainable);
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Copies of the current weight values, in `weights` order. */
  getWeights(): Tensor[] {
    // Tensors are immutable and assign swaps a variable's handle, so sharing it is a snapshot.
    return this.weights.map((w) => new Tensor(w.dataId, w.shape, w.dtype, w.store));
  }

  /** Sets every weight, in `weights` order; shapes must match. */
  setWeights(values: readonly Tensor[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new ShapeError(
        `${this.describeSelf()}.setWeights expected ${weights.length} tensors (${weights.map((w) => w.name).join(', ')}), received ${values.length}.`,
      );
    }
    weights.forEach((w, i) => w.assign(values[i]!));
  }

  // ---------------------------------------------------------------------------------------
  // Losses

  /**
   * The extra losses of the most recent outermost forward pass plus the current weight
   * penalties: every activity penalty (one per call of each layer), every tensor added with
   * addLoss, every weight regularizer of a trainable weight (each variable once, however
   * often it is shared), every addLoss function. Add their sum to the data loss.
   */
  get losses(): Tensor[] {
    return this.lossTerms().map((t) => t.value);
  }

  /** The same losses, each with a name such as 'dense/kernel' or 'dense/activity'. */
  lossTerms(): LossTerm[] {
    const terms: LossTerm[] = [];
    const penalised = new Set<Variable>();
    for (const layer of this.#allLayers()) {
      terms.push(...layer.#callLosses);
      for (const w of layer.#weights) {
        if (!w.regularizer || !w.trainable || penalised.has(w)) continue;
        penalised.add(w);
        terms.push({ name: w.name, value: w.regularizer.apply(w) });
      }
      for (const f of layer.#lazyLosses) terms.push({ name: `${layer.name}/added`, value: f() });
    }
    return terms;
  }

  /**
   * Internal (a training step's scope): the tensors kept from the latest outermost pass, the
   * activity penalties and added losses of this layer and every nested layer.
   */
  callLossTensors(): Tensor[] {
    return this.#allLayers().flatMap((layer) => layer.#callLosses.map((t) => t.value));
  }

  /** This layer and every layer nested in it, each once, depth first. */
  #allLayers(): Layer[] {
    const out: Layer[] = [];
    const seen = new Set<Layer>();
    const stack: Layer[] = [this];
    while (stack.length > 0) {
      const layer = stack.pop()!;
      if (seen.has(layer)) continue;
      seen.add(layer);
      out.push(layer);
      stack.push(...[...layer.sublayers].reverse());
    }
    return out;
  }

  #clearCallLosses(): void {
    for (const layer of this.#allLayers()) layer.#callLosses = [];
  }
}

function isShapeList(s: SymbolicShape | SymbolicShape[]): s is SymbolicShape[] {
  return s.length > 0 && Array.isArray(s[0]);
}
