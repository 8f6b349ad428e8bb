/**
 * The JSON log a monitor writes (and keeps in memory as `monitor.log`), read by the report.
 *
 * Everything here is plain JSON: no NaN, no Infinity, no typed arrays. A number that could be
 * non-finite is typed `number | null` and written as `null` when it is NaN or ±Infinity (or
 * when it does not exist: the min of a tensor with no finite value, the data loss of a model
 * that is not compiled, the gradient of a non-trainable weight). Counts of NaN and Inf are
 * kept separately in `TensorStats.nanCount` / `infCount`, so nothing is lost by the nulls.
 */

/** Bin edges (`bins + 1`, ascending) and counts (`bins`); bin i is [edges[i], edges[i+1]), the last one closed. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/**
 * Statistics of one tensor. `count` is every element; min, max, mean, std, l1, l2 and the
 * histogram use only the finite elements (NaN and ±Inf are counted in nanCount/infCount
 * and left out). `std` is the population standard deviation (divided by the number of finite
 * elements); `l2` is the Euclidean norm sqrt(Σx²); `l1` is Σ|x|; `zeroFraction` is the
 * fraction of ALL elements that are exactly 0. min/max/mean/std are null when no element is
 * finite.
 */
export interface TensorStats {
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  l1: number | null;
  l2: number | null;
  zeroFraction: number | null;
  nanCount: number;
  infCount: number;
  histogram: Histogram;
}

/** A regularizer as written in the log: its class name and config ({} if it has none or is a plain function). */
export interface RegularizerInfo {
  className: string;
  config: Record<string, unknown>;
}

/** One weight of a layer at the time of a record. */
export interface WeightRecord {
  /** The variable's full name, as in the loss terms: 'dense/kernel'. */
  name: string;
  shape: number[];
  stats: TensorStats;
  /**
   * The Euclidean norm of d(total loss)/d(weight) on the probe batch in inference mode; null
   * when gradients were not computed (model not compiled, or the weight is not trainable).
   */
  gradNorm: number | null;
  /** ‖w − w_prev‖ / ‖w_prev‖ since the previous record; null on the first record (or ‖w_prev‖ = 0). */
  updateRatio: number | null;
  /** The weight's regularizer, if any. */
  regularizer?: RegularizerInfo;
}

/** One layer's numbers in one record (first call of the layer in the probe pass). */
export interface LayerRecord {
  name: string;
  className: string;
  /** Keras name of the layer's activation ('relu', 'sigmoid'), for layers that have one. */
  activation?: string;
  /** The layer's activity regularizer, if any (advice reads klSparsity's rho from it). */
  activityRegularizer?: RegularizerInfo;
  weights: WeightRecord[];
  /** The value just before the activation (Dense and Activation layers). */
  preActivation?: TensorStats;
  /** The layer's (first) output, after its activation. */
  output: TensorStats;
  /** sigmoid/hard_sigmoid: fraction of outputs < 0.01 or > 0.99; tanh: |y| > 0.99. */
  saturation?: number;
  /** relu/relu6: fraction of units that are ≤ 0 for every sample of the probe. */
  deadFraction?: number;
  /** Mean over samples of the fraction of units with output > 0.1 (layers with an activation or an activity regularizer). */
  activeFraction?: number;
  /** ρ̂_j: the mean of unit j (last axis) over the probe (same layers as activeFraction). */
  unitMeans?: (number | null)[];
  /**
   * For an output of rank 4 [batch, height, width, channels] (a conv layer or what follows it):
   * the per-channel view, where a channel is the unit over the batch and every position. The
   * fields above still hold (deadFraction and unitMeans are per channel already, units being
   * the last axis; activeFraction counts values, position by position).
   */
  channels?: ChannelRecord;
  /** LSTM layers: the share of saturated gate outputs on the probe, per gate and over all four. */
  gateSaturation?: GateSaturation;
}

/** Per-channel numbers of a 4-D activation (see LayerRecord.channels and stats.channelStats). */
export interface ChannelRecord {
  /** Number of channels. */
  count: number;
  /** relu/relu6: channels ≤ 0 at every position of every probe sample. */
  dead?: number;
  /** sigmoid/hard_sigmoid/tanh: the saturated share of each channel's values. */
  saturation?: number[];
  /** Channels whose saturated share is above one half. */
  saturated?: number;
  /** Per probe sample: channels with some value > 0.1. */
  activePerSample: number[];
  /** The mean of activePerSample: how many channels a typical sample uses. */
  meanActive: number;
}

/**
 * Share of an LSTM's gate outputs that are saturated over the probe (every sample, step and
 * unit): input, forget and output gates (sigmoid) below 0.01 or above 0.99, the candidate
 * (tanh) when |g| > 0.99; `all` pools the four.
 */
export interface GateSaturation {
  input: number;
  forget: number;
  candidate: number;
  output: number;
  all: number;
}

/** The loss of the probe pass, split (same formula as fit and evaluate: total = data + regularization). */
export interface LossRecord {
  /** data + regularization; null when the model is not compiled. */
  total: number | null;
  /** Σ lossWeight · compiled loss of each output on (probe, probeTargets), without sample or class weights; null when not compiled. */
  data: number | null;
  /** The sum of every regularization term. */
  regularization: number | null;
  /** Each term by name, as model.regularizationLosses(): 'dense/kernel', 'dense/activity'. */
  terms: Record<string, number | null>;
}

export interface MonitorRecord {
  /** Completed epochs when the record was taken: 0 before training, 1 after the first epoch. */
  epoch: number;
  /** Optimizer steps (batches) done in this fit when the record was taken. */
  step: number;
  loss: LossRecord;
  layers: LayerRecord[];
}

export interface MonitorLog {
  /** The model's name. */
  model: string;
  /** Samples in the probe batch. */
  probeSize: number;
  records: MonitorRecord[];
  /** fit's per-epoch logs (loss, regularization_loss, val_loss, ...), one entry per epoch. */
  history?: Record<string, (number | null)[]>;
}

/** One piece of advice, with the numbers that triggered it. */
export interface Advice {
  /** The rule's id: 'activity-regularizer', 'kernel-regularizer', 'dead-relu', 'kl-sparsity-target', 'regularization-dominates'. */
  rule: string;
  layer?: string;
  message: string;
  numbers: Record<string, number>;
}
