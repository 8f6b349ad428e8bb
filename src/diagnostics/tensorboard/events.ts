import { littleEndianFloats, ProtoReader, ProtoWriter, WireType } from './protobuf.js';

/**
 * The TensorBoard messages sinew writes and reads, with their field numbers from
 * tensorboard/compat/proto/{event,summary,histogram,tensor}.proto:
 *
 *   Event           wall_time double = 1; step int64 = 2; oneof { file_version string = 3;
 *                   summary Summary = 5; ... }
 *   Summary         repeated Value value = 1
 *   Summary.Value   tag string = 1; metadata SummaryMetadata = 9; oneof { simple_value float = 2;
 *                   histo HistogramProto = 5; tensor TensorProto = 8; ... }
 *   HistogramProto  min = 1, max = 2, num = 3, sum = 4, sum_squares = 5 (doubles);
 *                   bucket_limit = 6, bucket = 7 (packed repeated doubles). Bucket i counts
 *                   values between bucket_limit[i-1] (-DBL_MAX for i = 0) and bucket_limit[i].
 *
 * Encoding follows proto3: wall_time, step and the histogram numbers are left out when zero
 * (their default), while a oneof member (file_version, simple_value, histo) is always written,
 * since its presence says which member is set.
 */

/** A HistogramProto. */
export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edge of each bucket. */
  bucketLimit: number[];
  /** Count of each bucket. */
  bucket: number[];
}

/** One Summary.Value: a tag and its scalar, histogram or (read only) tensor. */
export interface SummaryValue {
  tag: string;
  simpleValue?: number;
  histo?: Histogram;
  /** When read: the values of a DT_FLOAT or DT_DOUBLE `tensor` value (TensorFlow 2 writes scalars so). */
  tensor?: number[];
  /** When read: metadata.plugin_data.plugin_name ('scalars', 'histograms', ...), if present. */
  pluginName?: string;
}

/** One Event record of an event file. */
export interface TensorBoardEvent {
  /** Seconds since the Unix epoch. */
  wallTime: number;
  step: number;
  /** Set on the first event of a file: 'brain.Event:2'. */
  fileVersion?: string;
  /** The summary values, when the event carries a summary. */
  summary?: SummaryValue[];
}

/** The file_version of the first event of every event file. */
export const FILE_VERSION = 'brain.Event:2';

export function encodeEvent(event: TensorBoardEvent): Uint8Array {
  const w = new ProtoWriter();
  if (event.wallTime !== 0) w.double(1, event.wallTime);
  if (event.step !== 0) w.int64(2, event.step);
  if (event.fileVersion !== undefined) w.string(3, event.fileVersion);
  if (event.summary !== undefined) {
    const summary = new ProtoWriter();
    for (const value of event.summary) summary.bytes(1, encodeValue(value));
    w.bytes(5, summary.finish());
  }
  return w.finish();
}

function encodeValue(value: SummaryValue): Uint8Array {
  const w = new ProtoWriter().string(1, value.tag);
  if (value.simpleValue !== undefined) w.float(2, value.simpleValue);
  if (value.histo !== undefined) w.bytes(5, encodeHistogram(value.histo));
  return w.finish();
}

function encodeHistogram(h: Histogram): Uint8Array {
  const w = new ProtoWriter();
  const scalars = [h.min, h.max, h.num, h.sum, h.sumSquares];
  scalars.forEach((v, i) => {
    if (v !== 0) w.double(i + 1, v);
  });
  if (h.bucketLimit.length > 0) w.packedDoubles(6, h.bucketLimit);
  if (h.bucket.length > 0) w.packedDoubles(7, h.bucket);
  return w.finish();
}

/** Decodes an Event; fields sinew does not know are skipped. */
export function decodeEvent(bytes: Uint8Array, what = 'an Event'): TensorBoardEvent {
  const r = new ProtoReader(bytes, what);
  const event: TensorBoardEvent = { wallTime: 0, step: 0 };
  for (let key = r.next(); key; key = r.next()) {
    if (key.field === 1 && key.wireType === WireType.fixed64) event.wallTime = r.double();
    else if (key.field === 2 && key.wireType === WireType.varint) event.step = r.int64();
    else if (key.field === 3 && key.wireType === WireType.lengthDelimited)
      event.fileVersion = r.string();
    else if (key.field === 5 && key.wireType === WireType.lengthDelimited)
      event.summary = decodeSummary(r.bytes(), what);
    else r.skip(key.wireType);
  }
  return event;
}

