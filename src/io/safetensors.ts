import { describe, SerializationError } from '../errors.js';
import { tensor } from '../tensor/creation.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from '../util/atomic.js';

/**
 * The safetensors format (Hugging Face's, read by PyTorch, JAX and others): an 8-byte
 * little-endian unsigned header length N, N bytes of UTF-8 JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: { key: string } }`,
 * then the raw little-endian data, each tensor's bytes at [begin, end) counted from the end of
 * the header. The header is padded with spaces to a multiple of 8 bytes, as the reference
 * writer does. sinew writes F32, F64 and I32 (bool as I32) and reads the same three.
 */

const DTYPES = { F32: 'float32', F64: 'float64', I32: 'int32' } as const satisfies Record<
  string,
  DType
>;
type SafeDType = keyof typeof DTYPES;
const BYTES: Record<SafeDType, number> = { F32: 4, F64: 8, I32: 4 };
/** A header larger than this is refused before it is decoded (the reference reader's limit). */
const MAX_HEADER = 100_000_000;

/** One tensor read from a safetensors file. */
export interface SafetensorsEntry {
  name: string;
  tensor: Tensor;
}

function safeDType(dtype: DType): SafeDType {
  return dtype === 'float64' ? 'F64' : dtype === 'float32' ? 'F32' : 'I32';
}

/** The bytes of a safetensors file holding `entries` in order (names must be unique). */
export function encodeSafetensors(
  entries: readonly SafetensorsEntry[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const { name, tensor: t } of entries) {
    if (name in header) {
      throw new SerializationError(
        `safetensors: the name '${name}' is given twice; every tensor needs its own name.`,
      );
    }
    const dtype = safeDType(t.dtype);
    const values = t.dataSync();
    const bytes = new Uint8Array(values.length * BYTES[dtype]);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (dtype === 'F64') view.setFloat64(i * 8, v, true);
      else if (dtype === 'F32') view.setFloat32(i * 4, v, true);
      else view.setInt32(i * 4, v, true);
    }
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    parts.push(bytes);
  }
  let json = JSON.stringify(header);
  const length = Buffer.byteLength(json, 'utf8');
  json += ' '.repeat((8 - ((8 + length) % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Writes `entries` to `file` atomically (temporary file, fsync, rename). */
export async function writeSafetensors(
  file: string,
  entries: readonly SafetensorsEntry[],
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(file, encodeSafetensors(entries, metadata));
}

interface HeaderEntry {
  dtype: SafeDType;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Decodes the bytes of a safetensors file, checking everything before any tensor is made:
 * the header length against the file, the JSON, each entry's dtype, shape and offsets, the
 * offsets against the data. `where` names the file in errors.
 */
export function decodeSafetensors(bytes: Uint8Array, where: string): SafetensorsEntry[] {
  const bad = (problem: string, fix = 'the file is damaged or cut off; write it again') =>
    new SerializationError(`${where}: not a valid safetensors file: ${problem}. Fix: ${fix}.`);
  if (bytes.length < 8) {
    throw bad(
      `it has ${bytes.length} bytes, fewer than the 8 of the header length (a truncated header)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const claimed = view.getBigUint64(0, true);
  if (claimed > BigInt(bytes.length - 8) || claimed > BigInt(MAX_HEADER)) {
    throw bad(
      `the header claims ${claimed} bytes but the file has ${bytes.length - 8} after the ` +
        'length (a truncated header)',
    );
  }
  const headerLength = Number(claimed);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
  } catch (e) {
    throw bad(`its header is not JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw bad(`its header is ${describe(parsed)}, expected a JSON object`);
  }
  const dataLength = bytes.length - 8 - headerLength;
  const entries: [string, HeaderEntry][] = [];
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    entries.push([name, checkEntry(name, raw, dataLength, bad)]);
  }
  // The data regions may not overlap (the reference writer packs them in order).
  const sorted = [...entries].sort((a, b) => a[1].begin - b[1].begin);
  for (let i = 1; i < sorted.length; i++) {
    const [prevName, prev] = sorted[i - 1]!;
    const [name, entry] = sorted[i]!;
    if (entry.begin < prev.end) {
      throw bad(`the data of '${name}' overlaps the data of '${prevName}'`);
    }
  }
  const start = bytes.byteOffset + 8 + headerLength;
  return entries.map(([name, e]) => {
    const count = e.end - e.begin === 0 ? 0 : (e.end - e.begin) / BYTES[e.dtype];
    const data = new DataView(bytes.buffer, start + e.begin, e.end - e.begin);
    const values =
      e.dtype === 'F64'
        ? Float64Array.from({ length: count }, (_, i) => data.getFloat64(i * 8, true))
        : e.dtype === 'F32'
          ? Float32Array.from({ length: count }, (_, i) => data.getFloat32(i * 4, true))
          : Int32Array.from({ length: count }, (_, i) => data.getInt32(i * 4, true));
    return { name, tensor: tensor(values, e.shape, DTYPES[e.dtype]) };
  });
}

function checkEntry(
  name: string,
  raw: unknown,
  dataLength: number,
  bad: (problem: string, fix?: string) => SerializationError,
): HeaderEntry {
  const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const dtype = entry.dtype;
  if (typeof dtype !== 'string' || !(dtype in DTYPES)) {
    throw bad(
      `'${name}' has dtype ${describe(dtype)}; sinew reads ${Object.keys(DTYPES).join(', ')}`,
      'convert the tensor to float32 before saving it (tensor.float() in PyTorch)',
    );
  }
  const shape = entry.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw bad(`'${name}' has shape ${describe(shape)}, expected a list of integers >= 0`);
  }
  const offsets = entry.data_offsets;
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0) ||
    (offsets[0] as number) > (offsets[1] as number)
  ) {
    throw bad(
      `'${name}' has data_offsets ${describe(offsets)}, expected [begin, end] with begin <= end`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const size = BYTES[dtype as SafeDType] * (shape as number[]).reduce((a, b) => a * b, 1);
  if (end - begin !== size) {
    throw bad(
      `'${name}' is ${dtype} of shape [${shape.join(', ')}] (${size} bytes) but its ` +
        `data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  if (end > dataLength) {
    throw bad(
      `'${name}' claims bytes up to ${end} of the data, but the file holds ${dataLength} ` +
        'after its header (the file is cut off)',
    );
  }
  return { dtype: dtype as SafeDType, shape: shape as number[], begin, end };
}

/** Reads and decodes a safetensors file (a regular file; its size is checked as it is read). */
export async function readSafetensors(file: string): Promise<SafetensorsEntry[]> {
  const fs = await import('node:fs/promises');
  let info;
  try {
    info = await fs.stat(file);
  } catch (e) {
    throw new SerializationError(
      `${file}: cannot read the safetensors file (${(e as Error).message}). Fix: check the path.`,
      { cause: e },
    );
  }
  if (!info.isFile()) {
    throw new SerializationError(
      `${file}: expected a safetensors file, found ${info.isDirectory() ? 'a directory' : 'something that is not a regular file'}. ` +
        'Fix: pass the path of the .safetensors file itself.',
    );
  }
  return decodeSafetensors(new Uint8Array(await fs.readFile(file)), file);
}
