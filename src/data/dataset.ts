import { ConfigError, describe } from '../errors.js';
import { checkPositiveInteger } from '../models/data.js';
import type { JsonValue } from '../serialization.js';
import { checkSeed, Random, randomFor } from '../tensor/random.js';
import { checkOptionKeys, optionKeys } from '../validation.js';
import { batchStream } from './batch.js';
import {
  filterStream,
  mapStream,
  prefetchStream,
  repeatStream,
  skipStream,
  takeStream,
  type Stream,
} from './iterators.js';
import { shuffleStream } from './shuffle.js';

/**
 * A dataset, as TF.js's tf.data.Dataset: a recipe for a stream of elements (tensors, numbers,
 * arrays or plain objects of those) that is read lazily, a few elements at a time, each time
 * it is iterated, so it may be far larger than memory. Made by sn.data.array, generator, csv
 * and zip; chained with map, filter, batch, shuffle, prefetch, repeat, take and skip; read
 * with iterator(), `for await`, forEachAsync or toArray; trained on with model.fitDataset.
 *
 *   const ds = sn.data.csv('train.csv', { columnConfigs: { label: { isLabel: true } } })
 *     .map(({ xs, ys }) => ({ xs: Object.values(xs), ys: Object.values(ys) }))
 *     .shuffle(1000, { seed: 1 })
 *     .batch(32);
 *   await model.fitDataset(ds, { epochs: 5 });
 *
 * `size` is the number of elements when it is known (Infinity for an endless one), else
 * undefined (TF.js says null).
 *
 * getState()/setState() hold what makes the next pass differ from the last (the shuffles'
 * generators): fitDataset saves it in checkpoints to resume in the middle of a stream.
 */

export interface ShuffleOptions {
  /** Seeds the order (an integer): the same seed, the same orders. Default: a random seed. */
  seed?: number;
  /** Draw a new order for each pass over the dataset (default true, as TF.js). */
  reshuffleEachIteration?: boolean;
}
const SHUFFLE_OPTION_KEYS = optionKeys<ShuffleOptions>()({
  seed: true,
  reshuffleEachIteration: true,
});

/** A dataset's state: its own (a shuffle's generator) and its sources', as JSON. */
export type DatasetState = {
  own: JsonValue;
  sources: DatasetState[];
};

/** Internal: how a dataset is made (the factories and methods build these). */
export interface DatasetParts<T> {
  /** Starts a new pass over the elements. */
  open: () => Stream<T>;
  size: number | undefined;
  sources?: readonly Dataset<unknown>[];
  /** The dataset's own state, when it has one (shuffle). */
  state?: { get(): JsonValue; set(state: JsonValue): void };
}

export class Dataset<T = unknown> {
  /** The number of elements when known (Infinity for an endless dataset), else undefined. */
  readonly size: number | undefined;
  readonly #parts: DatasetParts<T>;

  /** Internal: use sn.data.array, generator, csv or zip. */
  constructor(parts: DatasetParts<T>) {
    this.size = parts.size;
    this.#parts = parts;
  }

  /** A new pass over the elements: `await it.next()` gives `{ value, done }`, as TF.js. */
  async iterator(): Promise<Stream<T>> {
    return this.#parts.open();
  }

  [Symbol.asyncIterator](): Stream<T> {
    return this.#parts.open();
  }

  /** Each element transformed by `fn` (which may be async). */
  map<U>(fn: (value: T) => U | Promise<U>): Dataset<U> {
    checkFunction(fn, 'map');
    return this.#derive((s) => mapStream(s, fn), this.size);
  }

