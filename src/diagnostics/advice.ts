import { checkOptionKeys, optionKeys } from '../validation.js';
import type { Advice, LayerRecord, MonitorLog, MonitorRecord } from './types.js';

/**
 * Advice from a monitor log: five rules, each firing with the numbers that triggered it.
 * The thresholds are explicit (ADVICE_THRESHOLDS) and can be changed per call. Rules read the
 * LAST record unless stated otherwise.
 *
 * - 'activity-regularizer': a layer with a saturating activation (sigmoid, hard_sigmoid,
 *   tanh) whose kernel (or that of the layer feeding it) is small (max |w| < smallWeight) but
 *   whose outputs are saturated (saturation > saturation), and which has no activity
 *   regularizer yet: the inputs are large, only a penalty on the output sees it.
 * - 'kernel-regularizer': a kernel's L2 norm grew by more than weightGrowth (relative) from the
 *   middle record to the last, while the generalization gap (val_loss − loss) widened by more
 *   than gapWidening × val_loss between the middle epoch and the last (needs history with
 *   loss and val_loss over ≥ 2 epochs, and ≥ 2 records).
 * - 'dead-relu': more than deadFraction of a relu layer's units are ≤ 0 on every probe sample
 *   (for a conv layer's 4-D output the unit is a channel, ≤ 0 at every position too).
 * - 'kl-sparsity-target': a layer with a klSparsity activity regularizer whose mean ρ̂ (mean
 *   of unitMeans) is more than klRatio times its rho, or less than rho / klRatio.
 * - 'regularization-dominates': one regularization term is more than regularizationRatio
 *   times the data loss.
 * - 'recurrent-gates': the recurrent analogue of 'activity-regularizer': an LSTM whose kernel
 *   and recurrent kernel are both small (max |w| < smallWeight) but more than `saturation` of
 *   its gate outputs are saturated (LayerRecord.gateSaturation.all): the inputs are large.
 */

export interface AdviceThresholds {
  /** A kernel is small when its largest |w| is below this (0.5). */
  smallWeight: number;
  /** Outputs count as saturated above this fraction (0.5). */
  saturation: number;
  /** Relative growth of a kernel's L2 norm over the last half of the records (0.2 = 20%). */
  weightGrowth: number;
  /** Widening of (val_loss − loss) over the last half of the epochs, relative to val_loss (0.1). */
  gapWidening: number;
  /** Fraction of dead relu units (0.5). */
  deadFraction: number;
  /** Factor between mean ρ̂ and klSparsity's rho (2). */
  klRatio: number;
  /** Factor between a regularization term and the data loss (10). */
  regularizationRatio: number;
}

export const ADVICE_THRESHOLDS: Readonly<AdviceThresholds> = Object.freeze({
  smallWeight: 0.5,
  saturation: 0.5,
  weightGrowth: 0.2,
  gapWidening: 0.1,
  deadFraction: 0.5,
  klRatio: 2,
  regularizationRatio: 10,
});

export interface AdviseOptions {
  thresholds?: Partial<AdviceThresholds>;
}
const ADVISE_OPTION_KEYS = optionKeys<AdviseOptions>()({ thresholds: true });

type History = Readonly<Record<string, readonly (number | null)[]>>;

/**
 * The advice for a monitor log (and fit's per-epoch history, default `log.history`), in rule
 * order. An empty list means no rule fired.
 */
export function advise(
  log: MonitorLog,
  history: History | undefined = log.history,
  options: AdviseOptions = {},
): Advice[] {
  const o = checkOptionKeys(options, 'advise', ADVISE_OPTION_KEYS);
  const t: AdviceThresholds = {
    ...ADVICE_THRESHOLDS,
    ...(o.thresholds as Partial<AdviceThresholds> | undefined),
  };
  const last = log.records.at(-1);
  if (last === undefined) return [];
  return [
    ...activityRule(last, t),
    ...kernelRule(log.records, history, t),
    ...deadReluRule(last, t),
    ...klRule(last, t),
    ...dominatesRule(last, t),
    ...gateRule(last, t),
  ];
}

const fmt = (x: number): string => String(Number(x.toPrecision(3)));
const pct = (x: number): string => `${fmt(100 * x)}%`;

function kernelOf(layer: LayerRecord): LayerRecord['weights'][number] | undefined {
  return layer.weights.find((w) => w.name === 'kernel' || w.name.endsWith('/kernel'));
}

