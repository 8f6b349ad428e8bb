import { describe, SerializationError } from '../../errors.js';
import { tensor } from '../../tensor/creation.js';
import type { DType } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * The two encodings of a checkpoint: tensors as their exact bytes (every dtype, float64
 * included, so that a resumed run is bit-identical), and JSON that keeps NaN, ±Infinity and
 * −0 (JSON.stringify would turn them into null and 0).
 */

export interface TensorSpec {
  name: string;
  /** 'model' for model weights, 'optimizer' for optimizer slots. */
  group: 'model' | 'optimizer';
  shape: number[];
  dtype: DType;
}

export interface NamedTensor {
  name: string;
  group: TensorSpec['group'];
  tensor: Tensor;
}

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The tensors' specs and their values, one after another, in the machine's byte order. */
export function encodeTensors(tensors: readonly NamedTensor[]): {
  specs: TensorSpec[];
  data: Uint8Array;
} {
  const parts = tensors.map(({ tensor: t }) => {
    const values = t.dataSync();
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  });
  const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.byteLength;
  }
  const specs = tensors.map(({ name, group, tensor: t }) => ({
    name,
    group,
    shape: [...t.shape],
    dtype: t.dtype,
  }));
  return { specs, data };
}

/** The tensors of `specs`, read from `data`; a spec or a size that does not fit throws. */
export function decodeTensors(specs: unknown, data: Uint8Array, where: string): NamedTensor[] {
  if (!Array.isArray(specs)) {
    throw damaged(where, `tensors must be a list, received ${describe(specs)}`);
  }
  let offset = 0;
  const out = specs.map((raw: unknown) => {
    const s = raw as Partial<TensorSpec>;
    const ok =
      typeof s === 'object' &&
      s !== null &&
      typeof s.name === 'string' &&
      (s.group === 'model' || s.group === 'optimizer') &&
      Array.isArray(s.shape) &&
      s.shape.every((d) => Number.isInteger(d) && d >= 0) &&
      typeof s.dtype === 'string' &&
      Object.hasOwn(BYTES, s.dtype);
    if (!ok) throw damaged(where, `bad tensor spec ${describe(raw)}`);
    const spec = s as TensorSpec;
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = size * BYTES[spec.dtype];
    if (offset + bytes > data.byteLength) {
      throw damaged(where, `the data ends before tensor '${spec.name}'`);
    }
    const copy = data.slice(offset, offset + bytes);
    offset += bytes;
    const Array_ = {
      float32: Float32Array,
      float64: Float64Array,
      int32: Int32Array,
      bool: Uint8Array,
    }[spec.dtype];
    const values = new Array_(copy.buffer, 0, size);
    return { name: spec.name, group: spec.group, tensor: tensor(values, spec.shape, spec.dtype) };
  });
  if (offset !== data.byteLength) {
    throw damaged(where, `the data has ${data.byteLength} bytes, the specs ${offset}`);
  }
  return out;
}

export function damaged(where: string, problem: string): SerializationError {
  return new SerializationError(
    `${where}: the checkpoint is damaged (${problem}). Fix: delete the checkpoint directory to ` +
      'start the run afresh.',
  );
}

/** Marks the numbers JSON cannot hold. */
const SPECIAL = '$number';

/** JSON text of `value`, keeping NaN, Infinity, -Infinity and -0. */
export function stringifyExact(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'number') return v;
    if (Number.isNaN(v)) return { [SPECIAL]: 'NaN' };
    if (v === Infinity) return { [SPECIAL]: 'Infinity' };
    if (v === -Infinity) return { [SPECIAL]: '-Infinity' };
    if (Object.is(v, -0)) return { [SPECIAL]: '-0' };
    return v;
  });
}

/** The value stringifyExact wrote. */
export function parseExact(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const special = (v as Record<string, unknown>)[SPECIAL];
      if (keys.length === 1 && typeof special === 'string') return Number(special);
    }
    return v;
  });
}

export { LITTLE_ENDIAN };
