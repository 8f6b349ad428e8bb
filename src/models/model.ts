import { ConfigError, ShapeError, describe } from '../errors.js';
import { noGrad } from '../autograd/tape.js';
import {
  Layer,
  type CallOptions,
  type LayerInput,
  type LayerOptions,
  type LayerOutput,
} from '../layers/layer.js';
import {
  SymbolicTensor,
  formatSymbolicShape,
  type Node,
  type SymbolicShape,
} from '../layers/symbolic.js';
import type { ConfigDict } from '../serialization.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Logs } from './callback.js';
import type { DataLike } from './data.js';
import { Graph } from './graph.js';
import type { History } from './history.js';
import { summarize, type SummaryOptions } from './summary.js';
import * as training from './training/index.js';
import { checkOptionKeys, optionKeys } from '../validation.js';

export interface ModelOptions {
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  outputs: SymbolicTensor | readonly SymbolicTensor[];
  name?: string;
}
export const MODEL_OPTION_KEYS = optionKeys<ModelOptions>()({
  inputs: true,
  outputs: true,
  name: true,
});

/**
 * A functional model: the layers between `inputs` (from sn.input) and `outputs`. It is a
 * Layer itself, so it can be called inside another model; its `losses` gather every nested
 * layer's activity and weight penalties (each weight once).
 *
 *   const x = sn.input({ shape: [784] });
 *   const code = sn.layers.dense({ units: 32, activation: 'relu' }).apply(x);
 *   const model = sn.model({ inputs: x, outputs: sn.layers.dense({ units: 784 }).apply(code) });
 *
 * A subclass that defines `call` is a subclassed model (Keras 3, PyTorch): the layers it keeps
 * in fields, or in arrays and plain objects held by fields, are its layers (layers/tracking.ts);
 * fit builds it by calling it on the first sample; `trainStep` may be overridden; it saves its
 * weights only (sn.io.saveWeights).
 *
 *   class AE extends sn.Model {
 *     constructor() { super({ name: 'ae' }); this.enc = dense(...); this.dec = dense(...); }
 *     call(x) { return this.dec.apply(this.enc.apply(x)); }
 *   }
 */
export class Model extends Layer {
  static override readonly className: string = 'Functional';
  /** Set by compile: optimizer, losses, metrics and loss weights per output. */
  compiled: training.Compiled | undefined;
  /** Set to true (by a callback) to stop fit after the current batch. */
  stopTraining = false;
  #graph: Graph | undefined;
  #singleInput = true;
  #singleOutput = true;

  /**
   * `options` are a functional model's `{ inputs, outputs, name }`; a subclass that defines
   * its own `call` passes layer options instead: `super({ name: 'autoencoder' })`.
   */
  constructor(options?: ModelOptions | LayerOptions, layerOptions: LayerOptions = {}) {
    const asLayer = subclassOptions(new.target, options);
    super(
      asLayer
        ? { ...layerOptions, ...asLayer }
        : { ...layerOptions, ...(options?.name ? { name: options.name } : {}) },
    );
    if (options && !asLayer) {
      checkOptionKeys(options, 'model()', MODEL_OPTION_KEYS);
      const graph = options as Partial<ModelOptions>;
      if (graph.inputs === undefined || graph.outputs === undefined) {
        // (describe() would print the whole graph, which is circular; the keys say enough.)
        const got =
          typeof options === 'object' && options !== null
            ? `an object with keys ${Object.keys(options).join(', ') || '(none)'}`
            : describe(options);
        throw new ConfigError(
          `model(): expected { inputs, outputs } (SymbolicTensors from sn.input and layer.apply), received ${got}.`,
        );
      }
      this.setGraph(graph.inputs, graph.outputs);
    }
  }

  /** Makes the graph (Sequential calls this once its input is known). */
  protected setGraph(
    inputs: SymbolicTensor | readonly SymbolicTensor[],
    outputs: SymbolicTensor | readonly SymbolicTensor[],
  ): void {
    const ins = Array.isArray(inputs) ? inputs : [inputs];
    const outs = Array.isArray(outputs) ? outputs : [outputs];
    for (const [what, list] of [
      ['inputs', ins],
      ['outputs', outs],
    ] as const) {
      const bad = list.find((x) => !(x instanceof SymbolicTensor));
      if (list.length === 0 || bad !== undefined) {
        throw new ConfigError(
          `${this.describeSelf()}: ${what} must be SymbolicTensors (from sn.input and layer.apply), received ${describe(bad ?? list)}.`,
        );
      }
    }
    this.#graph = new Graph(ins as SymbolicTensor[], outs as SymbolicTensor[], this.describeSelf());
    this.#singleInput = !Array.isArray(inputs);
    this.#singleOutput = !Array.isArray(outputs);
    this.built = true;
  }

