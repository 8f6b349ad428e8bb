import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocArray, type DataArray, type DType } from '../../tensor/dtype.js';
import type { BinaryOp, TensorInfo, UnaryOp } from '../backend.js';
import { binary, cast, erf, unary, where } from './elementwise.js';
import { wrap } from './storage.js';

// Oracles: a naive broadcast that maps every output index to each input's index one
// dimension at a time (no strides, no odometer), on random shapes; hand values for unary
// and cast; erf by Simpson's rule.

function info(values: DataArray, shape: number[]): TensorInfo {
  const dtype: DType =
    values instanceof Float64Array
      ? 'float64'
      : values instanceof Float32Array
        ? 'float32'
        : values instanceof Int32Array
          ? 'int32'
          : 'bool';
  return { dataId: wrap(values), shape, dtype };
}

/** mulberry32: deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The element of `values` (shape `shape`) that output position `index` reads, by broadcasting. */
function broadcastRead(
  values: DataArray,
  shape: readonly number[],
  index: readonly number[],
): number {
  const offset = index.length - shape.length;
  let flat = 0;
  for (let d = 0; d < shape.length; d++) {
    const i = shape[d] === 1 ? 0 : index[d + offset]!;
    flat = flat * shape[d]! + i;
  }
  return values[flat]!;
}

/** Every multi-index of `shape` in row-major order. */
function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape)
    out = out.flatMap((prefix) => Array.from({ length: d }, (_, i) => [...prefix, i]));
  return out;
}

const SCALAR: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (a !== a || b !== b ? NaN : Math.max(a, b)),
  minimum: (a, b) => (a !== a || b !== b ? NaN : Math.min(a, b)),
  equal: (a, b) => Number(a === b),
  notEqual: (a, b) => Number(a !== b),
  greater: (a, b) => Number(a > b),
  greaterEqual: (a, b) => Number(a >= b),
  less: (a, b) => Number(a < b),
  lessEqual: (a, b) => Number(a <= b),
  logicalAnd: (a, b) => Number(Boolean(a) && Boolean(b)),
  logicalOr: (a, b) => Number(Boolean(a) || Boolean(b)),
};

/** A random output shape and two input shapes that broadcast to it (dims dropped or set to 1). */
function randomShapes(next: () => number): { out: number[]; a: number[]; b: number[] } {
  const rank = Math.floor(next() * 5); // 0..4
  const out = Array.from({ length: rank }, () => (next() < 0.08 ? 0 : 1 + Math.floor(next() * 4)));
  const derive = (): number[] => {
    const drop = Math.floor(next() * (rank + 1));
    return out.slice(drop).map((d) => (next() < 0.35 ? 1 : d));
  };
  let a = derive();
  let b = derive();
  // Make the output the exact broadcast of a and b (a dim of out that both set to 1 shrinks).
  const full = out.map((_, i) => {
    const da = a[i - (rank - a.length)] ?? 1;
    const db = b[i - (rank - b.length)] ?? 1;
    return da === 1 ? db : da;
  });
  if (next() < 0.5) [a, b] = [b, a];
  return { out: full, a, b };
}

function randomValues(dtype: DType, n: number, next: () => number): DataArray {
  const out = allocArray(dtype, n);
  for (let i = 0; i < n; i++) {
    // Small integers in float too, so comparisons and min/max see ties.
    const v =
      dtype === 'bool'
        ? Number(next() < 0.5)
        : Math.floor(next() * 7) - 3 + (dtype === 'int32' ? 0 : next() < 0.5 ? 0.25 : 0);
    out[i] = v;
  }
  return out;
}

function naiveBinary(
  op: BinaryOp,
  a: TensorInfo,
  av: DataArray,
  b: TensorInfo,
  bv: DataArray,
  outShape: number[],
  dtype: DType,
): DataArray {
  const out = allocArray(dtype, size(outShape));
  indices(outShape).forEach((index, o) => {
    out[o] = SCALAR[op](broadcastRead(av, a.shape, index), broadcastRead(bv, b.shape, index));
  });
  return out;
}

const OPS = Object.keys(SCALAR) as BinaryOp[];
const COMPARE: BinaryOp[] = [
  'equal',
  'notEqual',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'logicalAnd',
  'logicalOr',
];

test('binary: every op, every dtype, on 300 random broadcast patterns, matches the naive broadcast', () => {
  const next = rng(42);
  let patterns = 0;
  for (let trial = 0; trial < 300; trial++) {
    const { out, a: sa, b: sb } = randomShapes(next);
    for (const dtype of ['float64', 'float32', 'int32', 'bool'] as DType[]) {
      const av = randomValues(dtype, size(sa), next);
      const bv = randomValues(dtype, size(sb), next);
      const a = info(av, sa);
      const b = info(bv, sb);
      for (const op of OPS) {
        const arithmetic = !COMPARE.includes(op);
        // Ops never send bool operands to arithmetic kernels (bool + bool is done in int32).
        if (arithmetic && dtype === 'bool') continue;
        const outDType: DType = arithmetic ? dtype : 'bool';
        const got = binary(op, a, b, out, outDType);
        const want = naiveBinary(op, a, av, b, bv, out, outDType);
        assert.equal(got.constructor, want.constructor);
        assert.deepEqual(
          Array.from(got),
          Array.from(want),
          `${op} ${dtype} ${JSON.stringify(sa)} with ${JSON.stringify(sb)} → ${JSON.stringify(out)}`,
        );
      }
      patterns++;
    }
  }
  assert.equal(patterns, 1200);
});

