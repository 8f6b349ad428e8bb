import { ConfigError, ShapeError, describe } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, checkOptionKeys, optionKeys } from '../validation.js';
import type { Histogram, TensorStats } from './types.js';

/**
 * Statistics of weights and activations, in plain JavaScript over the tensor's values
 * (`dataSync()`), accumulated in float64. Nothing here records on the autograd tape.
 */

/** Values to summarise: a tensor or its values. */
export type Values = Tensor | ArrayLike<number>;

function valuesOf(x: Values): ArrayLike<number> {
  return 'dataSync' in x && typeof x.dataSync === 'function'
    ? x.dataSync()
    : (x as ArrayLike<number>);
}

/** `x` when finite, else null (JSON has no NaN or Infinity). */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export interface HistogramOptions {
  /** Number of equal-width bins (default 30). */
  bins?: number;
  /** [low, high] of the bins; default [min, max] of the finite values (±0.5 when they are equal). */
  range?: readonly [number, number];
}
const HISTOGRAM_OPTION_KEYS = optionKeys<HistogramOptions>()({ bins: true, range: true });

/**
 * A histogram as numpy's: `bins` equal bins over `range`; bin i holds edges[i] ≤ x < edges[i+1],
 * the last bin also holds x = high. Values outside the range and non-finite values are not
 * counted. With no finite value and no range, the bins span [0, 1] and are all empty.
 */
export function histogram(values: Values, options: HistogramOptions = {}): Histogram {
  const o = checkOptionKeys(options, 'histogram', HISTOGRAM_OPTION_KEYS);
  const bins = checkNumber(o.bins, 'histogram', 'bins', { min: 1, integer: true, fallback: 30 });
  const data = valuesOf(values);
  let lo: number;
  let hi: number;
  if (o.range !== undefined) {
    const r = o.range as unknown;
    if (
      !Array.isArray(r) ||
      r.length !== 2 ||
      !r.every((v) => typeof v === 'number' && Number.isFinite(v)) ||
      !((r[0] as number) < (r[1] as number))
    ) {
      throw new ConfigError(
        `histogram: range must be [low, high] with finite low < high, received ${describe(r)}; e.g. range: [-1, 1].`,
      );
    }
    [lo, hi] = r as [number, number];
  } else {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === Infinity) [lo, hi] = [0, 1];
    else if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) =>
    i === bins ? hi : lo + ((hi - lo) * i) / bins,
  );
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v) || v < lo || v > hi) continue;
    let b = Math.min(bins - 1, Math.floor((v - lo) / width));
    // The division can land one bin off next to an edge; the edges decide.
    if (b > 0 && v < edges[b]!) b--;
    else if (b < bins - 1 && v >= edges[b + 1]!) b++;
    counts[b]!++;
  }
  return { edges, counts };
}

/**
 * count, min, max, mean, std (population), l1 (Σ|x|), l2 (the Euclidean norm), zeroFraction
 * (exact zeros among all elements), nanCount, infCount and a histogram. NaN and ±Inf are
 * counted and otherwise ignored; statistics of no finite value are null.
 *
 *   tensorStats(sn.tensor([1, 2, NaN, 3]), { bins: 2 }).mean  // 2
 */
export function tensorStats(t: Values, options: HistogramOptions = {}): TensorStats {
  checkOptionKeys(options, 'tensorStats', HISTOGRAM_OPTION_KEYS);
  const data = valuesOf(t);
  let n = 0;
  let nan = 0;
  let inf = 0;
  let zeros = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let l1 = 0;
  let sq = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) nan++;
    else if (!Number.isFinite(v)) inf++;
    else {
      n++;
      if (v === 0) zeros++;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
      l1 += Math.abs(v);
      sq += v * v;
    }
  }
  const mean = n > 0 ? sum / n : NaN;
  let dev = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v)) dev += (v - mean) * (v - mean);
  }
  const count = data.length;
  return {
    count,
    min: n > 0 ? min : null,
    max: n > 0 ? max : null,
    mean: finiteOrNull(mean),
    std: n > 0 ? finiteOrNull(Math.sqrt(dev / n)) : null,
    l1: finiteOrNull(l1),
    l2: finiteOrNull(Math.sqrt(sq)),
    zeroFraction: count > 0 ? zeros / count : null,
    nanCount: nan,
    infCount: inf,
    histogram: histogram(data, options),
  };
}

