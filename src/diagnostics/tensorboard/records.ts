import { SinewError } from '../../errors.js';
import { maskedCrc32c } from './crc32c.js';

/**
 * TFRecord framing (tensorflow/core/lib/io/record_writer.cc). Each record is
 *
 *   uint64  length                  little-endian
 *   uint32  masked crc32c(length)   of the 8 length bytes
 *   byte    data[length]
 *   uint32  masked crc32c(data)
 *
 * and a file is records back to back, with no header or index.
 */
const HEADER = 12;
const FOOTER = 4;

/** `data` framed as one TFRecord. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + data.length + FOOTER);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, HEADER);
  view.setUint32(HEADER + data.length, maskedCrc32c(data), true);
  return out;
}

export interface ParseRecordsOptions {
  /**
   * Accept a last record cut short (a writer that crashed mid-append leaves one; TensorBoard
   * ignores it). Default false: a truncated tail throws.
   */
  allowTruncatedTail?: boolean;
}

/**
 * The payloads of the TFRecords in `bytes`, each checked against both CRCs. A mismatch, or a
 * truncated record (unless allowed), throws a SinewError naming `what` and the byte offset.
 */
export function parseRecords(
  bytes: Uint8Array,
  what: string,
  options: ParseRecordsOptions = {},
): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const truncated = (): SinewError | undefined =>
      options.allowTruncatedTail
        ? undefined
        : new SinewError(
            `${what}: the record at byte ${offset} is truncated (the file ends at byte ${bytes.length}); ` +
              `the writer probably stopped mid-write. TensorBoard ignores such a tail; ` +
              `pass { allowTruncatedTail: true } to read the complete records.`,
          );
    if (offset + HEADER > bytes.length) {
      const error = truncated();
      if (error) throw error;
      break;
    }
    const lengthBytes = bytes.subarray(offset, offset + 8);
    checkCrc(view.getUint32(offset + 8, true), maskedCrc32c(lengthBytes), what, 'length', offset);
    const length = view.getBigUint64(offset, true);
    const end = BigInt(offset + HEADER) + length + BigInt(FOOTER);
    if (end > BigInt(bytes.length)) {
      const error = truncated();
      if (error) throw error;
      break;
    }
    const start = offset + HEADER;
    const data = bytes.subarray(start, start + Number(length));
    checkCrc(view.getUint32(start + data.length, true), maskedCrc32c(data), what, 'data', offset);
    records.push(data);
    offset = Number(end);
  }
  return records;
}

function checkCrc(
  stored: number,
  computed: number,
  what: string,
  part: 'length' | 'data',
  offset: number,
): void {
  if (stored === computed) return;
  const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
  throw new SinewError(
    `${what}: the ${part} checksum of the record at byte ${offset} does not match ` +
      `(stored ${hex(stored)}, computed ${hex(computed)}); the file is corrupt.`,
  );
}
