import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  FUSED_ACTIVATIONS,
  type AdamHyper,
  type DenseGradResult,
  type TensorInfo,
} from '../backend.js';
import type { DataId } from '../../tensor/store.js';
import { WasmBackend } from './index.js';
import { loadKernels } from './loader.js';
import { MIN_ELEMENTS, cut } from './pool.js';
import { lcg } from '../../../test/helpers.js';

// The elementwise kernels split over the worker pool (splitRange in ./pool.ts): the Adam
// update, unary, binary (row and column layouts) and denseGrad give bit for bit the result of
// one thread, whether a worker did its share or the calling thread took it back; and the
// Adam update and the arithmetic equal an exact float32 oracle.

const shared = loadKernels(true, true);
const skip = typeof shared === 'string' ? shared : false;
const made: WasmBackend[] = [];
after(() => {
  for (const be of made) be.close();
});

async function backends(): Promise<{ two: WasmBackend; one: WasmBackend }> {
  if (typeof shared === 'string') throw new Error(shared);
  const two = new WasmBackend(shared, { threads: 2 });
  const one = new WasmBackend(shared, { threads: 1 });
  made.push(two, one);
  await two.ready();
  return { two, one };
}

function info(be: WasmBackend, values: Float32Array, shape: number[]): TensorInfo {
  return { dataId: be.write(values, 'float32'), shape, dtype: 'float32' };
}

/** Bit equality (NaN payloads, −0 included). */
function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, what);
  const x = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const y = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (x.equals(y)) return;
  const i = a.findIndex((v, j) => !Object.is(v, b[j]));
  const show = (v: number | undefined): string => (Object.is(v, -0) ? '-0' : String(v));
  assert.fail(`${what}: element ${i} is ${show(a[i])}, expected ${show(b[i])} (of ${a.length})`);
}

/**
 * Runs `op` on the 2-thread backend in bursts (back to back, so that the worker, woken by the
 * first call, is still awake for the next) until a worker has done a share; returns every
 * result. The calling thread takes back a share a sleeping worker has not started, so a
 * single call may well run on the caller alone.
 */
function withWorkerShare(two: WasmBackend, op: () => Float32Array[]): Float32Array[][] {
  const results: Float32Array[][] = [];
  const start = two.threadStats().jobs;
  for (let burst = 0; burst < 100 && two.threadStats().jobs === start; burst++) {
    for (let i = 0; i < 8; i++) results.push(op());
  }
  assert.ok(two.threadStats().jobs > start, 'a worker did a share');
  return results;
}

function read(be: WasmBackend, ...ids: (DataId | undefined)[]): Float32Array[] {
  return ids.map((id) => {
    if (id === undefined) return new Float32Array(0);
    const copy = Float32Array.from(be.readSync(id) as Float32Array);
    be.release(id);
    return copy;
  });
}

test('cut: contiguous ranges covering [0, n), boundaries on the quantum, at most `parts`', () => {
  assert.deepEqual(cut(0, 2, 4), [[0, 0]]);
  assert.deepEqual(cut(3, 2, 4), [[0, 3]]);
  assert.deepEqual(cut(10, 2, 4), [
    [0, 8],
    [8, 10],
  ]);
  assert.deepEqual(cut(100352, 2, 784), [
    [0, 50176],
    [50176, 100352],
  ]);
  for (const [n, parts, quantum] of [
    [200003, 2, 4],
    [200003, 3, 4],
    [783, 5, 4],
    [17, 8, 1],
    [128 * 783, 2, 783],
    [1, 4, 16],
  ] as const) {
    const ranges = cut(n, parts, quantum);
    assert.ok(ranges.length >= 1 && ranges.length <= parts, `${n}/${parts}/${quantum}`);
    assert.equal(ranges[0]![0], 0);
    assert.equal(ranges.at(-1)![1], n);
    for (let r = 0; r < ranges.length; r++) {
      const [from, to] = ranges[r]!;
      assert.ok(from < to, `non-empty: ${n}/${parts}/${quantum}`);
      assert.equal(from % quantum, 0);
      if (r > 0) assert.equal(from, ranges[r - 1]![1]);
    }
  }
});

/** Adam (Keras form) in float32, one rounding per operation, as assembly/optimizer.ts says. */
function adamOracle(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  vhat: Float32Array | undefined,
  h: AdamHyper,
): Float32Array[] {
  const f = Math.fround;
  const out = [w, m, v, ...(vhat ? [vhat] : [])].map((x) => new Float32Array(x.length));
  const [alpha, c1, c2, eps] = [h.alpha, h.c1, h.c2, h.epsilon].map(f) as number[];
  for (let i = 0; i < w.length; i++) {
    const m1 = f(m[i]! + f(f(g[i]! - m[i]!) * c1!));
    let v1 = f(v[i]! + f(f(f(g[i]! * g[i]!) - v[i]!) * c2!));
    out[1]![i] = m1;
    out[2]![i] = v1;
    if (vhat) v1 = out[3]![i] = Math.max(vhat[i]!, v1);
    out[0]![i] = f(w[i]! - f(f(m1 * alpha!) / f(f(Math.sqrt(v1)) + eps!)));
  }
  return out;
}

