import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SinewError } from '../../errors.js';
import { decodeEvent, encodeEvent } from './events.js';
import { parseEventFile } from './reader.js';
import { frameRecord, parseRecords } from './records.js';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );

// Little-endian IEEE 754 bit patterns, written out by hand.
const DOUBLE_1_5 = [0, 0, 0, 0, 0, 0, 0xf8, 0x3f]; // 0x3ff8000000000000
const DOUBLE_MINUS_1 = [0, 0, 0, 0, 0, 0, 0xf0, 0xbf]; // 0xbff0000000000000
const DOUBLE_0_5 = [0, 0, 0, 0, 0, 0, 0xe0, 0x3f];
const DOUBLE_1 = [0, 0, 0, 0, 0, 0, 0xf0, 0x3f];
const DOUBLE_2 = [0, 0, 0, 0, 0, 0, 0, 0x40];
const DOUBLE_3 = [0, 0, 0, 0, 0, 0, 0x08, 0x40];
const DOUBLE_6 = [0, 0, 0, 0, 0, 0, 0x18, 0x40];
const FLOAT_0_5 = [0, 0, 0, 0x3f]; // 0x3f000000

test('encodeEvent: wall_time (1, fixed64), step (2, varint), file_version (3, string)', () => {
  // key = field << 3 | wire type: 0x09 = 1<<3|1, 0x10 = 2<<3|0, 0x1a = 3<<3|2.
  const expected = bytes([0x09, ...DOUBLE_1_5], [0x10, 0x01], [0x1a, 13], 'brain.Event:2');
  const event = { wallTime: 1.5, step: 1, fileVersion: 'brain.Event:2' };
  assert.deepEqual(encodeEvent(event), expected);
  assert.deepEqual(decodeEvent(expected), event);
  // Varints: 300 = 0b10_0101100 → 0xac 0x02; int64 -1 takes ten bytes.
  assert.deepEqual(encodeEvent({ wallTime: 0, step: 300 }), bytes([0x10, 0xac, 0x02]));
  const minusOne = bytes([0x10, ...Array<number>(9).fill(0xff), 0x01]);
  assert.deepEqual(encodeEvent({ wallTime: 0, step: -1 }), minusOne);
  assert.equal(decodeEvent(minusOne).step, -1);
});

test('encodeEvent: a summary with a scalar (simple_value 2, fixed32) and a histogram (histo 5)', () => {
  // Value { tag: "loss" (0a 04 ...), simple_value: 0.5 (15 + float) } = 11 bytes.
  const scalar = bytes([0x0a, 4], 'loss', [0x15, ...FLOAT_0_5]);
  assert.equal(scalar.length, 11);
  // HistogramProto: min 1, max 2, num 3, sum 4, sum_squares 5 (keys 09 11 19 21 29), then
  // bucket_limit 6 and bucket 7 packed (keys 32 3a, length 16 = two doubles).
  const histo = bytes(
    [0x09, ...DOUBLE_MINUS_1, 0x11, ...DOUBLE_2, 0x19, ...DOUBLE_3],
    [0x21, ...DOUBLE_1, 0x29, ...DOUBLE_6],
    [0x32, 16, ...DOUBLE_0_5, ...DOUBLE_2, 0x3a, 16, ...DOUBLE_1, ...DOUBLE_2],
  );
  const histoValue = bytes([0x0a, 1], 'w', [0x2a, histo.length], [...histo]);
  const summary = bytes([0x0a, scalar.length, ...scalar, 0x0a, histoValue.length, ...histoValue]);
  // Event: step 2, summary (field 5, key 0x2a); wall_time 0 is proto3's default, left out.
  const expected = bytes([0x10, 0x02, 0x2a, summary.length, ...summary]);
  const event = {
    wallTime: 0,
    step: 2,
    summary: [
      { tag: 'loss', simpleValue: 0.5 },
      {
        tag: 'w',
        histo: {
          min: -1,
          max: 2,
          num: 3,
          sum: 1,
          sumSquares: 6,
          bucketLimit: [0.5, 2],
          bucket: [1, 2],
        },
      },
    ],
  };
  assert.deepEqual(encodeEvent(event), expected);
  assert.deepEqual(decodeEvent(expected), event);
  // simple_value is a oneof member: 0 is still written, or the value would not be a scalar.
  assert.deepEqual(
    encodeEvent({ wallTime: 0, step: 0, summary: [{ tag: 'a', simpleValue: 0 }] }),
    // Value: 0a 01 'a' 15 + 4 bytes = 8 bytes; Summary: 0a 08 + 8 = 10 bytes.
    bytes([0x2a, 10, 0x0a, 8, 0x0a, 1], 'a', [0x15, 0, 0, 0, 0]),
  );
});