function activityRule(record: MonitorRecord, t: AdviceThresholds): Advice[] {
  const out: Advice[] = [];
  record.layers.forEach((layer, i) => {
    // An Activation layer has no kernel: the small weights are those of the layer feeding it.
    const source = kernelOf(layer)
      ? layer
      : record.layers
          .slice(0, i)
          .reverse()
          .find((l) => kernelOf(l));
    const kernel = source && kernelOf(source);
    if (layer.saturation === undefined || kernel === undefined) return;
    // A layer that already has an activity penalty may saturate on purpose (an L1 penalty
    // pushes a sparse sigmoid code to 0): the advice is for layers without one.
    if (layer.activityRegularizer || source!.activityRegularizer) return;
    const { min, max } = kernel.stats;
    if (min === null || max === null) return;
    const maxAbsWeight = Math.max(Math.abs(min), Math.abs(max));
    if (maxAbsWeight < t.smallWeight && layer.saturation > t.saturation) {
      const whose =
        source === layer ? 'its weights are' : `the weights of '${source!.name}' feeding it are`;
      out.push({
        rule: 'activity-regularizer',
        layer: layer.name,
        message:
          `Layer '${layer.name}': ${whose} small (max |w| = ${fmt(maxAbsWeight)}) but ${pct(layer.saturation)} of its ` +
          `${layer.activation ?? ''} outputs are saturated, so the pre-activations are large. A kernel regularizer cannot see ` +
          `this; add an activity regularizer on the pre-activation (the output of a linear layer before the ` +
          `${layer.activation ?? 'activation'}, e.g. activityRegularizer: sn.regularizers.l2(1e-4)) or rescale the inputs.`,
        numbers: { maxAbsWeight, saturation: layer.saturation },
      });
    }
  });
  return out;
}

function kernelRule(
  records: readonly MonitorRecord[],
  history: History | undefined,
  t: AdviceThresholds,
): Advice[] {
  const loss = history?.loss;
  const val = history?.val_loss;
  if (!loss || !val || records.length < 2) return [];
  const epochs = Math.min(loss.length, val.length);
  if (epochs < 2) return [];
  const midEpoch = Math.floor((epochs - 1) / 2);
  const [l0, v0, l1, v1] = [loss[midEpoch], val[midEpoch], loss[epochs - 1], val[epochs - 1]];
  if (l0 == null || v0 == null || l1 == null || v1 == null) return [];
  const gapBefore = v0 - l0;
  const gapAfter = v1 - l1;
  const widening = gapAfter - gapBefore;
  if (!(gapAfter > 0 && widening > t.gapWidening * Math.abs(v0))) return [];
  const mid = records[Math.floor((records.length - 1) / 2)]!;
  const end = records[records.length - 1]!;
  const out: Advice[] = [];
  for (const layer of end.layers) {
    const kernel = kernelOf(layer);
    const before = mid.layers.find((l) => l.name === layer.name);
    const normBefore = before && kernelOf(before)?.stats.l2;
    const normAfter = kernel?.stats.l2;
    if (normBefore == null || normAfter == null || !(normBefore > 0)) continue;
    const growth = normAfter / normBefore - 1;
    if (growth > t.weightGrowth) {
      const has = kernel?.regularizer !== undefined;
      out.push({
        rule: 'kernel-regularizer',
        layer: layer.name,
        message:
          `Layer '${layer.name}': the kernel's L2 norm grew by ${pct(growth)} (${fmt(normBefore)} → ${fmt(normAfter)}) ` +
          `over the last half of training while the gap val_loss − loss widened from ${fmt(gapBefore)} to ${fmt(gapAfter)}: ` +
          `the model is overfitting with growing weights. ${has ? 'Strengthen its kernel regularizer' : 'Add a kernel regularizer'} ` +
          `(e.g. kernelRegularizer: sn.regularizers.l2(1e-4)).`,
        numbers: { growth, normBefore, normAfter, gapBefore, gapAfter },
      });
    }
  }
  return out;
}

function deadReluRule(record: MonitorRecord, t: AdviceThresholds): Advice[] {
  const out: Advice[] = [];
  for (const layer of record.layers) {
    const dead = layer.deadFraction;
    if (dead === undefined || !(dead > t.deadFraction)) continue;
    const units = layer.channels?.count ?? layer.unitMeans?.length ?? 0;
    // A conv layer's unit is a channel: dead when 0 at every position of every sample.
    const what = layer.channels
      ? ['channels', 'at every position of every probe sample']
      : ['units', 'for every probe sample'];
    out.push({
      rule: 'dead-relu',
      layer: layer.name,
      message:
        `Layer '${layer.name}': ${pct(dead)} of its ${layer.activation ?? 'relu'} ${what[0]} (${Math.round(dead * units)} of ${units}) ` +
        `output 0 ${what[1]} and get no gradient. Lower the learning rate, use heNormal initialization, ` +
        `a leakyRelu or elu activation, or a weaker L1 penalty.`,
      numbers: { deadFraction: dead, deadUnits: Math.round(dead * units), units },
    });
  }
  return out;
}