test(
  'adamUpdate on 2 threads equals 1 thread and a float32 oracle, bit for bit',
  { skip },
  async () => {
    const { two, one } = await backends();
    const n = 200_003; // not a multiple of 4: the last range has the scalar tail
    assert.ok(n >= MIN_ELEMENTS);
    const values = [
      lcg(n, 1),
      lcg(n, 2, -0.05, 0.05),
      lcg(n, 3, -0.005, 0.005),
      lcg(n, 4, 0, 1e-4),
    ];
    const vhatValues = lcg(n, 5, 0, 1e-4);
    const hyper: AdamHyper = { alpha: 1e-3, c1: 0.1, c2: 0.001, epsilon: 1e-7 };
    for (const amsgrad of [false, true]) {
      const run = (be: WasmBackend): Float32Array[] => {
        const [w, g, m, v] = values.map((x) => info(be, x, [n]));
        const h = amsgrad ? info(be, vhatValues, [n]) : undefined;
        const r = be.adamUpdate(w!, g!, m!, v!, h, hyper);
        for (const t of [w, g, m, v, h]) if (t) be.release(t.dataId);
        return read(be, r.w, r.m, r.v, r.vhat);
      };
      const want = run(one);
      const [w, g, m, v] = values as [Float32Array, Float32Array, Float32Array, Float32Array];
      const oracle = adamOracle(w, g, m, v, amsgrad ? vhatValues : undefined, hyper);
      oracle.forEach((o, i) => sameBits(want[i]!, o, `1 thread vs oracle, output ${i}`));
      for (const got of withWorkerShare(two, () => run(two))) {
        got.forEach((x, i) => sameBits(x, want[i]!, `amsgrad ${amsgrad}, output ${i}`));
      }
    }
  },
);

/** sigmoid of x on `be` through the vector path (a block of 4) and the scalar one (alone). */
function sigmoidPaths(be: WasmBackend, x: number): [number, number] {
  const [vector, scalar] = [4, 1].map((n) => {
    const t = info(be, new Float32Array(n).fill(x), [n]);
    const [out] = read(be, be.unary('sigmoid', t, 'float32'));
    be.release(t.dataId);
    return out![0]!;
  });
  return [vector!, scalar!];
}

test('unary on 2 threads equals 1 thread bit for bit', { skip }, async () => {
  const { two, one } = await backends();
  const n = 100_354;
  const x = lcg(n, 7, -12, 12);
  // Every other element a value whose sigmoid differs between the vector and the scalar path
  // (vexp against Mathf.exp): an element moved from one path to the other by a range boundary
  // that is not a multiple of 4 changes the result.
  const odd = Array.from(lcg(64, 8, -12, 12)).find((v) => {
    const [vector, scalar] = sigmoidPaths(one, v);
    return vector !== scalar;
  });
  assert.ok(odd !== undefined, 'a value whose sigmoid differs between the two paths');
  for (let i = 0; i < n; i += 2) x[i] = odd;
  // Beyond |x| = 80 sigmoid's vector blocks take the scalar path; NaN and −0 too.
  [x[5], x[n - 1], x[4099], x[50_001]] = [90, -100, Number.NaN, -0];
  for (const op of ['sigmoid', 'neg', 'relu', 'exp', 'tanh', 'square'] as const) {
    const run = (be: WasmBackend): Float32Array[] => {
      const t = info(be, x, [n]);
      const out = be.unary(op, t, 'float32');
      be.release(t.dataId);
      return read(be, out);
    };
    const [want] = run(one) as [Float32Array];
    if (op === 'neg')
      sameBits(
        want,
        x.map((v) => -v),
        'neg vs oracle',
      );
    for (const [got] of withWorkerShare(two, () => run(two))) sameBits(got!, want, op);
  }
});

/** Equal, NaN equal to any NaN (wasm's NaN sign bit is not specified). */
function sameValues(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => {
    if (!Object.is(v, b[i]) && !(Number.isNaN(v) && Number.isNaN(b[i]))) {
      assert.fail(`${what}: element ${i} is ${v}, expected ${b[i]}`);
    }
  });
}