test('binary: an output shape larger than both inputs (as broadcastTo uses it)', () => {
  const cases: [number[], number[], number[]][] = [
    [[3], [], [2, 3]],
    [[1], [], [4]],
    [[2, 1], [1], [3, 2, 5]],
    [[], [], [2, 2]],
    [
      [1, 3],
      [2, 1],
      [2, 2, 3],
    ],
  ];
  for (const [sa, sb, out] of cases) {
    const av = Float64Array.from({ length: size(sa) }, (_, i) => i + 1);
    const bv = Float64Array.from({ length: size(sb) }, (_, i) => 10 * (i + 1));
    const a = info(av, sa);
    const b = info(bv, sb);
    assert.deepEqual(
      Array.from(binary('add', a, b, out, 'float64')),
      Array.from(naiveBinary('add', a, av, b, bv, out, 'float64')),
    );
  }
  // By hand: [3] + [] → [2, 3].
  const got = binary(
    'add',
    info(Float64Array.of(1, 2, 3), [3]),
    info(Float64Array.of(0), []),
    [2, 3],
    'float64',
  );
  assert.deepEqual(Array.from(got), [1, 2, 3, 1, 2, 3]);
});

test('binary: hand values for [2, 1] with [1, 3] and [4, 1, 3] with [2, 1]', () => {
  const outer = binary(
    'mul',
    info(Float32Array.of(1, 2), [2, 1]),
    info(Float32Array.of(3, 4, 5), [1, 3]),
    [2, 3],
    'float32',
  );
  assert.deepEqual(Array.from(outer), [3, 4, 5, 6, 8, 10]);
  const a = Int32Array.from({ length: 12 }, (_, i) => i * 10); // [4, 1, 3]
  const b = Int32Array.of(1, 2); // [2, 1]
  const y = binary('add', info(a, [4, 1, 3]), info(b, [2, 1]), [4, 2, 3], 'int32');
  const want: number[] = [];
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) want.push(a[i * 3 + k]! + b[j]!);
  assert.deepEqual(Array.from(y), want);
});

test('where: random broadcast of condition, a and b matches the naive broadcast', () => {
  const next = rng(7);
  let checked = 0;
  for (let trial = 0; trial < 300; trial++) {
    const first = randomShapes(next);
    const second = randomShapes(next);
    // Condition from one pattern, a and b from the other; skip incompatible combinations.
    const sc = first.a;
    const { a: sa, b: sb } = second;
    const rank = Math.max(sc.length, sa.length, sb.length);
    const dims: number[] = [];
    let ok = true;
    for (let i = 0; i < rank; i++) {
      const ds = [sc, sa, sb].map((s) => s[i - (rank - s.length)] ?? 1);
      const big = ds.filter((d) => d !== 1);
      if (big.some((d) => d !== big[0])) ok = false;
      dims.push(big[0] ?? 1);
    }
    if (!ok) continue;
    const cv = randomValues('bool', size(sc), next);
    const av = randomValues('float32', size(sa), next);
    const bv = randomValues('float32', size(sb), next);
    const got = where(info(cv, sc), info(av, sa), info(bv, sb), dims);
    const want = indices(dims).map((index) =>
      broadcastRead(cv, sc, index) !== 0
        ? broadcastRead(av, sa, index)
        : broadcastRead(bv, sb, index),
    );
    assert.ok(got instanceof Float32Array);
    assert.deepEqual(
      Array.from(got),
      want,
      `${JSON.stringify(sc)} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`,
    );
    checked++;
  }
  assert.ok(checked >= 100, `only ${checked} compatible patterns`);
  // By hand: condition [2, 1], a [3], b [] → [2, 3]; the output takes a's dtype.
  const y = where(
    info(Uint8Array.of(1, 0), [2, 1]),
    info(Int32Array.of(1, 2, 3), [3]),
    info(Int32Array.of(-1), []),
    [2, 3],
  );
  assert.ok(y instanceof Int32Array);
  assert.deepEqual(Array.from(y), [1, 2, 3, -1, -1, -1]);
});

