import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { SerializationError } from '../errors.js';

/**
 * Weight data in the TensorFlow.js layers format: each tensor's values, little-endian, one
 * after another in the order of `weightSpecs`. sinew writes float32 and int32 (float64
 * weights are written as float32; TensorFlow.js has no float64).
 */

export type WeightDType = 'float32' | 'int32';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** 'optimizer' for optimizer state (TensorFlow.js's convention); absent for model weights. */
  group?: string;
}

/** One manifest group: the files (relative paths) holding the specs' bytes, concatenated. */
export interface WeightsManifestEntry {
  paths: string[];
  weights: WeightSpec[];
}

export interface NamedTensor {
  name: string;
  tensor: Tensor;
  group?: string;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Specs and concatenated bytes for a list of named tensors. */
export function encodeWeights(tensors: readonly NamedTensor[]): {
  specs: WeightSpec[];
  data: ArrayBuffer;
} {
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const { name, tensor: t, group } of tensors) {
    const dtype: WeightDType = t.dtype === 'int32' || t.dtype === 'bool' ? 'int32' : 'float32';
    const values = t.dataSync();
    const typed = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
    const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
    if (!LITTLE_ENDIAN) swapBytes(bytes);
    parts.push(bytes);
    total += bytes.byteLength;
    specs.push({ name, shape: [...t.shape], dtype, ...(group ? { group } : {}) });
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.byteLength;
  }
  return { specs, data: data.buffer };
}

/** Byte size of one spec's values, after checking its dtype and shape. */
export function specBytes(spec: unknown, where: string): number {
  const s = spec as Partial<WeightSpec> & { quantization?: unknown };
  if (typeof s !== 'object' || s === null || typeof s.name !== 'string') {
    throw new SerializationError(
      `${where}: a weight spec must be { name, shape, dtype }, received ${JSON.stringify(spec)}. Fix: the file is damaged; save the model again.`,
    );
  }
  if (s.quantization !== undefined) {
    throw new SerializationError(
      `${where}: weight '${s.name}' is quantized (${JSON.stringify(s.quantization)}); sinew reads float32 and int32 weights only. ` +
        'Fix: convert the model again without quantization (tensorflowjs_converter without --quantize_*).',
    );
  }
  if (s.dtype !== 'float32' && s.dtype !== 'int32') {
    throw new SerializationError(
      `${where}: weight '${s.name}' has dtype ${JSON.stringify(s.dtype)}; expected 'float32' or 'int32'. ` +
        'Fix: save the model with float32 weights (cast float64 or float16 weights first).',
    );
  }
  const size = Array.isArray(s.shape)
    ? s.shape.reduce(
        (a: number, d: unknown) =>
          Number.isSafeInteger(d) && (d as number) >= 0 ? a * (d as number) : NaN,
        1,
      )
    : NaN;
  if (!Number.isSafeInteger(size * 4)) {
    throw new SerializationError(
      `${where}: weight '${s.name}' has shape ${JSON.stringify(s.shape)}; expected a list of non-negative integers whose product is at most ${Number.MAX_SAFE_INTEGER / 4}. Fix: the file is damaged; save the model again.`,
    );
  }
  return size * 4;
}

/** Reads the tensors of `specs` from `data`, whose length must be exactly the specs' total. */
export function decodeWeights(
  specs: readonly WeightSpec[],
  data: ArrayBuffer,
  where: string,
): NamedTensor[] {
  const expected = specs.reduce((n, s) => n + specBytes(s, where), 0);
  if (data.byteLength !== expected) {
    const what = data.byteLength < expected ? 'truncated' : 'longer than its manifest says';
    throw new SerializationError(
      `${where}: the weight data is ${what}: weightSpecs describe ${expected} bytes, found ${data.byteLength} bytes. ` +
        'Fix: the weights do not belong to this model.json or the file was cut off; copy or save the model again.',
    );
  }
  const out: NamedTensor[] = [];
  let offset = 0;
  for (const spec of specs) {
    const n = specBytes(spec, where);
    const bytes = new Uint8Array(data.slice(offset, offset + n));
    if (!LITTLE_ENDIAN) swapBytes(bytes);
    const values =
      spec.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
    out.push({
      name: spec.name,
      tensor: tensor(values, spec.shape, spec.dtype),
      ...(spec.group ? { group: spec.group } : {}),
    });
    offset += n;
  }
  return out;
}

function swapBytes(bytes: Uint8Array): void {
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]] = [
      bytes[i + 3]!,
      bytes[i + 2]!,
      bytes[i + 1]!,
      bytes[i]!,
    ];
  }
}
