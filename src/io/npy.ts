import { describe, SerializationError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from '../util/atomic.js';

/**
 * numpy's `.npy` format, version 1.0: the magic `\x93NUMPY`, the version bytes 1 and 0, a
 * little-endian uint16 header length, an ASCII Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces and ended by
 * a newline so that the data starts at a multiple of 64 bytes, then the values in C order.
 */

const DESCR = { float32: '<f4', float64: '<f8', int32: '<i4', bool: '|b1' } as const;
const BYTES = { float32: 4, float64: 8, int32: 4, bool: 1 } as const;

/** The bytes of a `.npy` file holding `t` (its dtype kept: float32 → <f4, bool → |b1). */
export function encodeNpy(t: Tensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '${DESCR[t.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const values = t.dataSync();
  const size = BYTES[t.dtype];
  const out = new Uint8Array(10 + header.length + values.length * size);
  out.set([0x93, ...Buffer.from('NUMPY', 'latin1'), 1, 0], 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  const start = 10 + header.length;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (t.dtype === 'float64') view.setFloat64(start + i * 8, v, true);
    else if (t.dtype === 'float32') view.setFloat32(start + i * 4, v, true);
    else if (t.dtype === 'int32') view.setInt32(start + i * 4, v, true);
    else view.setUint8(start + i, v ? 1 : 0);
  }
  return out;
}

/**
 * Writes `tensor` to `path` as a numpy `.npy` file (format 1.0), atomically:
 * `await sn.io.saveNpy(xTrain, 'data/x.npy')`; numpy reads it with `numpy.load('data/x.npy')`.
 */
export async function saveNpy(tensor: Tensor, path: string): Promise<void> {
  if (!(tensor instanceof Tensor)) {
    throw new SerializationError(
      `saveNpy: expected a tensor as the first argument, received ${describe(tensor)}.`,
    );
  }
  if (typeof path !== 'string' || path === '') {
    throw new SerializationError(
      `saveNpy: expected a file path as the second argument, received ${describe(path)}; e.g. 'x.npy'.`,
    );
  }
  await writeFileAtomic(path, encodeNpy(tensor));
}