  protected get graph(): Graph | undefined {
    return this.#graph;
  }

  get inputs(): readonly SymbolicTensor[] {
    return this.#graph?.inputs ?? [];
  }

  /** The names of the layers that produce the outputs (compile keys losses and metrics by them). */
  get outputNames(): string[] {
    return this.outputs.map((x) => x.node.layer.name);
  }

  get outputs(): readonly SymbolicTensor[] {
    return this.#graph?.outputs ?? [];
  }

  /**
   * The model's layers: a functional model's in execution order (input layers included, as
   * Keras's functional models), then those a subclass keeps in its fields, in field order.
   */
  get layers(): Layer[] {
    return [...this.sublayers];
  }

  override get sublayers(): readonly Layer[] {
    return withFieldLayers(this.#graph?.layers ?? [], this.fieldLayers());
  }

  /**
   * True for a subclass that defines its own `call` (Keras's subclassed model): its
   * computation is code, so it has no graph and no config to save (sn.io.saveWeights).
   */
  get subclassed(): boolean {
    return this.call !== Model.prototype.call;
  }

  call(inputs: LayerInput, options: CallOptions): LayerOutput {
    const graph = this.#graph;
    if (!graph) throw new ConfigError(`${this.describeSelf()} has no layers yet.`);
    const outputs = graph.run(
      Array.isArray(inputs) ? inputs : [inputs as Tensor],
      options,
      this.describeSelf(),
    );
    return this.#singleOutput ? outputs[0]! : outputs;
  }

  /** The outputs' shapes, after checking that the inputs fit (a model used as a layer). */
  override computeOutputShape(
    inputShape: SymbolicShape | SymbolicShape[],
  ): SymbolicShape | SymbolicShape[] {
    if (this.subclassed) {
      throw new ConfigError(
        `${this.describeSelf()} is a subclassed model: its output shape is decided by its call ` +
          'code, which a graph (sn.sequential, sn.model) cannot trace. Fix: define ' +
          'computeOutputShape(inputShape) in its class, or use it from the call of another ' +
          'subclassed model.',
      );
    }
    const given = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as SymbolicShape[];
    if (given.length !== this.inputs.length) {
      throw new ConfigError(
        `${this.describeSelf()} has ${this.inputs.length} input(s), but was applied to ${given.length}.`,
      );
    }
    this.inputs.forEach((x, i) => {
      const got = given[i]!;
      const fits =
        got.length === x.rank &&
        x.shape.every((d, j) => d === null || got[j] === null || got[j] === d);
      if (!fits) {
        throw new ShapeError(
          `${this.describeSelf()} input '${x.node.layer.name}' expects shape ${formatSymbolicShape(x.shape)}, ` +
            `received ${formatSymbolicShape(got)}.`,
        );
      }
    });
    const shapes = this.outputs.map((x) => x.shape);
    return this.#singleOutput ? shapes[0]! : shapes;
  }

  override computeOutputDType(): DType {
    return this.outputs[0]?.dtype ?? this.dtype;
  }

  get singleInput(): boolean {
    return this.#singleInput;
  }

  get singleOutput(): boolean {
    return this.#singleOutput;
  }

  /** The layer with this name (or at this index of `layers`). */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const found =
      typeof nameOrIndex === 'number'
        ? layers[nameOrIndex]
        : layers.find((l) => l.name === nameOrIndex);
    if (!found) {
      throw new ConfigError(
        `${this.describeSelf()} has no layer ${describe(nameOrIndex)}; its layers are ${layers.map((l) => `'${l.name}'`).join(', ')}.`,
      );
    }
    return found;
  }

  /**
   * Every regularization term of the latest forward pass and the current weights, as numbers
   * keyed by name: `{ 'dense/kernel': 0.12, 'dense/activity': 0.4 }` (a layer called twice
   * has its activity terms summed).
   */
  regularizationLosses(): Record<string, number> {
    return noGrad(() => {
      const out: Record<string, number> = {};
      for (const term of this.lossTerms())
        out[term.name] = (out[term.name] ?? 0) + term.value.item();
      return out;
    });
  }

  /**
   * A table of layers, output shapes, parameter counts and each layer's regularizers and
   * constraints. Printed with `printFn` (default console.log) and returned.
   */
  summary(options: SummaryOptions = {}): string {
    return summarize(this, options);
  }

  /** Sets the optimizer, the loss (per output) and the metrics used by fit and evaluate. */
  compile(options: training.CompileOptions): void {
    training.compile(this, options);
  }