  /** Only the elements for which `predicate` is true. */
  filter(predicate: (value: T) => boolean | Promise<boolean>): Dataset<T> {
    checkFunction(predicate, 'filter');
    return this.#derive(
      (s) => filterStream(s, predicate),
      this.size === Infinity ? Infinity : undefined,
    );
  }

  /**
   * Groups of `batchSize` consecutive elements as one element of the same structure whose
   * leaves have a new first axis (see data/batch.ts). The last, smaller group is kept unless
   * smallLastBatch is false.
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<unknown> {
    checkPositiveInteger(batchSize, 'batchSize', 'Dataset.batch');
    if (typeof smallLastBatch !== 'boolean') {
      throw new ConfigError(
        `Dataset.batch: smallLastBatch must be a boolean, received ${describe(smallLastBatch)}.`,
      );
    }
    const n = this.size;
    const size =
      n === undefined || n === Infinity
        ? n
        : smallLastBatch
          ? Math.ceil(n / batchSize)
          : Math.floor(n / batchSize);
    return this.#derive((s) => batchStream(s, batchSize, smallLastBatch), size);
  }

  /**
   * The elements in a random order drawn through a buffer of `bufferSize` elements (see
   * data/shuffle.ts); `{ seed }` makes the orders reproducible.
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    checkPositiveInteger(bufferSize, 'bufferSize', 'Dataset.shuffle');
    const o = checkOptionKeys(
      options,
      'Dataset.shuffle',
      SHUFFLE_OPTION_KEYS,
      'shuffle(1000, { seed: 42 }) (TF.js passes the seed as a string; here it is a number in the options)',
    );
    const reshuffle = o.reshuffleEachIteration ?? true;
    if (typeof reshuffle !== 'boolean') {
      throw new ConfigError(
        `Dataset.shuffle: reshuffleEachIteration must be a boolean, received ${describe(reshuffle)}.`,
      );
    }
    const seed =
      o.seed === undefined
        ? randomFor(undefined, 'Dataset.shuffle').nextUint32() // sn.setSeed makes it reproducible
        : checkSeed(o.seed, 'Dataset.shuffle');
    const seeds = new Random(seed);
    const fixed = reshuffle ? undefined : seeds.nextUint32();
    const open = this.#parts.open;
    return new Dataset<T>({
      open: () => shuffleStream(open(), bufferSize, new Random(fixed ?? seeds.nextUint32())),
      size: this.size,
      sources: [this],
      state: {
        get: () => seeds.getState(),
        set: (state) => seeds.setState(state as number[]),
      },
    });
  }

  /** Reads up to `bufferSize` elements ahead of the consumer. */
  prefetch(bufferSize: number): Dataset<T> {
    checkPositiveInteger(bufferSize, 'bufferSize', 'Dataset.prefetch');
    return this.#derive((s) => prefetchStream(s, bufferSize), this.size);
  }

  /** The dataset `count` times over (each pass a new iteration); forever without count. */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined && !Number.isInteger(count)) {
      throw new ConfigError(
        `Dataset.repeat: count must be an integer (or omitted to repeat forever), received ${describe(count)}.`,
      );
    }
    const n = this.size;
    const size =
      count === 0
        ? 0
        : n === undefined
          ? undefined
          : count === undefined || count < 0
            ? n === 0
              ? 0
              : Infinity
            : n * count;
    const open = this.#parts.open;
    return new Dataset<T>({
      open: () => repeatStream(open, count),
      size,
      sources: [this],
    });
  }

  /** The first `count` elements (all when count < 0). */
  take(count: number): Dataset<T> {
    checkCount(count, 'take');
    const n = this.size;
    const size = count < 0 ? n : n === undefined ? undefined : Math.min(n, count);
    return this.#derive((s) => takeStream(s, count), size);
  }

  /** The elements after the first `count` (none when count < 0). */
  skip(count: number): Dataset<T> {
    checkCount(count, 'skip');
    const n = this.size;
    const size = n === undefined ? undefined : count < 0 ? 0 : Math.max(0, n - count);
    return this.#derive((s) => skipStream(s, count), size);
  }

  /** Every element, in an array (the dataset must be finite and fit in memory). */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) {
      throw new ConfigError(
        'Dataset.toArray: this dataset is endless (repeat() without a count); take(n) first.',
      );
    }
    const out: T[] = [];
    for await (const value of this) out.push(value);
    return out;
  }

  /** Calls `fn` on each element in turn, awaiting it. */
  async forEachAsync(fn: (value: T) => void | Promise<void>): Promise<void> {
    checkFunction(fn, 'forEachAsync');
    for await (const value of this) await fn(value);
  }

  /** The state of this dataset and its sources (see the class comment). */
  getState(): DatasetState {
    return {
      own: this.#parts.state?.get() ?? null,
      sources: (this.#parts.sources ?? []).map((s) => s.getState()),
    };
  }

  /** Restores a state from getState() of a dataset built the same way. */
  setState(state: DatasetState): void {
    const sources = this.#parts.sources ?? [];
    if (
      state === null ||
      typeof state !== 'object' ||
      !Array.isArray(state.sources) ||
      state.sources.length !== sources.length ||
      (state.own === null) !== (this.#parts.state === undefined)
    ) {
      throw new ConfigError(
        `Dataset.setState: the state ${describe(state)} was not taken from a dataset built the ` +
          'same way as this one (same sources, same shuffles, in the same order).',
      );
    }
    if (this.#parts.state) this.#parts.state.set(state.own);
    sources.forEach((s, i) => s.setState(state.sources[i]!));
  }

  #derive<U>(step: (source: Stream<T>) => Stream<U>, size: number | undefined): Dataset<U> {
    return new Dataset<U>({ open: () => step(this.#parts.open()), size, sources: [this] });
  }
}

function checkFunction(fn: unknown, method: string): void {
  if (typeof fn !== 'function') {
    throw new ConfigError(`Dataset.${method}: expected a function, received ${describe(fn)}.`);
  }
}

function checkCount(count: unknown, method: string): void {
  if (typeof count !== 'number' || !Number.isInteger(count)) {
    throw new ConfigError(
      `Dataset.${method}: count must be an integer, received ${describe(count)}.`,
    );
  }
}
