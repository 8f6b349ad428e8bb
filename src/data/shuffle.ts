import type { Random } from '../tensor/random.js';
import type { Stream } from './iterators.js';

/**
 * Dataset.shuffle's pass, as TF.js: a buffer of `bufferSize` elements is filled from the
 * source; each output is a uniformly drawn element of the buffer, whose place the next source
 * element takes (once the source ends, the buffer drains in random order). bufferSize >= the
 * dataset's size gives a uniform permutation; bufferSize 1 keeps the order. An element at
 * position i comes out at position i - (bufferSize - 1) or later.
 */
export async function* shuffleStream<T>(
  source: Stream<T>,
  bufferSize: number,
  rng: Random,
): Stream<T> {
  const buffer: T[] = [];
  let exhausted = false;
  const refill = async () => {
    while (!exhausted && buffer.length < bufferSize) {
      const next = await source.next();
      if (next.done) exhausted = true;
      else buffer.push(next.value);
    }
  };
  try {
    await refill();
    while (buffer.length > 0) {
      const i = rng.nextInt(buffer.length);
      const value = buffer[i]!;
      const last = buffer.pop()!;
      if (i < buffer.length) buffer[i] = last;
      yield value;
      await refill();
    }
  } finally {
    await source.return();
  }
}