/** The Euclidean norm sqrt(Σx²) in float64 (NaN if a value is NaN). */
export function l2Norm(values: Values): number {
  const data = valuesOf(values);
  let sq = 0;
  for (let i = 0; i < data.length; i++) sq += data[i]! * data[i]!;
  return Math.sqrt(sq);
}

/**
 * Activations whose saturation is measured, and the test for a saturated value (also used by
 * the LSTM gate replay of ./recurrent.ts).
 */
export const SATURATED = {
  sigmoid: (y) => y < 0.01 || y > 0.99,
  hard_sigmoid: (y) => y < 0.01 || y > 0.99,
  tanh: (y) => Math.abs(y) > 0.99,
} as const satisfies Readonly<Record<string, (y: number) => boolean>>;

/** The saturation test of `activation`, or undefined when its saturation is not measured. */
function saturationTest(activation: string | undefined): ((y: number) => boolean) | undefined {
  return activation !== undefined && Object.hasOwn(SATURATED, activation)
    ? SATURATED[activation as keyof typeof SATURATED]
    : undefined;
}

/** Activations whose dead units are measured (a unit ≤ 0 on every sample has zero gradient). */
export const RELU_LIKE: readonly string[] = ['relu', 'relu6'];

/**
 * The fraction of post-activation values that are saturated, where the gradient vanishes:
 * sigmoid (and hard_sigmoid) y < 0.01 or y > 0.99; tanh |y| > 0.99. Non-finite values count as
 * saturated. undefined for other activations (and for no values).
 */
export function saturationFraction(values: Values, activation: string): number | undefined {
  const test = saturationTest(activation);
  const data = valuesOf(values);
  if (test === undefined || data.length === 0) return undefined;
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v) || test(v)) k++;
  }
  return k / data.length;
}

/** [samples, units] of an activation tensor: units are the last axis, every other axis is samples. */
function unitsView(
  post: Tensor,
  where: string,
): { rows: number; units: number; data: ArrayLike<number> } {
  if (post.rank < 1) {
    throw new ShapeError(
      `${where}: expected activations of shape [batch, units], received a scalar; pass a layer's output.`,
    );
  }
  // Rank 1 is one unit over a batch; otherwise units are the last axis.
  const units = post.rank === 1 ? 1 : post.shape[post.rank - 1]!;
  const rows = units === 0 ? 0 : post.size / units;
  return { rows, units, data: post.dataSync() };
}

/**
 * ρ̂_j: the mean of unit j over the batch (units are the last axis; for rank > 2 the mean
 * is over every other axis; rank 1 is one unit). NaN where a unit has a non-finite value.
 */
export function unitMeans(post: Tensor): number[] {
  const { rows, units, data } = unitsView(post, 'unitMeans');
  const sums = new Array<number>(units).fill(0);
  for (let r = 0; r < rows; r++) for (let j = 0; j < units; j++) sums[j]! += data[r * units + j]!;
  return sums.map((s) => (rows > 0 ? s / rows : NaN));
}

/**
 * The fraction of units that are ≤ 0 for EVERY sample of the batch (a dead relu unit gets no
 * gradient). Units are the last axis. 0 for an empty batch.
 */