  /** Trains for `epochs` epochs; resolves to the History of per-epoch logs. */
  fit(x: DataLike, y: DataLike, options?: training.FitOptions): Promise<History> {
    return training.fit(this, x, y, options);
  }

  /**
   * Trains on a dataset of batches { xs, ys } (sn.data), streamed: as fit, with TF.js's
   * batchesPerEpoch and dataset validation; resolves to the History.
   */
  fitDataset(
    dataset: training.DatasetLike,
    options?: training.FitDatasetOptions,
  ): Promise<History> {
    return training.fitDataset(this, dataset, options);
  }

  /** evaluate over a dataset of batches { xs, ys }. */
  evaluateDataset(
    dataset: training.DatasetLike,
    options?: training.EvaluateDatasetOptions,
  ): Promise<Logs> {
    return training.evaluateDataset(this, dataset, options);
  }

  /** `{ loss, regularization_loss, ...metrics }` on (x, y); loss includes regularization. */
  evaluate(x: DataLike, y: DataLike, options?: training.EvaluateOptions): Logs {
    return training.evaluate(this, x, y, options);
  }

  /** Outputs on x in inference mode, computed in batches. */
  predict(x: DataLike, options?: training.PredictOptions): Tensor | Tensor[] {
    return training.predict(this, x, options);
  }

  /**
   * One training step of `fit` (and `trainOnBatch`) on one batch. Override it to write your
   * own step, as Keras 3's `train_step`, and keep fit's callbacks, progress bar, history and
   * checkpoints. `data` is the batch: `x` as the model takes it (a tensor, or a list for
   * several inputs), `y` (a tensor, or a list for several outputs) and `sampleWeight` when fit
   * has sample or class weights. Return this batch's logs by name, as numbers or one-element
   * tensors; fit reports their mean over the epoch so far, weighted by batch size, as it does
   * its own loss. Tensors made in the step are released at its end.
   *
   * The built-in step computes the compiled loss plus every regularization loss (docs/semantics.md
   * rule 13), differentiates it with respect to the trainable weights, applies the gradients
   * with the compiled optimizer, updates the compiled metrics and returns
   * `{ loss, regularization_loss }`. A custom step does the same with sn.valueAndGrads and
   * `this.optimizer` (the compiled metrics are updated only by `super.trainStep(data)`):
   *
   *   override trainStep({ x, y }) {
   *     const { value, grads } = sn.valueAndGrads(() => {
   *       const mse = sn.mean(sn.square(sn.sub(this.apply(x, { training: true }), y)));
   *       return sn.addN([mse, ...this.losses]);
   *     }, this.trainableWeights);
   *     this.optimizer.applyGradients(grads);
   *     return { loss: value };
   *   }
   */
  trainStep(data: training.TrainStepData): training.TrainStepLogs {
    return training.defaultTrainStep(this, data);
  }

  /** The optimizer set by compile. */
  get optimizer(): Optimizer {
    return training.compiledOf(this, 'optimizer').optimizer;
  }

  /** One optimizer step on this batch; returns its logs. */
  trainOnBatch(x: DataLike, y: DataLike, options?: training.TrainOnBatchOptions): Logs {
    return training.trainOnBatch(this, x, y, options);
  }

  /** The logs of this batch, without training. */
  testOnBatch(x: DataLike, y: DataLike, options?: training.EvaluateOptions): Logs {
    return training.testOnBatch(this, x, y, options);
  }

  override getConfig(): ConfigDict {
    throw new ConfigError(
      `${this.describeSelf()}: a model's config is written by sn.io.save(model, dir) or sn.io.toMemory(model), which also write its weights.`,
    );
  }

  /** Nodes of this model's graph in execution order (for summary and io/). */
  get nodes(): readonly Node[] {
    return this.#graph?.nodes ?? [];
  }
}

/** The layer options of a subclass with its own call given no inputs or outputs, if so. */
function subclassOptions(
  target: abstract new (...args: never[]) => Model,
  options: ModelOptions | LayerOptions | undefined,
): LayerOptions | undefined {
  const ownCall = (target.prototype as Model).call !== Model.prototype.call;
  if (!ownCall || typeof options !== 'object' || options === null) return undefined;
  return 'inputs' in options || 'outputs' in options ? undefined : options;
}

/** `own` (a graph's or stack's layers), then the field layers not among them. */
export function withFieldLayers(own: readonly Layer[], fields: readonly Layer[]): readonly Layer[] {
  if (fields.length === 0) return own;
  return [...own, ...fields.filter((l) => !own.includes(l))];
}

/** A functional model from `{ inputs, outputs }`. */
export function model(options: ModelOptions): Model {
  return new Model(options);
}
