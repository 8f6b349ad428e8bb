import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../../index.js';
import { lcg } from '../../../test/helpers.js';

/**
 * Recurrent layers: float64 gradients through time against central finite differences (every
 * weight element and the input, sequence length 5, masked steps included), GRU with
 * resetAfter (Keras only, TF.js has none) against a plain-number loop, Keras's mask and
 * dropout rules, docs/semantics.md rules with hand-computed penalties, and the typed errors of bad
 * input. TF.js parity on the same weights is in test/recurrent-tfjs.test.ts.
 */

const [B, T, F, U] = [2, 5, 2, 2];

function seq(seed: number, shape = [B, T, F]): sn.Tensor {
  return sn.tensor(
    Array.from(
      lcg(
        shape.reduce((a, b) => a * b, 1),
        seed,
        -1,
        1,
      ),
    ),
    shape,
    'float64',
  );
}

/** Mask [B, T]: sample 1 has its steps 1 and 4 masked (a gap and a trailing pad). */
const MASK = sn.tensor([1, 1, 1, 1, 1, 1, 0, 1, 1, 0], [B, T], 'bool');

/** Σ y·c over every output, for fixed coefficients (float64). */
function objective(outputs: sn.Tensor | sn.Tensor[]): sn.Tensor {
  const list = [outputs].flat();
  return sn.addN(
    list.map((y, i) =>
      sn.sum(
        sn.mul(y, sn.tensor(Array.from(lcg(y.size, 70 + i, 0.5, 1.5)), [...y.shape], 'float64')),
      ),
    ),
  );
}

/** Central differences of f with respect to every element of every weight (float64). */
function checkWeightGrads(layer: sn.Layer, f: () => sn.Tensor, what: string): void {
  const weights = layer.trainableWeights;
  const { grads } = sn.valueAndGrads(f, weights);
  const eps = 1e-6;
  for (const w of weights) {
    const base = Float64Array.from(w.dataSync() as Float64Array);
    const analytic = grads.get(w)!.dataSync();
    for (let i = 0; i < base.length; i++) {
      const at = (d: number): number => {
        const v = base.slice();
        v[i]! += d;
        w.assign(sn.tensor(v, [...w.shape], 'float64'));
        return f().item();
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      w.assign(sn.tensor(base, [...w.shape], 'float64'));
      const a = Number(analytic[i]);
      assert.ok(
        Math.abs(a - numeric) <= 1e-6 + 1e-5 * Math.abs(numeric),
        `${what}: d/d${w.name}[${i}] autodiff ${a}, finite differences ${numeric}`,
      );
    }
  }
}

const CELLS = {
  simpleRNN: () =>
    sn.layers.simpleRNN({
      units: U,
      dtype: 'float64',
      returnSequences: true,
      returnState: true,
      biasInitializer: 'glorotUniform',
    }),
  lstm: () =>
    sn.layers.lstm({
      units: U,
      dtype: 'float64',
      returnSequences: true,
      returnState: true,
      biasInitializer: 'glorotUniform',
    }),
  gruResetAfter: () =>
    sn.layers.gru({
      units: U,
      dtype: 'float64',
      returnSequences: true,
      returnState: true,
      biasInitializer: 'glorotUniform',
    }),
  gruResetBefore: () =>
    sn.layers.gru({
      units: U,
      dtype: 'float64',
      returnSequences: true,
      returnState: true,
      resetAfter: false,
      biasInitializer: 'glorotUniform',
    }),
};

for (const [name, make] of Object.entries(CELLS)) {
  for (const goBackwards of [false, true]) {
    test(`${name}${goBackwards ? ' (goBackwards)' : ''}: float64 gradients through 5 steps with masked steps match finite differences (weights and input)`, () => {
      const layer = make();
      const x = seq(1);
      const h0 = sn.tensor(Array.from(lcg(B * U, 3, -0.5, 0.5)), [B, U], 'float64');
      const base = [x, h0, ...(name === 'lstm' ? [sn.mul(h0, 0.5)] : [])];
      const run = (xs: sn.Tensor[]) => (goBackwards ? layerBack : layer).apply(xs, { mask: MASK });
      const layerBack = sn.layers.rnn({
        cell: layer.cell,
        goBackwards: true,
        returnSequences: true,
        returnState: true,
      });
      layer.apply(base);
      checkWeightGrads(layer, () => objective(run(base)), name);
      // Input and initial states.
      sn.testing.gradCheck((...xs) => objective(run(xs)), base);
    });
  }
}

test('rnn over stackedRNNCells (a gru cell then an lstm cell): float64 gradients match finite differences', () => {
  const cell = sn.layers.stackedRNNCells({
    cells: [
      sn.layers.gruCell({ units: 3, dtype: 'float64' }),
      sn.layers.lstmCell({ units: 2, dtype: 'float64', biasInitializer: 'glorotUniform' }),
    ],
    dtype: 'float64',
  });
  const layer = sn.layers.rnn({ cell, returnSequences: true, dtype: 'float64' });
  const x = seq(4);
  layer.apply(x);
  assert.deepEqual(layer.stateSize, [3, 2, 2]);
  checkWeightGrads(layer, () => objective(layer.apply(x, { mask: MASK })), 'stacked');
  sn.testing.gradCheck((t) => objective(layer.apply(t, { mask: MASK })), [x]);
});

/** A plain-number GRU with Keras's resetAfter, from the formulas (no sinew ops). */
function referenceGRU(
  x: number[],
  k: number[],
  u: number[],
  bias: number[],
  units: number,
): number[] {
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(units).fill(0);
    for (let t = 0; t < T; t++) {
      const xt = x.slice((b * T + t) * F, (b * T + t + 1) * F);
      const xp = (j: number): number =>
        xt.reduce((s, v, f) => s + v * k[f * 3 * units + j]!, bias[j]!);
      const hp = (j: number): number =>
        h.reduce((s, v, i) => s + v * u[i * 3 * units + j]!, bias[3 * units + j]!);
      const next: number[] = [];
      for (let j = 0; j < units; j++) {
        const z = sig(xp(j) + hp(j));
        const r = sig(xp(units + j) + hp(units + j));
        const cand = Math.tanh(xp(2 * units + j) + r * hp(2 * units + j));
        next.push(z * h[j]! + (1 - z) * cand);
      }
      h = next;
      out.push(...h);
    }
  }
  return out;
}