test(
  'binary on 2 threads: same shape, scalar, bias row, column; bit for bit',
  { skip },
  async () => {
    const { two, one } = await backends();
    const [rows, cols] = [128, 781]; // a row period that is not a multiple of 4
    const size = rows * cols;
    const full = lcg(size, 8, -2, 2);
    const other = lcg(size, 9, -1.6, 2.4);
    const bias = lcg(cols, 10, -1, 1);
    const column = lcg(rows, 11, -1, 1);
    // maximum(−0, +0) is +0 in a vector lane, −0 on the scalar path: at every other element, an
    // element moved from one path to the other by a misplaced range boundary changes the result.
    for (let i = 0; i < size; i += 2) [full[i], other[i]] = [-0, 0];
    for (let j = 0; j < cols; j += 2) bias[j] = 0;
    const layouts: [string, Float32Array, number[], (i: number) => number][] = [
      ['same shape', other, [rows, cols], (i) => other[i]!],
      ['scalar', Float32Array.of(0.75), [], () => 0.75],
      ['bias row', bias, [cols], (i) => bias[i % cols]!],
      ['column', column, [rows, 1], (i) => column[Math.floor(i / cols)]!],
    ];
    const oracle: Record<string, (a: number, b: number) => number> = {
      sub: (a, b) => Math.fround(a - b),
      div: (a, b) => Math.fround(a / b),
    };
    for (const [layout, part, partShape, partAt] of layouts) {
      for (const op of ['sub', 'div', 'maximum'] as const) {
        for (const partFirst of [false, true]) {
          const what = `${op} ${layout}${partFirst ? ' (part first)' : ''}`;
          const run = (be: WasmBackend): Float32Array[] => {
            const a = info(be, full, [rows, cols]);
            const b = info(be, part, partShape);
            const [x, y] = partFirst ? [b, a] : [a, b];
            const out = be.binary(op, x, y, [rows, cols], 'float32');
            be.release(a.dataId);
            be.release(b.dataId);
            return read(be, out);
          };
          const [want] = run(one) as [Float32Array];
          const f = oracle[op];
          if (f) {
            const expected = full.map((v, i) => (partFirst ? f(partAt(i), v) : f(v, partAt(i))));
            sameValues(want, expected, `${what} vs oracle`);
          }
          for (const [got] of withWorkerShare(two, () => run(two))) sameBits(got!, want, what);
        }
      }
    }
  },
);

test(
  'denseGrad on 2 threads (blocks of columns) equals 1 thread bit for bit',
  { skip },
  async () => {
    const { two, one } = await backends();
    // n not a multiple of 4; one column (the bias sum through the sum kernel); few rows.
    for (const [m, n] of [
      [128, 783],
      [40_000, 1],
      [9, 4099],
    ] as const) {
      assert.ok(m * n >= MIN_ELEMENTS);
      const y = lcg(m * n, 12, -1, 1);
      const dy = lcg(m * n, 13, -1, 1);
      for (const act of FUSED_ACTIVATIONS) {
        for (const withBias of [true, false]) {
          const run = (be: WasmBackend): Float32Array[] => {
            const [yt, dyt] = [info(be, y, [m, n]), info(be, dy, [m, n])];
            const r: DenseGradResult = be.denseGrad(yt, dyt, act, withBias);
            be.release(yt.dataId);
            be.release(dyt.dataId);
            return read(be, r.dz, r.dbias);
          };
          const want = run(one);
          const what = `${m}×${n} ${act}${withBias ? ' with bias' : ''}`;
          if (n === 1) {
            // One column: one range, on the calling thread.
            const got = run(two);
            got.forEach((x, i) => sameBits(x, want[i]!, what));
            continue;
          }
          for (const got of withWorkerShare(two, () => run(two))) {
            got.forEach((x, i) => sameBits(x, want[i]!, `${what}, output ${i}`));
          }
        }
      }
    }
  },
);

test('below MIN_ELEMENTS the job stays on the calling thread', { skip }, async () => {
  const { two } = await backends();
  const large = info(two, lcg(4 * MIN_ELEMENTS, 14), [4 * MIN_ELEMENTS]);
  const small = info(two, lcg(MIN_ELEMENTS - 4, 15), [MIN_ELEMENTS - 4]);
  let awake = 0;
  for (let round = 0; round < 400 && awake < 20; round++) {
    // Large jobs back to back until a worker has done a share: it is then awake (spinning),
    // and a small job split over the pool would be its next share.
    const before = two.threadStats().jobs;
    for (let i = 0; i < 8 && two.threadStats().jobs === before; i++) {
      two.release(two.unary('neg', large, 'float32'));
    }
    const after = two.threadStats().jobs;
    if (after === before) continue;
    awake++;
    for (let i = 0; i < 3; i++) two.release(two.unary('neg', small, 'float32'));
    assert.equal(two.threadStats().jobs, after, 'no worker share for a small job');
  }
  two.release(large.dataId);
  two.release(small.dataId);
  assert.ok(awake > 0, 'a worker did a share of the large job');
});