// A real event file written by TensorFlow for tf.summary.scalar("accuracy", 0.99, step=77),
// dumped with xxd in tensorflow/tensorboard's data/server/tf_record.rs tests.
const TF_RECORD_1 = bytes(
  [0x18, 0, 0, 0, 0, 0, 0, 0, 0xa3, 0x7f, 0x4b, 0x22],
  [0x09, 0x00, 0x00, 0x80, 0x38, 0x99, 0xd6, 0xd7, 0x41, 0x1a, 0x0d],
  'brain.Event:2',
  [0x12, 0x4b, 0x36, 0xab],
);
const TF_RECORD_2 = bytes(
  [0x32, 0, 0, 0, 0, 0, 0, 0, 0x24, 0x19, 0x56, 0xec],
  [0x09, 0xc4, 0x05, 0xb7, 0x3d, 0x99, 0xd6, 0xd7, 0x41, 0x10, 0x4d, 0x2a, 0x25],
  [0x0a, 0x23, 0x0a, 0x08],
  'accuracy',
  [0x42, 0x0a, 0x08, 0x01, 0x12, 0x00, 0x22, 0x04, 0xa4, 0x70, 0x7d, 0x3f, 0x4a],
  [0x0b, 0x0a, 0x09, 0x0a, 0x07],
  'scalars',
  [0xa5, 0x5b, 0x64, 0x33],
);
const TF_FILE = bytes([...TF_RECORD_1, ...TF_RECORD_2]);

test('a real TensorFlow event file: its first record is byte-for-byte what sinew writes', () => {
  const wallTime = new DataView(TF_RECORD_1.buffer).getFloat64(13, true);
  const ours = frameRecord(encodeEvent({ wallTime, step: 0, fileVersion: 'brain.Event:2' }));
  assert.deepEqual(ours, TF_RECORD_1);
});

test('a real TensorFlow event file reads back: versions, step, tag, tensor scalar, plugin', () => {
  const events = parseEventFile(TF_FILE, 'tf.tfevents');
  assert.equal(events.length, 2);
  assert.equal(events[0]!.fileVersion, 'brain.Event:2');
  assert.equal(events[1]!.step, 77);
  assert.ok(Math.abs(events[1]!.wallTime - events[0]!.wallTime) < 60);
  assert.deepEqual(events[1]!.summary, [
    { tag: 'accuracy', tensor: [Math.fround(0.99)], pluginName: 'scalars' },
  ]);
});

test('the reader checks both CRCs and refuses a truncated tail unless told otherwise', () => {
  for (const [offset, part] of [
    [2, 'length'],
    [20, 'data'],
    [TF_RECORD_1.length + 30, 'data'],
    [TF_FILE.length - 1, 'data'], // the data CRC itself
  ] as const) {
    const corrupt = TF_FILE.slice();
    corrupt[offset]! ^= 0x01;
    assert.throws(
      () => parseEventFile(corrupt, 'bad.tfevents'),
      (e: unknown) =>
        e instanceof SinewError &&
        e.message.includes(`the ${part} checksum`) &&
        e.message.includes('bad.tfevents'),
      `flipped byte ${offset}`,
    );
  }
  const cut = TF_FILE.slice(0, TF_FILE.length - 7);
  assert.throws(() => parseEventFile(cut), /truncated.*allowTruncatedTail/s);
  assert.equal(parseEventFile(cut, 'cut', { allowTruncatedTail: true }).length, 1);
  // Cut inside the second header, too.
  const cutHeader = TF_FILE.slice(0, TF_RECORD_1.length + 5);
  assert.equal(parseRecords(cutHeader, 'cut', { allowTruncatedTail: true }).length, 1);
  assert.throws(() => parseRecords(cutHeader, 'cut'), SinewError);
});

test('frameRecord then parseRecords returns the payloads, including an empty one', () => {
  const payloads = [
    bytes('hello'),
    new Uint8Array(0),
    Uint8Array.from({ length: 300 }, (_, i) => i % 256),
  ];
  const file = bytes(...payloads.map((p) => [...frameRecord(p)]));
  assert.equal(
    file.length,
    payloads.reduce((n, p) => n + 16 + p.length, 0),
  );
  assert.deepEqual(parseRecords(file, 'x'), payloads);
});