test('gru with resetAfter (Keras default, bias [2, 3·units]) matches a plain-number loop', () => {
  const layer = sn.layers.gru({
    units: 3,
    returnSequences: true,
    biasInitializer: 'glorotUniform',
    dtype: 'float64',
  });
  const x = seq(9);
  const y = layer.apply(x) as sn.Tensor;
  assert.deepEqual(layer.cell.bias!.shape, [2, 9]);
  const [k, u, b] = layer.getWeights().map((w) => Array.from(w.dataSync() as Float64Array));
  const expected = referenceGRU(Array.from(x.dataSync() as Float64Array), k!, u!, b!, 3);
  const got = Array.from(y.dataSync() as Float64Array);
  got.forEach((v, i) =>
    assert.ok(Math.abs(v - expected[i]!) < 1e-12, `element ${i}: ${v} vs ${expected[i]}`),
  );
});

test('a masked sequence gives what the unpadded sequence gives (embedding maskZero → lstm), and the loss counts the valid steps only', async () => {
  const emb = sn.layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true, name: 'emb' });
  const rnn = sn.layers.lstm({ units: 2, name: 'enc', returnSequences: true });
  const ids = sn.input({ shape: [4] });
  const model = sn.model({ inputs: ids, outputs: rnn.apply(emb.apply(ids)) });
  const padded = sn.tensor([
    [3, 1, 0, 0],
    [2, 5, 4, 1],
  ]);
  const y = model.apply(padded) as sn.Tensor;
  const short = rnn.apply(emb.apply(sn.tensor([[3, 1]]))) as sn.Tensor;
  const got = y.dataSync();
  const want = short.dataSync();
  // Steps 0, 1 as the short sequence; the padded steps repeat step 1's output (Keras).
  for (let t = 0; t < 4; t++) {
    for (let j = 0; j < 2; j++) {
      assert.ok(Math.abs(got[t * 2 + j]! - want[Math.min(t, 1) * 2 + j]!) < 1e-6, `step ${t}`);
    }
  }
  // Loss masking (Keras 3): the mean of the per-step losses over the 6 valid steps.
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const target = sn.zeros([2, 4, 2]);
  const { loss } = model.evaluate(padded, target) as unknown as { loss: number };
  const perStep: number[] = [];
  for (let i = 0; i < 8; i++) perStep.push((got[2 * i]! ** 2 + got[2 * i + 1]! ** 2) / 2);
  const valid = [0, 1, 4, 5, 6, 7].map((i) => perStep[i]!);
  const expected = (valid.reduce((a, b) => a + b, 0) * (8 / (6 + 1e-7))) / 8;
  assert.ok(Math.abs(loss - expected) < 1e-6, `masked loss ${loss} vs ${expected}`);
});

