import { ConfigError, describe } from '../errors.js';
import { stack } from '../ops/index.js';
import { fromArray, tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { Stream } from './iterators.js';

/**
 * Dataset.batch: groups of `batchSize` consecutive elements made into one element of the same
 * structure, as TF.js: at each leaf, Tensors are stacked (a new first axis), and numbers,
 * booleans, arrays of numbers and typed arrays become one tensor whose first axis is the
 * batch; plain objects and arrays of Tensors/objects are batched key by key.
 */

export async function* batchStream<T>(
  source: Stream<T>,
  batchSize: number,
  smallLastBatch: boolean,
): Stream<unknown> {
  let rows: T[] = [];
  for await (const value of source) {
    rows.push(value);
    if (rows.length === batchSize) {
      const batch = batchRows(rows, 'element');
      rows = [];
      yield batch;
    }
  }
  if (rows.length > 0 && smallLastBatch) yield batchRows(rows, 'element');
}

function isLeafArray(value: unknown[]): boolean {
  // An array of numbers (or nested arrays of numbers) is one leaf; an array of tensors or
  // objects is a structure batched position by position.
  let v: unknown = value;
  while (Array.isArray(v)) v = v[0];
  return v === undefined || typeof v === 'number' || typeof v === 'boolean';
}

/** The rows at one position of the structure (`path` names it in errors) made into a batch. */
export function batchRows(rows: readonly unknown[], path: string): unknown {
  const first = rows[0];
  if (first instanceof Tensor) {
    const bad = rows.findIndex((r) => !(r instanceof Tensor));
    if (bad >= 0) throw mixed(path, bad, rows[bad], 'a Tensor');
    return stack(rows as Tensor[]);
  }
  if (typeof first === 'number' || typeof first === 'boolean' || ArrayBuffer.isView(first)) {
    return leaf(rows, path);
  }
  if (Array.isArray(first)) {
    if (isLeafArray(first)) return leaf(rows, path);
    return first.map((_, i) =>
      batchRows(
        rows.map((r, j) => {
          if (!Array.isArray(r)) throw mixed(path, j, r, 'an array');
          return r[i];
        }),
        `${path}[${i}]`,
      ),
    );
  }
  if (first !== null && typeof first === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = batchRows(
        rows.map((r, j) => {
          if (r === null || typeof r !== 'object') throw mixed(path, j, r, 'an object');
          return (r as Record<string, unknown>)[key];
        }),
        `${path}.${key}`,
      );
    }
    return out;
  }
  throw unbatchable(path, first);
}

function leaf(rows: readonly unknown[], path: string): Tensor {
  const flat = flatRows(rows);
  if (flat) return flat;
  const values = rows.map((r, j) => {
    if (r === undefined || r === null || typeof r === 'string') throw unbatchable(path, r, j);
    return ArrayBuffer.isView(r) ? Array.from(r as Float32Array) : r;
  });
  return tensor(values as number[]);
}

function mixed(path: string, index: number, value: unknown, expected: string): ConfigError {
  return new ConfigError(
    `Dataset.batch: at ${path}, row ${index} of the batch is ${describe(value)} but the first ` +
      `row is ${expected}; every element must have the same structure.`,
  );
}

function unbatchable(path: string, value: unknown, row = 0): ConfigError {
  const fix =
    value === undefined || value === null
      ? 'a missing value (an empty CSV field gives undefined, as TF.js): give the column a ' +
        'default in columnConfigs ({ default: 0 }), or drop such rows with .filter() before .batch()'
      : typeof value === 'string'
        ? 'a string: sinew tensors are numeric; turn it into a number with .map() before .batch()'
        : 'not a Tensor, a number, an array of numbers or an object of those';
  return new ConfigError(
    `Dataset.batch: at ${path}, row ${row} of the batch is ${describe(value)}, ${fix}.`,
  );
}

/**
 * The common case, rows of numbers or flat arrays of numbers of one length (a CSV row's
 * values), written straight into one float32 array; undefined otherwise (tensor() then
 * infers the shape and dtype, and reports what is wrong).
 */
function flatRows(rows: readonly unknown[]): Tensor | undefined {
  const first = rows[0];
  const width = typeof first === 'number' ? 0 : Array.isArray(first) ? first.length : -1;
  if (width < 0) return undefined;
  const out = new Float32Array(rows.length * Math.max(width, 1));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (width === 0) {
      if (typeof row !== 'number') return undefined;
      out[i] = row;
      continue;
    }
    if (!Array.isArray(row) || row.length !== width) return undefined;
    for (let j = 0; j < width; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number') return undefined;
      out[i * width + j] = v;
    }
  }
  return fromArray(out, width === 0 ? [rows.length] : [rows.length, width], 'float32');
}
