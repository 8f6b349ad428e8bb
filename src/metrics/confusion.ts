import { ConfigError, describe } from '../errors.js';
import { EPSILON, alignTargets } from '../losses/loss.js';
import { noGrad } from '../autograd/tape.js';
import type { ConfigDict, JsonValue } from '../serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { METRIC_OPTION_KEY_SET, Metric, sampleWeights, type MetricOptions } from './metric.js';
import { checkName, checkOptionKeys, optionKeys } from '../validation.js';

/**
 * Metrics built on confusion counts, as Keras's: every element of yPred is one prediction
 * (labels are read as booleans: non-zero is positive), a prediction is positive when it is
 * strictly above the threshold, and counts are weighted by the sample's weight.
 */

/** Flat labels (0/1), predictions and per-element weights of one batch. */
interface Batch {
  labels: Uint8Array;
  preds: Float64Array;
  weights: Float64Array;
}

function readBatch(
  yTrue: Tensor,
  yPred: Tensor,
  sampleWeight: Tensor | undefined,
  where: string,
): Batch {
  const [t, p] = noGrad(() => alignTargets(yTrue, yPred, where));
  const tv = t.dataSync();
  const labels = new Uint8Array(tv.length);
  for (let i = 0; i < tv.length; i++) labels[i] = tv[i] !== 0 ? 1 : 0;
  const preds = Float64Array.from(p.dataSync() as ArrayLike<number>);
  const batch = p.rank === 0 ? 1 : p.shape[0]!;
  const perSample = batch === 0 ? 0 : preds.length / batch;
  const w = sampleWeights(sampleWeight, batch, where);
  const weights = new Float64Array(preds.length);
  for (let i = 0; i < preds.length; i++) weights[i] = w ? w[Math.floor(i / perSample)]! : 1;
  return { labels, preds, weights };
}

function checkThreshold(value: unknown, where: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ConfigError(
      `${where}: thresholds must be a number in [0, 1], received ${describe(value)}.`,
    );
  }
  return value;
}

export interface PrecisionOptions extends MetricOptions {
  /** A prediction above this counts as positive (default 0.5). */
  thresholds?: number;
}
const PRECISION_OPTION_KEYS = optionKeys<PrecisionOptions>()({
  ...METRIC_OPTION_KEY_SET,
  thresholds: true,
});

/** Shared state of Precision and Recall: weighted true/false positives and false negatives. */
abstract class ThresholdCounts extends Metric {
  readonly name: string;
  readonly thresholds: number;
  protected tp = 0;
  protected fp = 0;
  protected fn = 0;
  constructor(options: PrecisionOptions, defaultName: string) {
    super();
    checkOptionKeys(options, defaultName, PRECISION_OPTION_KEYS);
    this.thresholds = checkThreshold(options.thresholds ?? 0.5, defaultName);
    this.name = checkName(options.name, defaultName, defaultName);
  }
  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const { labels, preds, weights } = readBatch(yTrue, yPred, sampleWeight, this.name);
    for (let i = 0; i < preds.length; i++) {
      const positive = preds[i]! > this.thresholds;
      if (labels[i] && positive) this.tp += weights[i]!;
      else if (positive) this.fp += weights[i]!;
      else if (labels[i]) this.fn += weights[i]!;
    }
  }
  reset(): void {
    this.tp = 0;
    this.fp = 0;
    this.fn = 0;
  }
  override getState(): JsonValue {
    return { tp: this.tp, fp: this.fp, fn: this.fn };
  }
  override setState(state: JsonValue): void {
    ({ tp: this.tp, fp: this.fp, fn: this.fn } = state as { tp: number; fp: number; fn: number });
  }
  override getConfig(): ConfigDict {
    return { name: this.name, thresholds: this.thresholds };
  }
}

/** tp / (tp + fp): of the predicted positives, the fraction that are positive (0 if none). */
export class Precision extends ThresholdCounts {
  static readonly className = 'Precision';
  static readonly optionKeys = PRECISION_OPTION_KEYS;
  constructor(options: PrecisionOptions = {}) {
    super(options, 'precision');
  }
  result(): number {
    return this.tp + this.fp === 0 ? 0 : this.tp / (this.tp + this.fp);
  }
}

/** tp / (tp + fn): of the positives, the fraction predicted positive (0 if none). */
export class Recall extends ThresholdCounts {
  static readonly className = 'Recall';
  static readonly optionKeys = PRECISION_OPTION_KEYS;
  constructor(options: PrecisionOptions = {}) {
    super(options, 'recall');
  }
  result(): number {
    return this.tp + this.fn === 0 ? 0 : this.tp / (this.tp + this.fn);
  }
}

export interface AUCOptions extends MetricOptions {
  /** Number of thresholds, evenly spaced over [0, 1] (default 200, at least 2). */
  numThresholds?: number;
  /** 'ROC' (default) or 'PR' (precision–recall). */
  curve?: 'ROC' | 'PR';
  /** yPred holds logits; a sigmoid is applied first (default false). */
  fromLogits?: boolean;
}
const AUC_OPTION_KEYS = optionKeys<AUCOptions>()({
  ...METRIC_OPTION_KEY_SET,
  numThresholds: true,
  curve: true,
  fromLogits: true,
});

/**
 * Area under the ROC (or PR) curve, approximated as Keras does: confusion counts at
 * `numThresholds` thresholds (−1e-7, 1/(n−1), ..., (n−2)/(n−1), 1 + 1e-7), then the
 * trapezoidal rule over the curve (for PR, Keras's interpolation of Davis & Goadrich). With
 * 200 thresholds the ROC value is within about 1e-3 of the exact one.
 */
