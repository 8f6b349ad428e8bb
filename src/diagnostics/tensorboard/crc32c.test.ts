import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, maskCrc, maskedCrc32c } from './crc32c.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

test('crc32c matches the published check value and the RFC 3720 (iSCSI) vectors', () => {
  // The CRC catalogue's check value for CRC-32C (CRC-32/ISCSI).
  assert.equal(crc32c(ascii('123456789')), 0xe3069283);
  // RFC 3720, appendix B.4 "CRC Examples".
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

test('maskCrc rotates right by 15 and adds 0xa282ead8, mod 2^32', () => {
  assert.equal(maskCrc(0), 0xa282ead8);
  // 0xe3069283 >>> 15 = 0x0001c60d; (0x1283 << 17) = 0x25060000; or = 0x2507c60d;
  // + 0xa282ead8 = 0xc78ab0e5.
  assert.equal(maskCrc(0xe3069283), 0xc78ab0e5);
  // The sum wraps: 0xffffffff rotated is 0xffffffff, + delta = 0xa282ead7 (mod 2^32).
  assert.equal(maskCrc(0xffffffff), 0xa282ead7);
});

test('maskedCrc32c equals checksums taken from real TensorFlow event files', () => {
  // tensorflow/tensorboard data/server/masked_crc.rs: the record of
  // Event(file_version="CRC test, one two") written by TensorFlow.
  assert.equal(maskedCrc32c(ascii('\x1a\x11CRC test, one two')), 0x5794d08a);
  // data/server/tf_record.rs: the length field 24 (u64 little-endian) has masked CRC 0x224b7fa3.
  assert.equal(maskedCrc32c(Uint8Array.of(0x18, 0, 0, 0, 0, 0, 0, 0)), 0x224b7fa3);
});