export function deadUnitFraction(post: Tensor): number {
  const { rows, units, data } = unitsView(post, 'deadUnitFraction');
  if (rows === 0 || units === 0) return 0;
  let dead = 0;
  for (let j = 0; j < units; j++) {
    let alive = false;
    for (let r = 0; r < rows && !alive; r++) alive = data[r * units + j]! > 0;
    if (!alive) dead++;
  }
  return dead / units;
}

/**
 * The average over samples of the fraction of units whose value is > threshold (default 0.1):
 * how many code units a typical sample uses. Units are the last axis.
 */
export function activeFraction(post: Tensor, threshold = 0.1): number {
  const { rows, units, data } = unitsView(post, 'activeFraction');
  if (rows === 0 || units === 0) return 0;
  let active = 0;
  for (let i = 0; i < rows * units; i++) if (data[i]! > threshold) active++;
  return active / (rows * units);
}

/**
 * Sparsity: the fraction of values with |x| ≤ threshold. threshold 0 (default) counts exact
 * zeros (relu, kSparse codes); a small threshold such as 0.01 counts near-zero sigmoid codes.
 * (With one fixed number of units per sample, 1 − activeFraction(post, t) is the fraction ≤ t.)
 */
export function sparsity(values: Values, threshold = 0): number {
  const data = valuesOf(values);
  if (data.length === 0) return 0;
  let k = 0;
  for (let i = 0; i < data.length; i++) if (Math.abs(data[i]!) <= threshold) k++;
  return k / data.length;
}

/**
 * Per-channel numbers of a feature map [batch, height, width, channels] (a conv layer's
 * output, channels last): a channel is the unit, seen at every position of every sample.
 */
export interface ChannelStats {
  /** Number of channels (the last axis). */
  channels: number;
  /** Per channel: true when no value is > 0 at any sample and position (a dead relu channel). */
  dead: boolean[];
  /** Per channel: its share of saturated values (see saturationFraction); absent for an activation that does not saturate. */
  saturation?: number[];
  /** Per sample: how many channels have some value > 0.1 (are active somewhere on the map). */
  activePerSample: number[];
}

/**
 * Per-channel statistics of a rank-4 activation [batch, height, width, channels]: which
 * channels are dead (never > 0 over the batch and every position), the saturated share of each
 * channel's values for a saturating activation ('sigmoid', 'hard_sigmoid', 'tanh'), and how
 * many channels each sample uses (some value > 0.1). A ShapeError for another rank.
 *
 *   channelStats(convOut, 'relu').dead.filter(Boolean).length  // dead channels
 */
export function channelStats(post: Tensor, activation?: string): ChannelStats {
  if (post.rank !== 4) {
    throw new ShapeError(
      `channelStats: expected a feature map of rank 4 [batch, height, width, channels], received shape ` +
        `[${post.shape.join(', ')}]; pass a conv layer's output (use deadUnitFraction for dense outputs).`,
    );
  }
  const [batch, h, w, channels] = post.shape as [number, number, number, number];
  const positions = h * w;
  const data = post.dataSync();
  const alive = new Array<boolean>(channels).fill(false);
  const saturated = new Array<number>(channels).fill(0);
  const isSaturated = saturationTest(activation);
  const activePerSample: number[] = [];
  const activeHere = new Array<boolean>(channels);
  for (let b = 0; b < batch; b++) {
    activeHere.fill(false);
    for (let p = 0; p < positions; p++) {
      const row = (b * positions + p) * channels;
      for (let c = 0; c < channels; c++) {
        const v = data[row + c]!;
        if (v > 0) alive[c] = true;
        if (v > 0.1) activeHere[c] = true;
        if (isSaturated && (Number.isNaN(v) || isSaturated(v))) saturated[c]!++;
      }
    }
    activePerSample.push(activeHere.filter(Boolean).length);
  }
  const perChannel = batch * positions;
  const out: ChannelStats = { channels, dead: alive.map((a) => !a), activePerSample };
  if (isSaturated) out.saturation = saturated.map((k) => (perChannel > 0 ? k / perChannel : 0));
  return out;
}
