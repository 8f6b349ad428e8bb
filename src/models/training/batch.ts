import { Gradients, valueAndGrads } from '../../autograd/gradients.js';
import { noGrad } from '../../autograd/tape.js';
import { ConfigError } from '../../errors.js';
import { LayerVariable } from '../../layers/layer.js';
import { computeLoss } from '../../losses/compute.js';
import type { Metric } from '../../metrics/metric.js';
import { add, addN, argMax, cast, div, mul, reshape, sum } from '../../ops/index.js';
import { activeTap } from '../../layers/taps.js';
import { scalar, tensor, zerosLike } from '../../tensor/creation.js';
import { withScope } from '../../tensor/scope.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import type { Logs } from '../callback.js';
import type { TrainingState } from '../checkpoint/state.js';
import { toTensorList, type DataLike } from '../data.js';
import { outputMaskOf } from '../graph.js';
import type { Model } from '../model.js';
import { setOwn } from '../../validation.js';
import type { Compiled } from './compile.js';

/** One batch: its loss (rule 13), one training step, and the running means of the logs. */

export interface StepResult {
  total: number;
  regularization: number;
  outputLosses: number[];
  predictions: Tensor[];
}

/**
 * What model.apply takes for these per-input tensors (an extra tensor is an error; a
 * subclassed model, whose call decides, gets a list when given several).
 */
export function modelInput(model: Model, xs: readonly Tensor[]): Tensor | Tensor[] {
  if (!model.singleInput || (model.subclassed && xs.length > 1)) return [...xs];
  if (xs.length !== 1) {
    throw new ConfigError(
      `${model.describeSelf()} has 1 input but x is a list of ${xs.length} tensors; pass one tensor.`,
    );
  }
  return xs[0]!;
}

/**
 * The loss of one batch, as a scalar tensor, plus its parts as numbers. Runs the model in
 * training or inference mode; called inside valueAndGrads for training.
 */
export function batchLoss(
  model: Model,
  compiled: Compiled,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  sampleWeight: Tensor | undefined,
  training: boolean,
): { loss: Tensor; parts: () => StepResult } {
  const out = model.apply(modelInput(model, xs), { training });
  const predictions = Array.isArray(out) ? out : [out];
  if (predictions.length > compiled.losses.length) {
    throw new ConfigError(
      `${model.describeSelf()} returned ${predictions.length} outputs, but compile resolved a loss for ${compiled.losses.length}. ` +
        'Fix: a subclassed model with several outputs needs its own trainStep (compile sees no graph to name them), or return one tensor from call.',
    );
  }
  if (ys.length !== predictions.length) {
    throw new ConfigError(
      `${model.describeSelf()} has ${predictions.length} output(s) (${compiled.outputNames.join(', ')}) but ${ys.length} target tensor(s) were given.`,
    );
  }
  const outputLosses = predictions.map((p, i) =>
    computeLoss(compiled.losses[i]!, ys[i]!, p, maskedWeight(outputMaskOf(p), p, sampleWeight)),
  );
  const data = addN(
    outputLosses.map((l, i) =>
      compiled.lossWeights[i] === 1 ? l : mul(l, compiled.lossWeights[i]!),
    ),
  );
  const penalties = model.losses;
  const regularization = penalties.length > 0 ? addN(penalties) : scalar(0);
  const loss = add(data, regularization);
  return {
    loss,
    parts: () => ({
      total: loss.item(),
      regularization: regularization.item(),
      outputLosses: outputLosses.map((l) => l.item()),
      predictions,
    }),
  };
}

/**
 * Keras 3's loss masking: when an output carries a mask (a sequence after embedding({
 * maskZero }) or masking()) of the per-step losses' shape [batch, steps], masked steps weigh
 * 0 and the others total/(valid + 1e-7), so the mean is taken over the valid steps only
 * (keras/src/losses/loss.py apply_mask). The sample weight, if any, multiplies in.
 */
function maskedWeight(
  mask: Tensor | undefined,
  prediction: Tensor,
  sampleWeight: Tensor | undefined,
): Tensor | undefined {
  if (!mask || prediction.rank !== mask.rank + 1) return sampleWeight;
  const m = cast(mask, prediction.dtype === 'float64' ? 'float64' : 'float32');
  // The valid-step count stays a tensor: no sync read per step.
  const scaled = mul(m, div(mask.size, add(sum(m), 1e-7)));
  if (!sampleWeight) return scaled;
  const sw = sampleWeight.rank === 0 ? sampleWeight : reshape(sampleWeight, [mask.shape[0]!, 1]);
  return mul(scaled, cast(sw, scaled.dtype));
}

