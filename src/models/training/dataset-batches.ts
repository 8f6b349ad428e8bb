import { ConfigError, describe } from '../../errors.js';
import type { JsonValue } from '../../serialization.js';
import { Tensor } from '../../tensor/tensor.js';
import { isPlainObject } from '../../validation.js';
import { sampleCount, toTensorList, type DataLike } from '../data.js';

/**
 * What fitDataset and evaluateDataset read: any object with TF.js's `iterator()` (sn.data's
 * datasets, or a TF.js-shaped one), whose elements are batches `{ xs, ys }`, each a Tensor,
 * a list of Tensors (one per model input/output) or nested arrays of numbers. models/ never
 * imports data/, so this is a structural type.
 */
export interface DatasetLike {
  readonly size?: number | undefined;
  iterator(): Promise<AsyncIterator<unknown>> | AsyncIterator<unknown>;
  /** For exact resume from a checkpoint (sn.data's datasets have both). */
  getState?(): JsonValue;
  setState?(state: JsonValue): void;
}

export function isDatasetLike(value: unknown): value is DatasetLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<DatasetLike>).iterator === 'function'
  );
}

export function checkDataset(value: unknown, where: string): DatasetLike {
  if (!isDatasetLike(value)) {
    throw new ConfigError(
      `${where}: expected a dataset (from sn.data.array, generator or csv, batched with ` +
        `.batch(n)), received ${describe(value)}. For tensors in memory use fit/evaluate.`,
    );
  }
  return value;
}

/** One element of the stream as per-input and per-output tensor lists, checked. */
export function batchTensors(
  value: unknown,
  where: string,
): { xs: Tensor[]; ys: Tensor[]; size: number } {
  if (!isPlainObject(value) || !('xs' in value) || !('ys' in value)) {
    throw new ConfigError(
      `${where}: each element of the dataset must be a batch { xs, ys }, received ` +
        `${describe(value)}. Fix: .map((e) => ({ xs: ..., ys: ... })) then .batch(batchSize).`,
    );
  }
  const xs = tensorList(value.xs, `${where}: xs`);
  const ys = tensorList(value.ys, `${where}: ys`);
  const size = sampleCount([
    { name: 'xs', tensors: xs },
    { name: 'ys', tensors: ys },
  ]);
  return { xs, ys, size };
}

function tensorList(value: unknown, what: string): Tensor[] {
  if (isPlainObject(value)) {
    throw new ConfigError(
      `${what} is an object with keys {${Object.keys(value).join(', ')}}; expected a Tensor or ` +
        'a list of Tensors (one per model input/output). Fix: map it to a list before batching, ' +
        'e.g. .map(({ xs, ys }) => ({ xs: Object.values(xs), ys: Object.values(ys) })).',
    );
  }
  if (value instanceof Tensor) return [value];
  return toTensorList(value as DataLike, what);
}

/**
 * fitDataset's reader: the iterator in use, the dataset's state when it was made and how
 * many batches it has given, which a checkpoint records to resume at the same place.
 */
export class StreamReader {
  readonly #dataset: DatasetLike;
  #iterator: AsyncIterator<unknown> | undefined;
  #state: JsonValue = null;
  #consumed = 0;

  constructor(dataset: DatasetLike) {
    this.#dataset = dataset;
  }

  get isOpen(): boolean {
    return this.#iterator !== undefined;
  }

  /** A new iterator, from `state` when given, then `skip` batches read and dropped. */
  async open(state?: JsonValue, skip = 0): Promise<void> {
    if (state !== undefined && state !== null) this.#dataset.setState?.(state);
    this.#state = this.#dataset.getState?.() ?? null;
    this.#iterator = await this.#dataset.iterator();
    this.#consumed = 0;
    while (this.#consumed < skip) {
      if ((await this.next()).done) {
        throw new ConfigError(
          `fitDataset: the checkpoint was written after ${skip} batches of this pass, but the ` +
            `dataset now ends after ${this.#consumed}: it is not the same data. Fix: resume ` +
            'with the same dataset, or use another checkpoint dir to start afresh.',
        );
      }
    }
  }

  async next(): Promise<IteratorResult<unknown>> {
    const result = await this.#iterator!.next();
    if (!result.done) this.#consumed++;
    return result;
  }

  /** Closes the iterator (and the file it reads); the next pass will make a new one. */
  async close(): Promise<void> {
    const iterator = this.#iterator;
    this.#iterator = undefined;
    await iterator?.return?.();
  }

  /** Where the stream stands, for a checkpoint. */
  position(): { state: JsonValue; consumed: number } {
    return this.#iterator
      ? { state: this.#state, consumed: this.#consumed }
      : { state: this.#dataset.getState?.() ?? null, consumed: 0 };
  }
}