test('unary: output typed array follows outDType; param reaches leakyRelu and elu', () => {
  const neg = unary('neg', Int32Array.of(1, -2, 0), 'int32');
  assert.ok(neg instanceof Int32Array);
  assert.deepEqual(Array.from(neg), [-1, 2, 0]);
  const not = unary('logicalNot', Uint8Array.of(0, 1), 'bool');
  assert.ok(not instanceof Uint8Array);
  assert.deepEqual(Array.from(not), [1, 0]);
  const e = unary('exp', Float64Array.of(0, 1), 'float64');
  assert.ok(e instanceof Float64Array);
  assert.deepEqual(Array.from(e), [1, Math.E]);
  assert.deepEqual(
    Array.from(unary('leakyRelu', Float64Array.of(-2, 3), 'float64', 0.25)),
    [-0.5, 3],
  );
  assert.deepEqual(Array.from(unary('elu', Float64Array.of(-Infinity, 3), 'float64', 2)), [-2, 3]);
  // float32 output rounds the float64 computation once.
  assert.deepEqual(Array.from(unary('sqrt', Float32Array.of(2), 'float32')), [
    Math.fround(Math.SQRT2),
  ]);
  assert.equal(unary('relu', new Float32Array(0), 'float32').length, 0);
});

test('unary: every op is defined on NaN, ±0 and ±Infinity without throwing, and NaN stays NaN', () => {
  const ops: UnaryOp[] = [
    'neg',
    'abs',
    'sign',
    'square',
    'sqrt',
    'rsqrt',
    'reciprocal',
    'exp',
    'expm1',
    'log',
    'log1p',
    'erf',
    'floor',
    'sigmoid',
    'logSigmoid',
    'tanh',
    'relu',
    'relu6',
    'leakyRelu',
    'elu',
    'selu',
    'gelu',
    'geluTanh',
    'softplus',
    'softsign',
    'swish',
  ];
  for (const op of ops) {
    const y = unary(op, Float64Array.of(NaN, 0, -0, 1, -1), 'float64', 0.2);
    assert.ok(Number.isNaN(y[0]), `${op}(NaN) = ${y[0]}`);
  }
  // Limits at infinity for the saturating ones.
  // (+ 0 turns -0 into 0: the sign of a zero limit is not part of the contract.)
  const inf = (op: UnaryOp): number[] =>
    Array.from(unary(op, Float64Array.of(-Infinity, Infinity), 'float64', 1), (v) => v + 0);
  assert.deepEqual(inf('sigmoid'), [0, 1]);
  assert.deepEqual(inf('tanh'), [-1, 1]);
  assert.deepEqual(inf('erf'), [-1, 1]);
  assert.deepEqual(inf('softsign'), [-1, 1]);
  assert.deepEqual(inf('softplus'), [0, Infinity]);
  assert.deepEqual(inf('logSigmoid'), [-Infinity, 0]);
  assert.deepEqual(inf('relu'), [0, Infinity]);
  assert.deepEqual(inf('relu6'), [0, 6]);
  assert.deepEqual(inf('elu'), [-1, Infinity]);
  assert.deepEqual(
    Array.from(unary('sign', Float64Array.of(-0, 0, -3, 5), 'float64')),
    [0, 0, -1, 1],
  );
});

test('erf matches Simpson integration of 2/√π·e^(−t²) across both branches (|x| < 2 and >= 2)', () => {
  const simpson = (x: number): number => {
    const n = 4000;
    const h = x / n;
    let s = 1 + Math.exp(-x * x);
    for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
    return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
  };
  for (let k = -70; k <= 70; k++) {
    const x = k / 10 + 0.003;
    assert.ok(
      Math.abs(erf(x) - simpson(x)) < 1e-12,
      `erf(${x}) = ${erf(x)}, Simpson ${simpson(x)}`,
    );
  }
  // Continuity at the switch between series and continued fraction.
  assert.ok(Math.abs(erf(2 - 1e-12) - erf(2)) < 1e-11);
  // The tail: erfc(3) = 2.209049699858544e-5 (tables), recovered as 1 − erf(3) to ~1e-16 absolute.
  assert.ok(Math.abs(1 - erf(3) - 2.209049699858544e-5) < 1e-15);
});

test('cast: truncation toward zero, non-zero to bool, float64 to float32 rounding', () => {
  assert.deepEqual(Array.from(cast(Float64Array.of(-2.9, -0.1, 0.9, 3.5), 'int32')), [-2, 0, 0, 3]);
  assert.deepEqual(Array.from(cast(Float32Array.of(0, -0, 2, NaN), 'bool')), [0, 0, 1, 1]);
  assert.deepEqual(Array.from(cast(Int32Array.of(0, -5), 'bool')), [0, 1]);
  assert.deepEqual(Array.from(cast(Uint8Array.of(1, 0), 'float32')), [1, 0]);
  assert.deepEqual(Array.from(cast(Float64Array.of(0.1), 'float32')), [Math.fround(0.1)]);
  const same = Float32Array.of(1.5);
  const copy = cast(same, 'float32');
  assert.notEqual(copy, same, 'cast returns a new array');
  assert.deepEqual(Array.from(copy), [1.5]);
});
