import { Activation, activationName } from '../activations/index.js';
import { valueAndGrads, type Gradients } from '../autograd/gradients.js';
import { noGrad } from '../autograd/tape.js';
import type { Layer, LayerVariable } from '../layers/layer.js';
import { RNN } from '../layers/recurrent/rnn.js';
import { withTap, type LayerTap } from '../layers/taps.js';
import { computeLoss } from '../losses/compute.js';
import type { Model } from '../models/model.js';
import { add, addN, mul } from '../ops/index.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { scalar } from '../tensor/creation.js';
import { withScope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { lstmGateSaturation } from './recurrent.js';
import {
  RELU_LIKE,
  activeFraction,
  channelStats,
  deadUnitFraction,
  finiteOrNull,
  l2Norm,
  saturationFraction,
  tensorStats,
  unitMeans,
} from './stats.js';
import type {
  ChannelRecord,
  LayerRecord,
  MonitorRecord,
  RegularizerInfo,
  WeightRecord,
} from './types.js';

/**
 * One monitor record: a single forward pass of the model on the probe batch in inference mode
 * (so dropout and noise draw no random numbers and batch normalization updates nothing),
 * watched by a layer tap. When the model is compiled and targets are known, the pass runs
 * under valueAndGrads over the compiled loss (data + every regularization term, the formula
 * of fit and evaluate) to get each trainable weight's gradient norm; otherwise under noGrad.
 * Nothing is written to any weight or optimizer.
 */

/** Weight values at the previous record, for update ratios. */
export type Snapshots = Map<LayerVariable, Float64Array>;

export interface RecordInput {
  model: Model;
  /** One tensor per model input. */
  xs: readonly Tensor[];
  /** One target per model output, or undefined (no data loss, no gradients). */
  ys: readonly Tensor[] | undefined;
  bins: number;
  epoch: number;
  step: number;
  /** Read for update ratios and replaced by the current values. */
  snapshots: Snapshots;
}

interface Captured {
  pre: Tensor | undefined;
  out: Tensor;
  input: Tensor | undefined;
}

/** Plain numbers leave a record: every tensor made for it is released at its end. */
export function takeRecord(input: RecordInput): MonitorRecord {
  return withScope(
    'a monitor record',
    () => record(input),
    () => () => false,
  );
}

function record(input: RecordInput): MonitorRecord {
  const { model, xs, ys, bins } = input;
  const captured = new Map<Layer, Captured>();
  const pending = new Map<Layer, Tensor>();
  const tap: LayerTap = {
    onPreActivation(layer, pre) {
      if (!captured.has(layer) && !pending.has(layer)) pending.set(layer, pre);
    },
    onOutput(layer, inputs, outputs) {
      // The model reports itself too; a layer called twice is recorded on its first call.
      if (layer === model || captured.has(layer) || outputs[0] === undefined) return;
      captured.set(layer, { pre: pending.get(layer), out: outputs[0], input: inputs[0] });
    },
  };
  const compiled = model.compiled;
  let data: Tensor | undefined;
  let regularization: Tensor | undefined;
  const terms: Record<string, number | null> = {};
  const forward = (): Tensor => {
    const out = withTap(tap, () =>
      model.apply(model.singleInput ? xs[0]! : [...xs], { training: false }),
    );
    const predictions = Array.isArray(out) ? out : [out];
    if (compiled && ys) {
      data = addN(
        predictions.map((p, i) => {
          const l = computeLoss(compiled.losses[i]!, ys[i]!, p);
          const w = compiled.lossWeights[i] ?? 1;
          return w === 1 ? l : mul(l, w);
        }),
      );
    }
    const lossTerms = model.lossTerms();
    for (const t of lossTerms) terms[t.name] = (terms[t.name] ?? 0) + t.value.item();
    regularization = lossTerms.length > 0 ? addN(lossTerms.map((t) => t.value)) : scalar(0);
    return data ? add(data, regularization) : regularization;
  };
  const trainable = model.trainableWeights;
  let grads: Gradients | undefined;
  let total: number;
  if (compiled && ys && trainable.length > 0) {
    const result = valueAndGrads(forward, trainable);
    grads = result.grads;
    total = result.value.item();
  } else {
    total = noGrad(forward).item();
  }
  for (const [k, v] of Object.entries(terms)) terms[k] = finiteOrNull(v ?? NaN);

  const layers = noGrad(() =>
    [...captured].map(([layer, c]) => layerRecord(layer, c, grads, input.snapshots, bins)),
  );
  const dataValue = data === undefined ? null : finiteOrNull((data as Tensor).item());
  return {
    epoch: input.epoch,
    step: input.step,
    loss: {
      total: dataValue === null ? null : finiteOrNull(total),
      data: dataValue,
      regularization:
        regularization === undefined ? null : finiteOrNull((regularization as Tensor).item()),
      terms,
    },
    layers,
  };
}

function layerRecord(
  layer: Layer,
  c: Captured,
  grads: Gradients | undefined,
  snapshots: Snapshots,
  bins: number,
): LayerRecord {
  const record: LayerRecord = {
    name: layer.name,
    className: layer.className,
    // A recurrent layer's weights live in its cell: kernel and recurrent kernel side by side.
    weights: (layer instanceof RNN ? layer.weights : layer.ownWeights).map((w) =>
      weightRecord(w, grads, snapshots, bins),
    ),
    output: tensorStats(c.out, { bins }),
  };
  const act = (layer as { activation?: unknown }).activation;
  const activation = act instanceof Activation ? activationName(act) : undefined;
  if (activation !== undefined) record.activation = activation;
  if (layer.activityRegularizer)
    record.activityRegularizer = regularizerInfo(layer.activityRegularizer);
  if (c.pre) record.preActivation = tensorStats(c.pre, { bins });
  if (activation !== undefined) {
    const saturation = saturationFraction(c.out, activation);
    if (saturation !== undefined) record.saturation = saturation;
    if (RELU_LIKE.includes(activation) && c.out.rank >= 1) {
      record.deadFraction = deadUnitFraction(c.out);
    }
  }
  const gates = lstmGateSaturation(layer, c.input);
  if (gates !== undefined) record.gateSaturation = gates;
  if ((activation !== undefined || layer.activityRegularizer) && c.out.rank >= 1) {
    record.activeFraction = activeFraction(c.out);
    record.unitMeans = unitMeans(c.out).map(finiteOrNull);
  }
  if (c.out.rank === 4) record.channels = channelRecord(c.out, activation);
  return record;
}

/** The per-channel view of a feature map [batch, h, w, channels]. */
function channelRecord(out: Tensor, activation: string | undefined): ChannelRecord {
  const s = channelStats(out, activation);
  const n = s.activePerSample.length;
  const record: ChannelRecord = {
    count: s.channels,
    activePerSample: s.activePerSample,
    meanActive: n > 0 ? s.activePerSample.reduce((a, b) => a + b, 0) / n : 0,
  };
  if (activation !== undefined && RELU_LIKE.includes(activation)) {
    record.dead = s.dead.filter(Boolean).length;
  }
  if (s.saturation) {
    record.saturation = s.saturation;
    record.saturated = s.saturation.filter((x) => x > 0.5).length;
  }
  return record;
}

function weightRecord(
  w: LayerVariable,
  grads: Gradients | undefined,
  snapshots: Snapshots,
  bins: number,
): WeightRecord {
  const values = Float64Array.from(w.dataSync());
  const previous = snapshots.get(w);
  let updateRatio: number | null = null;
  if (previous !== undefined && previous.length === values.length) {
    const diff = values.map((v, i) => v - previous[i]!);
    const norm = l2Norm(previous);
    updateRatio = norm > 0 ? finiteOrNull(l2Norm(diff) / norm) : null;
  }
  snapshots.set(w, values);
  const g = grads?.has(w) ? grads.get(w) : undefined;
  const record: WeightRecord = {
    name: w.name,
    shape: [...w.shape],
    stats: tensorStats(values, { bins }),
    gradNorm: g === undefined ? null : finiteOrNull(l2Norm(g)),
    updateRatio,
  };
  if (w.regularizer) record.regularizer = regularizerInfo(w.regularizer);
  return record;
}

/** A regularizer's class name and config as JSON ({} for a plain function or an unserializable config). */
function regularizerInfo(r: Regularizer): RegularizerInfo {
  const className = (r.constructor as { className?: string }).className ?? r.constructor.name;
  let config: Record<string, unknown> = {};
  try {
    config = JSON.parse(JSON.stringify(r.getConfig())) as Record<string, unknown>;
  } catch {
    // A custom function has no config; the class name says what it is.
  }
  return { className, config };
}