function klRule(record: MonitorRecord, t: AdviceThresholds): Advice[] {
  const out: Advice[] = [];
  for (const layer of record.layers) {
    const reg = layer.activityRegularizer;
    const rho = reg?.config.rho;
    if (reg?.className !== 'KLSparsity' || typeof rho !== 'number' || !layer.unitMeans) continue;
    const means = layer.unitMeans.filter((m): m is number => m !== null);
    if (means.length === 0) continue;
    const meanRhoHat = means.reduce((a, b) => a + b, 0) / means.length;
    const ratio = meanRhoHat / rho;
    if (ratio > t.klRatio || ratio < 1 / t.klRatio) {
      const high = ratio > 1;
      const beta = reg.config.beta;
      out.push({
        rule: 'kl-sparsity-target',
        layer: layer.name,
        message:
          `Layer '${layer.name}': klSparsity targets rho = ${fmt(rho)} but the mean activation ρ̂ is ${fmt(meanRhoHat)} ` +
          `(${fmt(ratio)}× the target). ` +
          (high
            ? 'Increase beta, or train longer; KL sparsity expects a sigmoid code (values in (0, 1)).'
            : 'Decrease beta: the penalty pushes the code below its target.'),
        numbers: { rho, meanRhoHat, ratio, ...(typeof beta === 'number' ? { beta } : {}) },
      });
    }
  }
  return out;
}

function dominatesRule(record: MonitorRecord, t: AdviceThresholds): Advice[] {
  const data = record.loss.data;
  if (data === null || data === 0) return [];
  const out: Advice[] = [];
  for (const [term, value] of Object.entries(record.loss.terms)) {
    if (value === null) continue;
    const ratio = value / Math.abs(data);
    if (ratio > t.regularizationRatio) {
      out.push({
        rule: 'regularization-dominates',
        layer: term.split('/')[0]!,
        message:
          `The regularization term '${term}' = ${fmt(value)} is ${fmt(ratio)}× the data loss (${fmt(data)}): ` +
          `training mostly shrinks the penalty instead of fitting the data. Lower its coefficient (e.g. 10× smaller).`,
        numbers: { term: value, dataLoss: data, ratio },
      });
    }
  }
  return out;
}

/** The advice as plain text for the terminal (empty string for no advice). */
export function formatAdvice(advice: readonly Advice[]): string {
  if (advice.length === 0) return '';
  const lines = [`Advice (${advice.length}):`];
  for (const a of advice) {
    lines.push(`- [${a.rule}] ${a.message}`);
    const numbers = Object.entries(a.numbers).map(([k, v]) => `${k} = ${fmt(v)}`);
    if (numbers.length > 0) lines.push(`    ${numbers.join(', ')}`);
  }
  return lines.join('\n');
}

function gateRule(record: MonitorRecord, t: AdviceThresholds): Advice[] {
  const out: Advice[] = [];
  for (const layer of record.layers) {
    const gates = layer.gateSaturation;
    const kernel = kernelOf(layer);
    const recurrent = layer.weights.find((w) => w.name.endsWith('recurrent_kernel'));
    if (gates === undefined || kernel === undefined || recurrent === undefined) continue;
    const maxAbs = (w: typeof kernel): number | null =>
      w.stats.min === null || w.stats.max === null
        ? null
        : Math.max(Math.abs(w.stats.min), Math.abs(w.stats.max));
    const k = maxAbs(kernel);
    const r = maxAbs(recurrent);
    if (k === null || r === null) continue;
    if (k < t.smallWeight && r < t.smallWeight && gates.all > t.saturation) {
      out.push({
        rule: 'recurrent-gates',
        layer: layer.name,
        message:
          `Layer '${layer.name}': its kernel and recurrent kernel are small (max |w| = ${fmt(k)} and ${fmt(r)}) but ` +
          `${pct(gates.all)} of its gate outputs are saturated (input ${pct(gates.input)}, forget ${pct(gates.forget)}, ` +
          `candidate ${pct(gates.candidate)}, output ${pct(gates.output)}), so the inputs are large and the gradient ` +
          `through time vanishes. Kernel and recurrent regularizers cannot see this; rescale the inputs or put an ` +
          `activity regularizer on the layer feeding it (e.g. activityRegularizer: sn.regularizers.l2(1e-4)).`,
        numbers: { maxAbsKernel: k, maxAbsRecurrentKernel: r, gateSaturation: gates.all },
      });
    }
  }
  return out;
}