test('dropout draws one mask per call, the same at every step (the input gradient is zero at the same features at every step)', () => {
  const layer = sn.layers.simpleRNN({
    units: 3,
    dropout: 0.5,
    recurrentDropout: 0.5,
    seed: 7,
    returnSequences: true,
  });
  const x = sn.tensor(Array.from(lcg(4 * 6 * 5, 2, -1, 1)), [4, 6, 5]);
  const g = sn.grads((t) => sn.sum(layer.apply(t, { training: true }) as sn.Tensor))([x])[0]!;
  const v = g.dataSync();
  let dropped = 0;
  for (let b = 0; b < 4; b++) {
    for (let f = 0; f < 5; f++) {
      const zero = (t: number): boolean => v[(b * 6 + t) * 5 + f] === 0;
      for (let t = 1; t < 6; t++)
        assert.equal(zero(t), zero(0), `sample ${b} feature ${f} step ${t}`);
      if (zero(0)) dropped++;
    }
  }
  assert.ok(dropped > 0 && dropped < 20, `some features dropped (${dropped} of 20)`);
  // Inference: no dropout, the gradient reaches every feature.
  const gi = sn.grads((t) => sn.sum(layer.apply(t) as sn.Tensor))([x])[0]!;
  assert.ok(Array.from(gi.dataSync()).every((e) => e !== 0));
});

test('stateful: two calls on the halves of a sequence equal one call on the whole; resetStates starts from zeros', () => {
  const whole = sn.layers.lstm({ units: 2, name: 'whole' });
  const split = sn.layers.lstm({ units: 2, name: 'halves', stateful: true });
  const x = seq(5, [B, 6, F]);
  const xf = sn.cast(x, 'float32');
  whole.apply(xf);
  split.apply(sn.slice(xf, [0, 0, 0], { size: [B, 3, F] }));
  split.setWeights(whole.getWeights());
  split.resetStates();
  split.apply(sn.slice(xf, [0, 0, 0], { size: [B, 3, F] }));
  const second = split.apply(sn.slice(xf, [0, 3, 0], { size: [B, 3, F] })) as sn.Tensor;
  const full = whole.apply(xf) as sn.Tensor;
  Array.from(second.dataSync()).forEach((v, i) =>
    assert.ok(Math.abs(v - full.dataSync()[i]!) < 1e-6),
  );
  split.resetStates();
  const fresh = split.apply(sn.slice(xf, [0, 3, 0], { size: [B, 3, F] })) as sn.Tensor;
  const alone = whole.apply(sn.slice(xf, [0, 3, 0], { size: [B, 3, F] })) as sn.Tensor;
  Array.from(fresh.dataSync()).forEach((v, i) =>
    assert.ok(Math.abs(v - alone.dataSync()[i]!) < 1e-6),
  );
  assert.throws(
    () => split.apply(sn.zeros([B + 1, 3, F])),
    (e: Error) =>
      e instanceof sn.ShapeError && /stateful.*batch of 2.*resetStates/s.test(e.message),
  );
});

test('activity penalty: each returned output (sequence and both lstm states), divided by the batch (Keras 3, SEMANTICS rule 6)', () => {
  const layer = sn.layers.lstm({
    units: 2,
    name: 'lstm',
    returnSequences: true,
    returnState: true,
    activityRegularizer: sn.regularizers.l2(0.5),
  });
  const x = sn.input({ shape: [3, 2] });
  const model = sn.model({ inputs: x, outputs: layer.apply(x) as unknown as sn.SymbolicTensor[] });
  const outs = model.apply(
    sn.tensor(Array.from(lcg(4 * 3 * 2, 8, -1, 1)), [4, 3, 2]),
  ) as unknown as sn.Tensor[];
  const squares = outs.map((y) => Array.from(y.dataSync()).reduce((s, v) => s + v * v, 0));
  const expected = squares.reduce((s, q) => s + (0.5 * q) / 4, 0);
  const got = model.regularizationLosses()['lstm/activity']!;
  assert.ok(Math.abs(got - expected) < 1e-5, `${got} vs ${expected}`);
});

