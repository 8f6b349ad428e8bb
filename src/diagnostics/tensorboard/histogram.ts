import type { Histogram } from './events.js';

/** tf.summary.histogram's default bucket count (TensorBoard's histogram plugin). */
export const DEFAULT_BUCKETS = 30;

/**
 * A HistogramProto of `values` with `bucketCount` equal-width buckets spanning [min, max], as
 * tf.summary.histogram makes (default 30), rather than TensorFlow's legacy exponential
 * buckets (about 1500 edges from ±1e-12 growing by 10%, mostly empty). Bucket i holds values
 * in [min + i·w, min + (i+1)·w), the last one also holds max; `bucketLimit` lists the right
 * edges, the last being max exactly. All values equal: one bucket at that value. No values:
 * no buckets. Statistics are accumulated in float64. Non-finite values (NaN, ±Infinity) are
 * left out of every field (TensorBoard cannot place them), so `num` counts finite values only.
 */
export function histogramOf(
  values: ArrayLike<number>,
  bucketCount: number = DEFAULT_BUCKETS,
): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    num++;
    sum += v;
    sumSquares += v * v;
  }
  if (num === 0) {
    return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  }
  const stats = { min, max, num, sum, sumSquares };
  if (min === max) return { ...stats, bucketLimit: [max], bucket: [num] };

  const width = (max - min) / bucketCount;
  const bucket = new Array<number>(bucketCount).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const index = Math.min(bucketCount - 1, Math.floor((v - min) / width));
    bucket[index]!++;
  }
  const bucketLimit = bucket.map((_, i) => (i === bucketCount - 1 ? max : min + (i + 1) * width));
  return { ...stats, bucketLimit, bucket };
}
