/**
 * CRC-32C (Castagnoli), the checksum of TFRecord files, and TensorFlow's masking of it.
 *
 * Table-driven, one byte at a time, reflected polynomial 0x82F63B78 (the bit-reversal of
 * 0x1EDC6F41), initial value and final xor 0xFFFFFFFF. Check value: crc32c("123456789") =
 * 0xE3069283.
 */

const POLYNOMIAL = 0x82f63b78;

/** TABLE[b] is the CRC register after shifting byte b through eight polynomial steps. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let b = 0; b < 256; b++) {
    let crc = b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    table[b] = crc >>> 0;
  }
  return table;
})();

/** The CRC-32C of `bytes`, as an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's mask delta (record_writer.cc, crc32c.h). */
const MASK_DELTA = 0xa282ead8;

/**
 * TensorFlow's masked CRC: rotate right by 15 bits, then add 0xa282ead8 (mod 2^32). Masking
 * keeps the CRC of a string that embeds CRCs from being degenerate (as LevelDB explains).
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** The masked CRC-32C of `bytes`, as stored in a TFRecord. */
export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc(crc32c(bytes));
}