test('SEMANTICS: a frozen recurrent layer is not penalised; a regularizer set after build takes effect; a shared embedding counts once', () => {
  const x = sn.input({ shape: [3, 2] });
  const layer = sn.layers.gru({
    units: 2,
    name: 'gru',
    kernelRegularizer: sn.regularizers.l2(0.1),
    recurrentRegularizer: sn.regularizers.l1(0.2),
  });
  const model = sn.model({ inputs: x, outputs: layer.apply(x) });
  const [k, u] = layer.getWeights().map((w) => Array.from(w.dataSync()));
  const l2 = (v: number[], c: number) => c * v.reduce((s, e) => s + e * e, 0);
  const l1 = (v: number[], c: number) => c * v.reduce((s, e) => s + Math.abs(e), 0);
  let terms = model.regularizationLosses();
  assert.ok(Math.abs(terms['gru/kernel']! - l2(k!, 0.1)) < 1e-6);
  assert.ok(Math.abs(terms['gru/recurrent_kernel']! - l1(u!, 0.2)) < 1e-6);
  // Set after build (rule 10).
  layer.recurrentRegularizer = sn.regularizers.l2(0.3);
  layer.biasRegularizer = sn.regularizers.l2(2);
  terms = model.regularizationLosses();
  assert.ok(Math.abs(terms['gru/recurrent_kernel']! - l2(u!, 0.3)) < 1e-6);
  assert.equal(terms['gru/bias'], 0); // zeros-initialised bias, now penalised
  // Frozen (rule 12).
  layer.trainable = false;
  assert.deepEqual(Object.keys(model.regularizationLosses()), []);
  layer.trainable = true;

  // Shared embedding, applied to two inputs (rule 11).
  const emb = sn.layers.embedding({
    inputDim: 4,
    outputDim: 2,
    name: 'emb',
    embeddingsRegularizer: sn.regularizers.l2(0.1),
  });
  const a = sn.input({ shape: [3] });
  const b = sn.input({ shape: [3] });
  const shared = sn.model({
    inputs: [a, b],
    outputs: sn.layers.add().apply([emb.apply(a), emb.apply(b)]),
  });
  const e = Array.from(emb.getWeights()[0]!.dataSync());
  assert.ok(Math.abs(shared.regularizationLosses()['emb/embeddings']! - l2(e, 0.1)) < 1e-7);
  assert.equal(shared.losses.length, 1);
});

