// The wasm backend against the cpu reference: every case runs the same function on the same
// float32 inputs under both backends, forward and gradients (sn.grads), and compares within
// float32 tolerance. The cpu backend is the oracle (its kernels are tested against hand values
// and finite differences in float64). Skipped, with the reason, when the kernels are not built.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import * as sn from '../src/index.js';
import { backend } from '../src/backends/index.js';
import type { TensorInfo } from '../src/backends/backend.js';
import { FUSED_ACTIVATIONS, fusedDense } from '../src/ops/dense.js';
import { lcg as values } from './helpers.js';

sn.setBackend('wasm');
const built = sn.getBackend() === 'wasm';
sn.setBackend('cpu');
const skip = built ? false : 'wasm kernels not built: run `node scripts/build-wasm.mjs`';

after(() => sn.setBackend('cpu'));

/** Deterministic values in [lo, hi): a fixed LCG, so both backends see the same inputs. */

interface Input {
  readonly shape: number[];
  readonly lo?: number;
  readonly hi?: number;
}

/** Forward values and the gradients w.r.t. every input of `f`, computed under `backend`. */
function run(
  backend: string,
  f: (...xs: sn.Tensor[]) => sn.Tensor,
  inputs: readonly Input[],
): Float32Array[] {
  sn.setBackend(backend);
  assert.equal(sn.getBackend(), backend);
  const xs = inputs.map((inp, i) =>
    sn.tensor(
      values(
        inp.shape.reduce((a, b) => a * b, 1),
        17 + 31 * i,
        inp.lo,
        inp.hi,
      ),
      inp.shape,
    ),
  );
  const y = f(...xs);
  // Non-uniform output weights, so every output element's gradient path matters.
  const dy = sn.tensor(values(y.size, 99, 0.5, 1.5), [...y.shape]);
  const gs = sn.grads(f)(xs, dy);
  return [y, ...gs].map((t) => Float32Array.from(t.dataSync()));
}

function assertConforms(
  f: (...xs: sn.Tensor[]) => sn.Tensor,
  inputs: readonly Input[],
  rtol = 2e-5,
): void {
  const want = run('cpu', f, inputs);
  const got = run('wasm', f, inputs);
  sn.setBackend('cpu');
  assert.equal(got.length, want.length);
  want.forEach((w, j) => {
    const g = got[j]!;
    assert.equal(g.length, w.length, `output ${j}: length`);
    // Tolerance scaled by the largest magnitude: float32 sums round relative to their terms.
    const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    for (let i = 0; i < w.length; i++) {
      const ok = Number.isNaN(w[i]!)
        ? Number.isNaN(g[i]!)
        : Math.abs(g[i]! - w[i]!) <= rtol * scale;
      assert.ok(
        ok,
        `${j === 0 ? 'forward' : `gradient ${j - 1}`} element ${i}: wasm ${g[i]}, cpu ${w[i]}`,
      );
    }
  });
}

