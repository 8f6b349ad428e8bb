import { ConfigError, describe } from '../errors.js';
import { isPlainObject } from '../validation.js';
import { Dataset } from './dataset.js';
import { fromIterator, mapStream, zipStream } from './iterators.js';

/** The datasets made from what is already in memory or computed: array, generator, zip. */

/** A dataset of the items of an array, in order (as tf.data.array). */
export function array<T>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items)) {
    throw new ConfigError(
      `sn.data.array: expected an array of elements, received ${describe(items)}; e.g. sn.data.array([{ xs: [1, 2], ys: [0] }]).`,
    );
  }
  return new Dataset<T>({
    open: () => fromIterator(items[Symbol.iterator](), 'sn.data.array'),
    size: items.length,
  });
}

/**
 * A dataset of what `makeIterator()` yields, called afresh for each pass (as
 * tf.data.generator): a generator function, sync or async, or any function returning an
 * iterator. Its size is unknown. For fitDataset to resume exactly from a checkpoint, each
 * call must yield the same sequence (a deterministic generator).
 *
 *   sn.data.generator(function* () { for (let i = 0; i < 100; i++) yield { xs: [i], ys: [2 * i] }; })
 */
export function generator<T>(makeIterator: () => Iterator<T> | AsyncIterator<T>): Dataset<T> {
  if (typeof makeIterator !== 'function') {
    throw new ConfigError(
      `sn.data.generator: expected a generator function (called once per pass over the data), ` +
        `received ${describe(makeIterator)}. Fix: sn.data.generator(function* () { yield ... }), ` +
        'not the generator object it returns.',
    );
  }
  return new Dataset<T>({
    open: () => fromIterator(makeIterator(), 'sn.data.generator'),
    size: undefined,
  });
}

/**
 * Datasets side by side (as tf.data.zip): from an array of datasets, elements are arrays;
 * from an object of datasets, objects with the same keys. Ends with the shortest.
 *
 *   sn.data.zip({ xs: features, ys: labels })
 */
export function zip(
  datasets: readonly Dataset<unknown>[] | Readonly<Record<string, Dataset<unknown>>>,
): Dataset<unknown> {
  const isList = Array.isArray(datasets);
  if (!isList && !isPlainObject(datasets)) {
    throw new ConfigError(
      `sn.data.zip: expected an array or an object of datasets, received ${describe(datasets)}.`,
    );
  }
  if ((isList ? datasets.length : Object.keys(datasets).length) === 0) {
    throw new ConfigError('sn.data.zip: received no datasets; pass at least one.');
  }
  const keys = isList ? undefined : Object.keys(datasets);
  const list: Dataset<unknown>[] = isList
    ? [...(datasets as readonly Dataset<unknown>[])]
    : Object.values(datasets as Record<string, Dataset<unknown>>);
  list.forEach((d, i) => {
    if (!(d instanceof Dataset)) {
      throw new ConfigError(
        `sn.data.zip: ${isList ? `item ${i}` : `key ${describe(keys![i])}`} is ${describe(d)}, ` +
          'not a dataset; every leaf must be a dataset (sn.data.array, generator, csv).',
      );
    }
  });
  const sizes = list.map((d) => d.size);
  const size = sizes.some((s) => s === undefined) ? undefined : Math.min(...(sizes as number[]));
  return new Dataset<unknown>({
    open: () => {
      const zipped = zipStream(list.map((d) => d[Symbol.asyncIterator]()));
      if (keys === undefined) return zipped;
      return mapStream(zipped, (values) => Object.fromEntries(keys.map((k, i) => [k, values[i]])));
    },
    size,
    sources: list,
  });
}