/** Running means of the per-batch numbers, weighted by batch size (as Keras's loss tracker). */
export class Tracker {
  #sums = new Map<string, number>();
  #count = 0;
  add(values: Record<string, number>, n: number): void {
    for (const [k, v] of Object.entries(values))
      this.#sums.set(k, (this.#sums.get(k) ?? 0) + v * n);
    this.#count += n;
  }
  means(): Logs {
    const out: Logs = {};
    for (const [k, v] of this.#sums) out[k] = this.#count === 0 ? Number.NaN : v / this.#count;
    return out;
  }
  getState(): TrainingState['tracker'] {
    return { sums: Object.fromEntries(this.#sums), count: this.#count };
  }
  setState(state: TrainingState['tracker']): void {
    this.#sums = new Map(Object.entries(state.sums));
    this.#count = state.count;
  }
}

export function stepLogs(result: StepResult, compiled: Compiled): Record<string, number> {
  const logs: Record<string, number> = {
    loss: result.total,
    regularization_loss: result.regularization,
  };
  if (compiled.outputNames.length > 1) {
    result.outputLosses.forEach((l, i) => (logs[`${compiled.outputNames[i]}_loss`] = l));
  }
  return logs;
}

/** Per-sample weights from sampleWeight and classWeight (multiplied), or undefined. */
export function sampleWeights(
  ys: readonly Tensor[],
  sampleWeight: DataLike | undefined,
  classWeight: Readonly<Record<number, number>> | undefined,
  count: number,
): Tensor | undefined {
  let weights: Tensor | undefined;
  if (sampleWeight !== undefined) {
    weights = cast(toTensorList(sampleWeight, 'sampleWeight')[0]!, 'float32');
    if (weights.rank !== 1 || weights.shape[0] !== count) {
      throw new ConfigError(
        `sampleWeight must have shape [${count}] (one weight per sample), received shape [${weights.shape.join(', ')}].`,
      );
    }
  }
  if (classWeight !== undefined) {
    const y = ys[0]!;
    const classes =
      y.rank > 1 && y.shape[y.rank - 1]! > 1 ? argMax(y, -1) : cast(reshape(y, [count]), 'int32');
    const labels = Array.from(classes.dataSync());
    const values = labels.map((c) => {
      const w = classWeight[c];
      if (w === undefined) {
        throw new ConfigError(
          `classWeight has no entry for class ${c}; give a weight for every class in y (received keys ${Object.keys(classWeight).join(', ')}).`,
        );
      }
      return w;
    });
    const cw = tensor(values);
    weights = weights ? mul(weights, cw) : cw;
  }
  return weights;
}

export function metricResults(metrics: readonly { metric: Metric; name: string }[]): Logs {
  const out: Logs = {};
  for (const m of metrics) setOwn(out, m.name, m.metric.result());
  return out;
}

/**
 * Runs `fn`, a training step that returns only numbers (fit also makes the batch inside it),
 * and releases the tensors it made but the model's state. With a layer tap active
 * (diagnostics reading outputs) nothing is released.
 */
export function stepScope<T>(compiled: Compiled, fn: () => T): T {
  // With a tap, everything is kept; the scope still stops valueAndGrads inside from releasing.
  if (activeTap()) return withScope('a training step', fn, () => () => true);
  // Variables and layers' call losses are kept by their own mark (sn.keep); the optimizer
  // releases the slots it replaced (Optimizer.applyGradients).
  const optimizer = compiled.optimizer;
  return withScope('a training step', fn, () => {
    const keep = new Set<Tensor>(optimizer.slotTensors());
    return (t) => keep.has(t);
  });
}

/**
 * The built-in training step. Only numbers leave it, plus the state it changes: the
 * variables' new values, the optimizer's slots, and the layers' call losses (read through
 * model.losses until the next pass). Run it in a step scope (stepScope): every other tensor
 * made during the step is released at its end (tensor/scope.ts), so a backend with its own
 * memory reuses it at once instead of waiting for the garbage collector.
 */
export function trainStep(
  model: Model,
  compiled: Compiled,
  xs: readonly Tensor[],
  ys: readonly Tensor[],
  sw: Tensor | undefined,
  metrics: readonly { output: number; metric: Metric }[],
): StepResult {
  let parts: (() => StepResult) | undefined;
  // Every trainable variable the step reads is differentiated: the model's weights are read
  // after the forward pass (a subclassed model's layers make theirs on their first call), and
  // any other is an error (modelGradients).
  const { grads } = valueAndGrads(() => {
    const step = batchLoss(model, compiled, xs, ys, sw, true);
    parts = step.parts;
    return step.loss;
  });
  compiled.optimizer.applyGradients(modelGradients(model, grads));
  const result = parts!();
  noGrad(() => {
    for (const m of metrics) m.metric.update(ys[m.output]!, result.predictions[m.output]!, sw);
  });
  // The predictions are released with the step: they do not leave it.
  return { ...result, predictions: [] };
}

/**
 * The gradients to apply: one per trainable weight of the model, in `trainableWeights` order
 * (zeros for one the step did not read). A trainable variable the step read that is not a
 * weight of the model would never be trained, saved or penalised: that is an error naming it
 * (a layer kept where sinew does not look, a variable made in `call`).
 */
export function modelGradients(model: Model, grads: Gradients): Gradients {
  const weights = model.trainableWeights;
  const known = new Set<Variable>(weights);
  const strays = [...grads.keys()].filter((v) => !known.has(v));
  if (strays.length > 0) {
    const names = strays
      .map((v) =>
        v instanceof LayerVariable
          ? `'${v.name}' (a weight of ${v.layer.describeSelf()})`
          : `'${v.name}'`,
      )
      .join(', ');
    throw new ConfigError(
      `${model.describeSelf()}: the training step read trainable variable(s) ${names} that ` +
        'are not among the weights of the model, so fit would never train, save or penalise ' +
        'them. Fix: keep layers in fields of the model, or in arrays or plain objects held by ' +
        'its fields (not in a Map, a Set or a local variable); make variables in build() with ' +
        'this.addWeight(...), not in call(); give a variable meant to stay fixed trainable: false.',
    );
  }
  const out = new Gradients();
  for (const v of weights) out.set(v, grads.has(v) ? grads.get(v) : zerosLike(v));
  return out;
}
