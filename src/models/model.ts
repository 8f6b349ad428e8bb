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

  constructor(options?: ModelOptions, layerOptions: LayerOptions = {}) {
    super({ ...layerOptions, ...(options?.name ? { name: options.name } : {}) });
    if (options) {
      checkOptionKeys(options, 'model()', MODEL_OPTION_KEYS);
      if (options.inputs === undefined || options.outputs === undefined) {
        // (describe() would print the whole graph, which is circular; the keys say enough.)
        const got =
          typeof options === 'object' && options !== null
            ? `an object with keys ${Object.keys(options).join(', ') || '(none)'}`
            : describe(options);
        throw new ConfigError(
          `model(): expected { inputs, outputs } (SymbolicTensors from sn.input and layer.apply), received ${got}.`,
        );
      }
      this.setGraph(options.inputs, options.outputs);
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

  /** The model's layers in execution order (input layers included, as Keras's functional models). */
  get layers(): Layer[] {
    return [...(this.#graph?.layers ?? [])];
  }

  override get sublayers(): readonly Layer[] {
    return this.#graph?.layers ?? [];
  }

  override get trainable(): boolean {
    return super.trainable;
  }
  /** Freezing a model freezes every layer in it (as Keras). */
  override set trainable(value: boolean) {
    super.trainable = value;
    for (const layer of this.sublayers) layer.trainable = value;
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

  /** `{ loss, regularization_loss, ...metrics }` on (x, y); loss includes regularization. */
  evaluate(x: DataLike, y: DataLike, options?: training.EvaluateOptions): Logs {
    return training.evaluate(this, x, y, options);
  }

  /** Outputs on x in inference mode, computed in batches. */
  predict(x: DataLike, options?: training.PredictOptions): Tensor | Tensor[] {
    return training.predict(this, x, options);
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

/** A functional model from `{ inputs, outputs }`. */
export function model(options: ModelOptions): Model {
  return new Model(options);
}
