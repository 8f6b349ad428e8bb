import { SinewError } from '../../errors.js';

/**
 * The little of the protocol buffer wire format that TensorBoard event files need, written
 * from the encoding spec (protobuf.dev/programming-guides/encoding): a key is the varint
 * `(field << 3) | wireType`; wire type 0 is a varint (int64, enums), 1 a little-endian
 * 64-bit value (double), 2 a varint length then that many bytes (strings, nested messages,
 * packed repeated scalars), 5 a little-endian 32-bit value (float).
 */
export const WireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

const utf8 = new TextEncoder();

/** Builds one message, field by field, into a growing buffer. Writes every field it is given. */
export class ProtoWriter {
  #buffer = new Uint8Array(64);
  #view = new DataView(this.#buffer.buffer);
  #length = 0;

  /** A varint field (int64, uint64, int32 >= 0, bool). Negative numbers take ten bytes. */
  int64(field: number, value: number): this {
    this.#key(field, WireType.varint);
    this.#varint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  /** A double field: eight bytes, little-endian. */
  double(field: number, value: number): this {
    this.#key(field, WireType.fixed64);
    this.#reserve(8);
    this.#view.setFloat64(this.#length, value, true);
    this.#length += 8;
    return this;
  }

  /** A float field: four bytes, little-endian (the value is rounded to float32). */
  float(field: number, value: number): this {
    this.#key(field, WireType.fixed32);
    this.#reserve(4);
    this.#view.setFloat32(this.#length, value, true);
    this.#length += 4;
    return this;
  }

  /** A string field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** A bytes field, or an embedded message given as its encoded bytes. */
  bytes(field: number, value: Uint8Array): this {
    this.#key(field, WireType.lengthDelimited);
    this.#varint(BigInt(value.length));
    this.#reserve(value.length);
    this.#buffer.set(value, this.#length);
    this.#length += value.length;
    return this;
  }

  /** A packed repeated double field: one length, then eight little-endian bytes per value. */
  packedDoubles(field: number, values: readonly number[]): this {
    this.#key(field, WireType.lengthDelimited);
    this.#varint(BigInt(values.length * 8));
    this.#reserve(values.length * 8);
    for (const v of values) {
      this.#view.setFloat64(this.#length, v, true);
      this.#length += 8;
    }
    return this;
  }

  /** The encoded message (a copy of the written bytes). */
  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }

  #key(field: number, wireType: number): void {
    this.#varint(BigInt(field) * 8n + BigInt(wireType));
  }

  /** Seven bits per byte, least significant group first; the high bit marks "more follows". */
  #varint(value: bigint): void {
    this.#reserve(10);
    let v = value;
    while (v >= 0x80n) {
      this.#buffer[this.#length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buffer[this.#length++] = Number(v);
  }

  #reserve(n: number): void {
    if (this.#length + n <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < this.#length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }
}

/** A field's key as read: its number and wire type. */
export interface FieldKey {
  field: number;
  wireType: number;
}

/**
 * Reads one message field by field: call `next()` for each key, then the reader matching the
 * field's type, or `skip` for a field you do not know (unknown fields are legal protobuf).
 * Malformed input throws a SinewError naming `what` and the byte offset.
 */
export class ProtoReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #what: string;
  #offset = 0;

  constructor(bytes: Uint8Array, what: string) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#what = what;
  }

  /** The next field's key, or undefined at the end of the message. */
  next(): FieldKey | undefined {
    if (this.#offset >= this.#bytes.length) return undefined;
    const key = this.varint();
    return { field: Number(key >> 3n), wireType: Number(key & 7n) };
  }

  /** An unsigned varint as a bigint (up to ten bytes). */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.#byte();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw this.#error('a varint longer than ten bytes');
  }

  /** An int64 varint as a number (two's complement, so negative values come back negative). */
  int64(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }

  double(): number {
    this.#need(8);
    const v = this.#view.getFloat64(this.#offset, true);
    this.#offset += 8;
    return v;
  }

  float(): number {
    this.#need(4);
    const v = this.#view.getFloat32(this.#offset, true);
    this.#offset += 4;
    return v;
  }

  /** A length-delimited field's bytes (a view into the input, not a copy). */
  bytes(): Uint8Array {
    const length = Number(this.varint());
    this.#need(length);
    const out = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  string(): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes());
  }

  /** A repeated double field: packed (wire type 2) or one value per key (wire type 1). */
  doubles(wireType: number, into: number[]): void {
    if (wireType === WireType.fixed64) into.push(this.double());
    else this.#packed(8, into);
  }

  /** A repeated float field: packed (wire type 2) or one value per key (wire type 5). */
  floats(wireType: number, into: number[]): void {
    if (wireType === WireType.fixed32) into.push(this.float());
    else this.#packed(4, into);
  }

  #packed(size: 4 | 8, into: number[]): void {
    const packed = this.bytes();
    if (packed.length % size !== 0) {
      throw this.#error(`a packed field of ${packed.length} bytes (not a multiple of ${size})`);
    }
    into.push(...littleEndianFloats(packed, size));
  }

  /** Skips a field of the given wire type. */
  skip(wireType: number): void {
    if (wireType === WireType.varint) this.varint();
    else if (wireType === WireType.fixed64) this.#advance(8);
    else if (wireType === WireType.lengthDelimited) this.bytes();
    else if (wireType === WireType.fixed32) this.#advance(4);
    else throw this.#error(`wire type ${wireType} (groups and unknown types are not supported)`);
  }

  #advance(n: number): void {
    this.#need(n);
    this.#offset += n;
  }

  #byte(): number {
    this.#need(1);
    return this.#bytes[this.#offset++]!;
  }

  #need(n: number): void {
    if (this.#offset + n > this.#bytes.length) {
      throw this.#error(`a field running past the end (${n} bytes needed)`);
    }
  }

  #error(found: string): SinewError {
    return new SinewError(
      `Malformed protobuf in ${this.#what}: ${found} at byte ${this.#offset} of ${this.#bytes.length}; ` +
        `the data is corrupt or is not this message type.`,
    );
  }
}

/** The float32 (size 4) or float64 (size 8) little-endian values in `bytes`. */
export function littleEndianFloats(bytes: Uint8Array, size: 4 | 8): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i + size <= bytes.length; i += size) {
    out.push(size === 8 ? view.getFloat64(i, true) : view.getFloat32(i, true));
  }
  return out;
}