export class AUC extends Metric {
  static readonly className = 'AUC';
  static readonly optionKeys = AUC_OPTION_KEYS;
  readonly name: string;
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly fromLogits: boolean;
  readonly #thresholds: Float64Array;
  #tp: Float64Array;
  #fp: Float64Array;
  #tn: Float64Array;
  #fn: Float64Array;
  constructor(options: AUCOptions = {}) {
    checkOptionKeys(options, 'auc', AUC_OPTION_KEYS);
    super();
    const { numThresholds = 200, curve = 'ROC', fromLogits = false } = options;
    if (!Number.isInteger(numThresholds) || numThresholds < 2) {
      throw new ConfigError(
        `auc: numThresholds must be an integer >= 2, received ${describe(numThresholds)}.`,
      );
    }
    if (curve !== 'ROC' && curve !== 'PR') {
      throw new ConfigError(`auc: curve must be 'ROC' or 'PR', received ${describe(curve)}.`);
    }
    if (typeof fromLogits !== 'boolean') {
      throw new ConfigError(
        `auc: fromLogits must be true or false, received ${describe(fromLogits)}.`,
      );
    }
    this.numThresholds = numThresholds;
    this.curve = curve;
    this.fromLogits = fromLogits;
    this.name = checkName(options.name, 'auc', 'auc');
    const n = numThresholds;
    this.#thresholds = Float64Array.from({ length: n }, (_, i) =>
      i === 0 ? -EPSILON : i === n - 1 ? 1 + EPSILON : i / (n - 1),
    );
    this.#tp = new Float64Array(n);
    this.#fp = new Float64Array(n);
    this.#tn = new Float64Array(n);
    this.#fn = new Float64Array(n);
  }

  /** The thresholds, ascending. */
  get thresholds(): number[] {
    return Array.from(this.#thresholds);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const { labels, preds, weights } = readBatch(yTrue, yPred, sampleWeight, this.name);
    const n = this.numThresholds;
    // above[k]: weight of positives (negatives) with exactly k thresholds strictly below them.
    const posAbove = new Float64Array(n + 1);
    const negAbove = new Float64Array(n + 1);
    for (let i = 0; i < preds.length; i++) {
      let p = preds[i]!;
      if (this.fromLogits) p = 1 / (1 + Math.exp(-p));
      const k = this.#countBelow(p);
      (labels[i] ? posAbove : negAbove)[k]! += weights[i]!;
    }
    // A prediction is positive at threshold j when j < k; sweep j from the top down.
    let pos = 0;
    let neg = 0;
    let totalPos = 0;
    let totalNeg = 0;
    for (let k = 0; k <= n; k++) {
      totalPos += posAbove[k]!;
      totalNeg += negAbove[k]!;
    }
    for (let j = n - 1; j >= 0; j--) {
      pos += posAbove[j + 1]!;
      neg += negAbove[j + 1]!;
      this.#tp[j]! += pos;
      this.#fp[j]! += neg;
      this.#fn[j]! += totalPos - pos;
      this.#tn[j]! += totalNeg - neg;
    }
  }

  /** The number of thresholds strictly below p (binary search). */
  #countBelow(p: number): number {
    let lo = 0;
    let hi = this.numThresholds;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#thresholds[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  result(): number {
    return this.curve === 'PR' ? this.#prAuc() : this.#rocAuc();
  }

  /** Σ (fpr[i] − fpr[i+1])·(tpr[i] + tpr[i+1])/2 */
  #rocAuc(): number {
    const tpr = (i: number) => safeDiv(this.#tp[i]!, this.#tp[i]! + this.#fn[i]!);
    const fpr = (i: number) => safeDiv(this.#fp[i]!, this.#fp[i]! + this.#tn[i]!);
    let area = 0;
    for (let i = 0; i < this.numThresholds - 1; i++) {
      area += (fpr(i) - fpr(i + 1)) * ((tpr(i) + tpr(i + 1)) / 2);
    }
    return area;
  }

  /** Keras's interpolate_pr_auc: precision interpolated linearly in (tp, tp + fp). */
  #prAuc(): number {
    const tp = this.#tp;
    const p = (i: number) => this.#tp[i]! + this.#fp[i]!;
    let area = 0;
    for (let i = 0; i < this.numThresholds - 1; i++) {
      const dtp = tp[i]! - tp[i + 1]!;
      const dp = p(i) - p(i + 1);
      const slope = safeDiv(dtp, Math.max(dp, 0));
      const intercept = tp[i + 1]! - slope * p(i + 1);
      const ratio = p(i) > 0 && p(i + 1) > 0 ? safeDiv(p(i), Math.max(p(i + 1), 0)) : 1;
      const totalPos = Math.max(tp[i + 1]! + this.#fn[i + 1]!, 0);
      area += safeDiv(slope * (dtp + intercept * Math.log(ratio)), totalPos);
    }
    return area;
  }

  override getState(): JsonValue {
    const list = (a: Float64Array) => Array.from(a);
    return { tp: list(this.#tp), fp: list(this.#fp), tn: list(this.#tn), fn: list(this.#fn) };
  }
  override setState(state: JsonValue): void {
    const s = state as Record<'tp' | 'fp' | 'tn' | 'fn', number[]>;
    this.#tp = Float64Array.from(s.tp);
    this.#fp = Float64Array.from(s.fp);
    this.#tn = Float64Array.from(s.tn);
    this.#fn = Float64Array.from(s.fn);
  }
  reset(): void {
    for (const a of [this.#tp, this.#fp, this.#tn, this.#fn]) a.fill(0);
  }

  override getConfig(): ConfigDict {
    return {
      name: this.name,
      numThresholds: this.numThresholds,
      curve: this.curve,
      summationMethod: 'interpolation',
      fromLogits: this.fromLogits,
    };
  }
}

/** a / b, or 0 when b is 0 (Keras's divide_no_nan). */
function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