test('bad inputs: typed errors that say what was received, what was expected and the fix', () => {
  const lstm = sn.layers.lstm({ units: 2, name: 'seq' });
  assert.throws(
    () => lstm.apply(sn.zeros([4, 3])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /LSTM 'seq' expected a sequence input of rank 3 \[batch, steps, features\], received shape \[4, 3\]; .*\[batch, steps, 1\]/.test(
        e.message,
      ),
  );
  assert.throws(
    () => sn.layers.lstm({ units: 0 }),
    (e: Error) =>
      e instanceof sn.ConfigError && /units must be a positive integer, received 0/.test(e.message),
  );
  const withState = sn.layers.lstm({ units: 2, name: 'st' });
  assert.throws(
    () => withState.apply([sn.zeros([4, 3, 2]), sn.zeros([4, 3]), sn.zeros([4, 2])]),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /LSTM 'st' initial state 0 must have shape \[4, 2\], received \[4, 3\]/.test(e.message),
  );
  assert.throws(
    () =>
      sn.layers
        .gru({ units: 2, name: 'g' })
        .apply([sn.zeros([4, 3, 2]), sn.zeros([4, 2]), sn.zeros([4, 2])]),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /GRU 'g' expected 1 initial state\(s\) of shapes \[batch, 2\], received 2/.test(e.message),
  );
  const emb = sn.layers.embedding({ inputDim: 5, outputDim: 2, name: 'words' });
  assert.throws(
    () => emb.apply(sn.tensor([[1, 5]])),
    (e: Error) =>
      e instanceof sn.IndexError &&
      /Embedding 'words' has inputDim 5 \(indices 0 … 4\), received index 5 .*raise inputDim to at least 6/.test(
        e.message,
      ),
  );
  assert.throws(
    () => emb.apply(sn.tensor([[1, 2.5]])),
    (e: Error) =>
      e instanceof sn.IndexError && /expects integer indices, received 2.5/.test(e.message),
  );
  assert.throws(
    () => emb.apply(sn.tensor([[-1, 2]])),
    (e: Error) => e instanceof sn.IndexError && /received index -1/.test(e.message),
  );
  const td = sn.layers.timeDistributed({
    layer: sn.layers.conv2d({ filters: 2, kernelSize: 3 }),
    name: 'td',
  });
  assert.throws(
    () => td.apply(sn.zeros([2, 4, 5])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /TimeDistributed 'td' gives Conv2D '.*' each step of input \[null, 4, 5\], i\.e\. shape \[null, 5\], which it cannot take: .*Fix:/.test(
        e.message,
      ),
  );
  assert.throws(
    () =>
      sn.layers
        .timeDistributed({ layer: sn.layers.dense({ units: 2 }), name: 'td2' })
        .apply(sn.zeros([2, 4])),
    (e: Error) =>
      e instanceof sn.ShapeError &&
      /TimeDistributed 'td2' expected input of rank >= 3/.test(e.message),
  );
});

test('timeDistributed(dense) equals the dense layer on each step; masking zeroes masked steps and passes the mask on', () => {
  const dense = sn.layers.dense({ units: 3 });
  const td = sn.layers.timeDistributed({ layer: dense });
  const x = sn.tensor(Array.from(lcg(2 * 4 * 5, 12, -1, 1)), [2, 4, 5]);
  const y = td.apply(x) as sn.Tensor;
  assert.deepEqual(y.shape, [2, 4, 3]);
  const [k, b] = dense.getWeights().map((w) => Array.from(w.dataSync()));
  const xv = x.dataSync();
  for (let r = 0; r < 8; r++) {
    for (let j = 0; j < 3; j++) {
      let s = b![j]!;
      for (let f = 0; f < 5; f++) s += xv[r * 5 + f]! * k![f * 3 + j]!;
      assert.ok(Math.abs(y.dataSync()[r * 3 + j]! - s) < 1e-5);
    }
  }
  const masking = sn.layers.masking({ maskValue: 2 });
  const m = sn.tensor([
    [
      [2, 2],
      [1, 2],
    ],
  ]);
  assert.deepEqual(Array.from((masking.apply(m) as sn.Tensor).dataSync()), [0, 0, 1, 2]);
  assert.deepEqual(Array.from(masking.computeMask(m, undefined)!.dataSync()), [0, 1]);
});

test("a seeded cell's dropout generator is saved and restored with the layer (checkpoints resume the same masks)", () => {
  const layer = sn.layers.lstm({ units: 2, dropout: 0.5, recurrentDropout: 0.5, seed: 11 });
  const x = sn.tensor(Array.from(lcg(3 * 4 * 3, 5, -1, 1)), [3, 4, 3]);
  layer.apply(x);
  const state = layer.getRandomState()!;
  const first = (layer.apply(x, { training: true }) as sn.Tensor).dataSync();
  const second = (layer.apply(x, { training: true }) as sn.Tensor).dataSync();
  assert.notDeepEqual(Array.from(second), Array.from(first), 'a new mask per call');
  layer.setRandomState(state);
  assert.deepEqual(
    Array.from((layer.apply(x, { training: true }) as sn.Tensor).dataSync()),
    Array.from(first),
  );
  assert.equal(sn.layers.lstm({ units: 2 }).getRandomState(), undefined);
  assert.throws(
    () => sn.layers.gru({ units: 2, name: 'noseed' }).setRandomState(state),
    /GRU 'noseed': setRandomState needs a cell with a seed/,
  );
});

test("summary lists a recurrent layer's penalties, its wrappers' by the inner layer's weight names", () => {
  const model = sn.sequential({
    layers: [
      sn.layers.lstm({
        units: 2,
        name: 'enc',
        recurrentRegularizer: sn.regularizers.l2(0.01),
        returnSequences: true,
        inputShape: [3, 2],
      }),
      sn.layers.bidirectional({
        layer: sn.layers.gru({ units: 2, name: 'g', kernelRegularizer: sn.regularizers.l1(0.02) }),
      }),
    ],
  });
  const lines: string[] = [];
  model.summary({ printFn: (l) => lines.push(l) });
  const text = lines.join('\n');
  assert.match(text, /enc \(LSTM\).*recurrent_kernel: L2\(l2=0\.01\)/);
  assert.match(
    text,
    /bidirectional \(Bidirectional\).*forward_g\/kernel: L1\(l1=0\.02\); backward_g\/kernel: L1\(l1=0\.02\)/,
  );
});

test('initialState is a recurrent layer call option only: another layer refuses it by name', () => {
  const x = sn.ones([2, 3]);
  const dense = sn.layers.dense({ units: 2 });
  assert.throws(
    () => dense.apply(x, { initialState: [x] } as sn.layers.RNNCallOptions),
    (e: unknown) =>
      e instanceof sn.ConfigError && /apply/.test(e.message) && /initialState/.test(e.message),
  );
  // The lstm accepts it: the given state is the one the first step starts from.
  const lstm = sn.layers.lstm({ units: 2, returnState: true });
  const seq = sn.ones([2, 1, 3]);
  const zero = lstm.apply(seq) as unknown as sn.Tensor[];
  const given = lstm.apply(seq, {
    initialState: [sn.ones([2, 2]), sn.ones([2, 2])],
  }) as unknown as sn.Tensor[];
  assert.notDeepEqual(Array.from(given[0]!.dataSync()), Array.from(zero[0]!.dataSync()));
});