function decodeSummary(bytes: Uint8Array, what: string): SummaryValue[] {
  const r = new ProtoReader(bytes, `${what} (Summary)`);
  const values: SummaryValue[] = [];
  for (let key = r.next(); key; key = r.next()) {
    if (key.field === 1 && key.wireType === WireType.lengthDelimited)
      values.push(decodeValue(r.bytes(), what));
    else r.skip(key.wireType);
  }
  return values;
}

function decodeValue(bytes: Uint8Array, what: string): SummaryValue {
  const r = new ProtoReader(bytes, `${what} (Summary.Value)`);
  const value: SummaryValue = { tag: '' };
  for (let key = r.next(); key; key = r.next()) {
    const delimited = key.wireType === WireType.lengthDelimited;
    if (key.field === 1 && delimited) value.tag = r.string();
    else if (key.field === 2 && key.wireType === WireType.fixed32) value.simpleValue = r.float();
    else if (key.field === 5 && delimited) value.histo = decodeHistogram(r.bytes(), what);
    else if (key.field === 8 && delimited) {
      const tensor = decodeTensor(r.bytes(), what);
      if (tensor !== undefined) value.tensor = tensor;
    } else if (key.field === 9 && delimited) {
      const plugin = decodePluginName(r.bytes(), what);
      if (plugin !== undefined) value.pluginName = plugin;
    } else r.skip(key.wireType);
  }
  return value;
}

function decodeHistogram(bytes: Uint8Array, what: string): Histogram {
  const r = new ProtoReader(bytes, `${what} (HistogramProto)`);
  const h: Histogram = {
    min: 0,
    max: 0,
    num: 0,
    sum: 0,
    sumSquares: 0,
    bucketLimit: [],
    bucket: [],
  };
  const scalars = ['min', 'max', 'num', 'sum', 'sumSquares'] as const;
  for (let key = r.next(); key; key = r.next()) {
    const name = scalars[key.field - 1];
    if (name !== undefined && key.wireType === WireType.fixed64) h[name] = r.double();
    else if (key.field === 6) r.doubles(key.wireType, h.bucketLimit);
    else if (key.field === 7) r.doubles(key.wireType, h.bucket);
    else r.skip(key.wireType);
  }
  return h;
}

/** DataType enum values (types.proto) whose tensors the reader turns into numbers. */
const DT_FLOAT = 1;
const DT_DOUBLE = 2;

/** The values of a DT_FLOAT / DT_DOUBLE TensorProto; undefined for other dtypes. */
function decodeTensor(bytes: Uint8Array, what: string): number[] | undefined {
  const r = new ProtoReader(bytes, `${what} (TensorProto)`);
  let dtype = 0;
  let content: Uint8Array | undefined;
  const listed: number[] = [];
  for (let key = r.next(); key; key = r.next()) {
    if (key.field === 1 && key.wireType === WireType.varint) dtype = r.int64();
    else if (key.field === 4 && key.wireType === WireType.lengthDelimited) content = r.bytes();
    else if (key.field === 5) r.floats(key.wireType, listed);
    else if (key.field === 6) r.doubles(key.wireType, listed);
    else r.skip(key.wireType);
  }
  if (dtype !== DT_FLOAT && dtype !== DT_DOUBLE) return undefined;
  return content === undefined ? listed : littleEndianFloats(content, dtype === DT_FLOAT ? 4 : 8);
}

/** SummaryMetadata.plugin_data (1).plugin_name (1). */
function decodePluginName(bytes: Uint8Array, what: string): string | undefined {
  const r = new ProtoReader(bytes, `${what} (SummaryMetadata)`);
  let name: string | undefined;
  for (let key = r.next(); key; key = r.next()) {
    if (key.field === 1 && key.wireType === WireType.lengthDelimited) {
      const inner = new ProtoReader(r.bytes(), `${what} (PluginData)`);
      for (let k = inner.next(); k; k = inner.next()) {
        if (k.field === 1 && k.wireType === WireType.lengthDelimited) name = inner.string();
        else inner.skip(k.wireType);
      }
    } else r.skip(key.wireType);
  }
  return name;
}