describe('wasm backend conforms to cpu', { skip }, () => {
  test('matmul: every transpose combination, odd sizes, edges of every tile', () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 5, 7],
      [37, 300, 45],
      [130, 257, 17],
      [2, 600, 530],
    ] as const) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          assertConforms(
            (a, b) => sn.matmul(a!, b!, { transposeA, transposeB }),
            [{ shape: transposeA ? [k, m] : [m, k] }, { shape: transposeB ? [n, k] : [k, n] }],
          );
        }
      }
    }
  });

  test('matmul: batched, with broadcast batch dimensions', () => {
    assertConforms((a, b) => sn.matmul(a!, b!), [{ shape: [2, 3, 9, 20] }, { shape: [20, 18] }]);
    assertConforms(
      (a, b) => sn.matmul(a!, b!, { transposeB: true }),
      [{ shape: [2, 1, 5, 33] }, { shape: [1, 3, 19, 33] }],
    );
    assertConforms(
      (a, b) => sn.matmul(a!, b!, { transposeA: true }),
      [{ shape: [4, 33, 5] }, { shape: [4, 33, 6] }],
    );
  });

  test('matmul: k = 0 gives zeros', () => {
    assertConforms((a, b) => sn.matmul(a!, b!), [{ shape: [3, 0] }, { shape: [0, 4] }]);
  });

  test('add, sub, mul, div, maximum, minimum with broadcasting', () => {
    const shapes: [number[], number[]][] = [
      [
        [5, 7],
        [5, 7],
      ], // same shape
      [[6, 9], [9]], // bias row
      [[1], [4, 3]], // scalar on the left
      [
        [4, 3, 6],
        [4, 3, 1],
      ], // column (x - max(x, -1))
      [
        [4, 1],
        [4, 10],
      ], // column on the left
      [
        [3, 1, 5],
        [1, 4, 1],
      ], // general broadcast (strided kernel)
    ];
    const ops = { add: sn.add, sub: sn.sub, mul: sn.mul, maximum: sn.maximum, minimum: sn.minimum };
    for (const [name, op] of Object.entries(ops)) {
      for (const [a, b] of shapes) {
        assertConforms((x, y) => op(x!, y!), [{ shape: a }, { shape: b }]);
        assert.ok(name);
      }
    }
    for (const [a, b] of shapes) {
      assertConforms((x, y) => sn.div(x!, y!), [{ shape: a }, { shape: b, lo: 0.5, hi: 2 }]);
    }
  });

  test('unary functions', () => {
    const anywhere = [
      sn.neg,
      sn.abs,
      sn.square,
      sn.exp,
      sn.expm1,
      sn.sigmoid,
      sn.logSigmoid,
      sn.tanh,
      sn.relu,
      sn.relu6,
      sn.selu,
      sn.softplus,
      sn.softsign,
      sn.swish,
      sn.erf,
    ];
    for (const f of anywhere) assertConforms((x) => f(x!), [{ shape: [7, 13], lo: -4, hi: 4 }]);
    for (const f of [sn.sqrt, sn.rsqrt, sn.reciprocal, sn.log, sn.log1p]) {
      assertConforms((x) => f(x!), [{ shape: [7, 13], lo: 0.25, hi: 4 }]);
    }
    assertConforms((x) => sn.leakyRelu(x!, { alpha: 0.3 }), [{ shape: [50] }]);
    assertConforms((x) => sn.elu(x!, { alpha: 0.7 }), [{ shape: [50] }]);
  });

  test('sigmoid over the whole float range, NaN and infinities (vector and scalar paths)', () => {
    assertConforms((x) => sn.sigmoid(x!), [{ shape: [1003], lo: -100, hi: 100 }]);
    const special = [NaN, Infinity, -Infinity, 0, -0, 80, -80, 80.5, -80.5, 88, -88, -104, 1e-30];
    const on = (name: string): Float32Array => {
      sn.setBackend(name);
      return Float32Array.from(sn.sigmoid(sn.tensor(special)).dataSync());
    };
    const want = on('cpu');
    const got = on('wasm');
    sn.setBackend('cpu');
    want.forEach((w, i) => {
      const g = got[i]!;
      assert.ok(Number.isNaN(w) ? Number.isNaN(g) : Math.abs(g - w) <= 1e-6 * Math.abs(w), `${i}`);
    });
  });

  test('tile and broadcastTo: scalars, rows, columns, zero repeats, every dtype', () => {
    const cases: [number[], number[]][] = [
      [[], []],
      [
        [1, 1],
        [5, 9],
      ],
      [[7], [3]],
      [
        [2, 3],
        [1, 4],
      ],
      [
        [2, 1, 3],
        [3, 5, 2],
      ],
      [
        [3, 4],
        [0, 2],
      ],
      [
        [0, 4],
        [3, 1],
      ],
    ];
    for (const [shape, reps] of cases) {
      assertConforms((x) => sn.tile(x!, reps), [{ shape }]);
    }
    assertConforms((x) => sn.broadcastTo(x!, [6, 5, 9]), [{ shape: [9] }]);
    assertConforms((x) => sn.broadcastTo(x!, [6, 5, 9]), [{ shape: [5, 1] }]);
    for (const dtype of ['int32', 'bool', 'float64'] as const) {
      const on = (name: string): number[] => {
        sn.setBackend(name);
        const x = sn.cast(
          sn.tensor([
            [0, 1, 2],
            [3, 0, 5],
          ]),
          dtype,
        );
        return Array.from(sn.tile(x, [2, 3]).dataSync(), Number);
      };
      assert.deepEqual(on('wasm'), on('cpu'), dtype);
    }
    sn.setBackend('cpu');
  });

  test('adamUpdate equals the composite float32 ops bit for bit, on both backends', () => {
    const size = 1031;
    const special = [NaN, 0, -0, 1e-30, 3e38, -3e38];
    const w = values(size, 1, -2, 2);
    const g = values(size, 2, -3, 3);
    const m = values(size, 3, -1, 1);
    const v = values(size, 4, 0, 2);
    const vhat = values(size, 5, 0, 2);
    special.forEach((x, i) => {
      g[10 + i] = x;
      vhat[20 + i] = Math.abs(x);
    });
    const hyper = { alpha: 0.0013, c1: 1 - 0.9, c2: 1 - 0.999, epsilon: 1e-7 };
    // Oracle: Adam written with the separate ops on the cpu backend.
    sn.setBackend('cpu');
    const [tw, tg, tm, tv, th] = [w, g, m, v, vhat].map((a) => sn.tensor(a));
    const m1 = sn.add(tm!, sn.mul(sn.sub(tg!, tm!), hyper.c1));
    const v1 = sn.add(tv!, sn.mul(sn.sub(sn.square(tg!), tv!), hyper.c2));
    const h1 = sn.maximum(th!, v1);
    const step = (vv: sn.Tensor): sn.Tensor =>
      sn.sub(tw!, sn.div(sn.mul(m1, hyper.alpha), sn.add(sn.sqrt(vv), hyper.epsilon)));
    const want = {
      plain: [step(v1), m1, v1].map((t) => Array.from(t.dataSync())),
      ams: [step(h1), m1, v1, h1].map((t) => Array.from(t.dataSync())),
    };
    for (const name of ['cpu', 'wasm']) {
      sn.setBackend(name);
      const info = (a: Float32Array): TensorInfo => sn.tensor(a);
      const be = backend();
      const [iw, ig, im, iv, ih] = [w, g, m, v, vhat].map(info);
      const read = (id: object | undefined): number[] => Array.from(be.readSync(id!));
      const plain = be.adamUpdate(iw!, ig!, im!, iv!, undefined, hyper);
      assert.equal(plain.vhat, undefined);
      assert.deepEqual([plain.w, plain.m, plain.v].map(read), want.plain, `${name}`);
      const ams = be.adamUpdate(iw!, ig!, im!, iv!, ih!, hyper);
      assert.deepEqual([ams.w, ams.m, ams.v, ams.vhat].map(read), want.ams, `${name} amsgrad`);
    }
    sn.setBackend('cpu');
  });

  test('sum, max, min reductions over contiguous and split axes', () => {
    const shape = [3, 4, 5, 6];
    for (const axis of [undefined, 0, 1, 3, [1, 2], [0, 1], [2, 3], [0, 2]] as const) {
      assertConforms((x) => sn.sum(x!, axis as number | number[] | undefined), [{ shape }]);
      assertConforms((x) => sn.max(x!, axis as number | number[] | undefined), [{ shape }]);
      assertConforms((x) => sn.min(x!, axis as number | number[] | undefined), [{ shape }]);
    }
    assertConforms((x) => sn.sum(x!), [{ shape: [10007] }]);
  });

  test('softmax and logSoftmax', () => {
    assertConforms((x) => sn.softmax(x!), [{ shape: [8, 10], lo: -5, hi: 5 }]);
    assertConforms((x) => sn.logSoftmax(x!), [{ shape: [8, 10], lo: -5, hi: 5 }]);
    assertConforms((x) => sn.softmax(x!, 0), [{ shape: [6, 4], lo: -5, hi: 5 }]);
  });

  test('softmax and logSoftmax kernels: line lengths, ranks, axes, large magnitudes', () => {
    for (const f of [sn.softmax, sn.logSoftmax]) {
      for (const n of [1, 3, 4, 17, 1000]) {
        assertConforms((x) => f(x!), [{ shape: [n], lo: -5, hi: 5 }]);
        assertConforms((x) => f(x!), [{ shape: [3, n], lo: -5, hi: 5 }]);
        assertConforms((x) => f(x!), [{ shape: [2, 3, n], lo: -5, hi: 5 }]);
      }
      // Other axes: lines four at a time across the trailing axes, and the scalar remainder.
      for (const axis of [0, 1]) {
        for (const shape of [
          [5, 4, 3],
          [3, 6, 9],
          [2, 17, 1],
          [1, 1, 4],
        ]) {
          assertConforms((x) => f(x!, axis), [{ shape }]);
        }
      }
      for (const [lo, hi] of [
        [-80, 80],
        [-1e4, 1e4],
        [1e4, 1e4 + 3],
      ] as const) {
        assertConforms((x) => f(x!), [{ shape: [6, 37], lo, hi }]);
        assertConforms((x) => f(x!, 0), [{ shape: [37, 6], lo, hi }]);
      }
      assertConforms((x) => f(x!), [{ shape: [0, 5] }]);
      assertConforms((x) => f(x!), [{ shape: [4, 0] }]);
    }
  });

  test('softmax and logSoftmax kernels: −Infinity (masked) entries, NaN and +Infinity lines', () => {
    // Rows of 9: a masked entry in most, one row fully masked, one with NaN, one with +∞.
    const special = (rows: number, n: number): Float32Array => {
      const add = new Float32Array(rows * n);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < n; j++) if ((r + 2 * j) % 3 === 0) add[r * n + j] = -Infinity;
      }
      add.fill(-Infinity, 0, n);
      add[n + 2] = NaN;
      add[2 * n + 5] = Infinity;
      return add;
    };
    const cases: [number[], number][] = [
      [[7, 9], -1],
      [[7, 4], -1],
      [[9, 7], 0],
      [[7, 2, 6], -1],
    ];
    for (const log of [false, true]) {
      for (const [shape, axis] of cases) {
        // The special lines lie along `axis`: build them as [rows, n] and move n into place.
        const n = shape.at(axis)!;
        const rows = shape.reduce((a, b) => a * b, 1) / n;
        const f = (x: sn.Tensor): sn.Tensor => {
          let mask = sn.tensor(special(rows, n), [rows, n]);
          if (axis === 0) mask = sn.transpose(mask);
          const masked = sn.add(x, sn.reshape(mask, shape));
          return log ? sn.logSoftmax(masked, axis) : sn.softmax(masked, axis);
        };
        const want = run('cpu', f, [{ shape }]);
        const got = run('wasm', f, [{ shape }]);
        sn.setBackend('cpu');
        want.forEach((w, j) => {
          const g = got[j]!;
          for (let i = 0; i < w.length; i++) {
            const ok = Number.isFinite(w[i]!)
              ? Math.abs(g[i]! - w[i]!) <= 2e-5 * Math.max(1, Math.abs(w[i]!))
              : Object.is(g[i], w[i]) || (Number.isNaN(w[i]!) && Number.isNaN(g[i]!));
            assert.ok(
              ok,
              `${shape} axis ${axis} log ${log} output ${j} [${i}]: ${g[i]} vs ${w[i]}`,
            );
          }
        });
      }
    }
  });

  test('binary arithmetic: general broadcasts through the strided kernel', () => {
    const shapes: [number[], number[]][] = [
      [
        [2, 3, 4],
        [2, 1, 4],
      ],
      [
        [2, 1, 4],
        [2, 3, 4],
      ],
      [
        [4, 1],
        [1, 5],
      ],
      [
        [1, 5],
        [4, 1],
      ],
      [
        [3, 1, 5],
        [1, 4, 1],
      ],
      [
        [5, 1, 1, 7],
        [1, 3, 2, 1],
      ],
      [
        [2, 1, 2, 1, 2, 1],
        [1, 2, 1, 2, 1, 2],
      ],
      [
        [6, 1, 3],
        [2, 1],
      ],
      [[1, 1], [1]],
      [[], [2, 3, 4]],
      [[2, 3, 4], []],
      [
        [0, 3],
        [1, 3],
      ],
      [
        [2, 0, 3],
        [2, 1, 3],
      ],
      [
        [3, 1],
        [3, 0],
      ],
      [[0], []],
    ];
    const ops = [sn.add, sn.sub, sn.mul, sn.maximum, sn.minimum];
    for (const op of ops) {
      for (const [a, b] of shapes)
        assertConforms((x, y) => op(x!, y!), [{ shape: a }, { shape: b }]);
    }
    for (const [a, b] of shapes) {
      assertConforms((x, y) => sn.div(x!, y!), [{ shape: a }, { shape: b, lo: 0.5, hi: 2 }]);
    }
  });

  test('a dense layer step: sigmoid(x·W + b) and its gradients', () => {
    assertConforms(
      (x, w, b) => sn.sigmoid(sn.add(sn.matmul(x!, w!), b!)),
      [{ shape: [32, 78] }, { shape: [78, 25], lo: -0.3, hi: 0.3 }, { shape: [25] }],
    );
  });

  test('fused dense (the op of the Dense layer): every activation, bias or not, edge sizes', () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 5, 7],
      [32, 78, 25],
      [130, 257, 17],
      [128, 300, 256],
    ] as const) {
      const x = { shape: [m, k], lo: -1.5, hi: 1.5 };
      const w = { shape: [k, n], lo: -4 / Math.sqrt(k), hi: 4 / Math.sqrt(k) };
      for (const activation of FUSED_ACTIVATIONS) {
        assertConforms(
          (xx, ww, bb) => fusedDense(xx!, ww!, { bias: bb!, activation }),
          [x, w, { shape: [n] }],
        );
        assertConforms((xx, ww) => fusedDense(xx!, ww!, { activation }), [x, w]);
      }
    }
  });

  test('denseGrad kernel: NaN, infinities, signed zeros and the relu6 edges', () => {
    const special = [NaN, Infinity, -Infinity, 0, -0, 6, -6, 5.999, 1e-30, 0.5, -0.25, 3];
    const y = Float32Array.from({ length: 36 }, (_, i) => special[i % special.length]!);
    const dy = values(36, 5, -2, 2);
    dy[7] = Infinity;
    dy[8] = NaN;
    for (const activation of FUSED_ACTIVATIONS) {
      const on = (name: string): number[][] => {
        sn.setBackend(name);
        const be = backend();
        const r = be.denseGrad(sn.tensor(y, [3, 12]), sn.tensor(dy, [3, 12]), activation, true);
        return [r.dz, r.dbias].map((id) => Array.from(be.readSync(id!)));
      };
      const want = on('cpu');
      const got = on('wasm');
      sn.setBackend('cpu');
      want.forEach((w, j) => {
        w.forEach((v, i) => {
          const g = got[j]![i]!;
          const ok = Number.isNaN(v)
            ? Number.isNaN(g)
            : g === v || Math.abs(g - v) <= 1e-6 * Math.abs(v);
          assert.ok(ok, `${activation} ${j === 0 ? 'dz' : 'dbias'}[${i}]: wasm ${g}, cpu ${v}`);
        });
      });
    }
  });
});
