import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../src/index.js';
import { lcg } from './helpers.js';

/**
 * The recurrent layers against TensorFlow.js 4.22 (cpu backend) on the same weights:
 * forward values, gradients of a loss carrying all four regularizer kinds, and 20 training
 * steps, over returnSequences × returnState × goBackwards × masks (a masking layer before
 * the recurrent one), and bidirectional's merge modes. TF.js refuses activity regularizers
 * and has only GRU with resetAfter false and hard-sigmoid gates by default, so on its side
 * the gates are set to sigmoid (Keras's default) and every penalty is written out by hand:
 * kernel 0.01·Σk², recurrent 0.02·Σu², bias 0.03·Σ|b|, activity 0.05·Σy²/batch on each
 * output the layer returns (Keras 3). GRU with resetAfter true (Keras only) is checked against
 * a plain-number reference in src/layers/recurrent/recurrent.test.ts.
 */

before(async () => {
  await tf.setBackend('cpu');
});

const [B, T, F, U] = [3, 5, 2, 3];
const KC = 0.01;
const RC = 0.02;
const BC = 0.03;
const AC = 0.05;
type Kind = 'simpleRNN' | 'lstm' | 'gru';

interface Flags {
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  mask: boolean;
}

/** Inputs with the last steps of samples 1 and 2 all zeros (masked when `mask`). */
function inputs(): number[] {
  const x = Array.from(lcg(B * T * F, 31, -1, 1));
  for (const [b, from] of [
    [1, 3],
    [2, 1],
  ] as const) {
    for (let t = from; t < T; t++) for (let f = 0; f < F; f++) x[(b * T + t) * F + f] = 0;
  }
  // Sample 2's first step masked too (a leading pad).
  for (let f = 0; f < F; f++) x[(2 * T + 0) * F + f] = 0;
  x[(2 * T + 1) * F] = 0.5;
  return x;
}

function ourLayer(kind: Kind, flags: Flags): sn.layers.RNN {
  const options = {
    units: U,
    returnSequences: flags.returnSequences,
    returnState: flags.returnState,
    goBackwards: flags.goBackwards,
    kernelRegularizer: sn.regularizers.l2(KC),
    recurrentRegularizer: sn.regularizers.l2(RC),
    biasRegularizer: sn.regularizers.l1(BC),
    activityRegularizer: sn.regularizers.l2(AC),
    biasInitializer: 'glorotUniform',
  } as const;
  if (kind === 'lstm') return sn.layers.lstm({ ...options, name: 'lstm' });
  if (kind === 'gru') return sn.layers.gru({ ...options, resetAfter: false, name: 'gru' });
  return sn.layers.simpleRNN({ ...options, name: 'simple_rnn' });
}

function theirLayer(kind: Kind, flags: Flags): tf.layers.Layer {
  const options = {
    units: U,
    returnSequences: flags.returnSequences,
    returnState: flags.returnState,
    goBackwards: flags.goBackwards,
  };
  if (kind === 'lstm') return tf.layers.lstm({ ...options, recurrentActivation: 'sigmoid' });
  if (kind === 'gru') return tf.layers.gru({ ...options, recurrentActivation: 'sigmoid' });
  return tf.layers.simpleRNN(options);
}

function ourModel(layer: sn.Layer, mask: boolean): sn.Model {
  const x = sn.input({ shape: [T, F] });
  const h = mask ? sn.layers.masking().apply(x) : x;
  return sn.model({ inputs: x, outputs: layer.apply(h) });
}

function theirModel(layer: tf.layers.Layer, mask: boolean): tf.LayersModel {
  const x = tf.input({ shape: [T, F] });
  const h = mask ? (tf.layers.masking({ maskValue: 0 }).apply(x) as tf.SymbolicTensor) : x;
  return tf.model({ inputs: x, outputs: layer.apply(h) as tf.SymbolicTensor[] });
}

/** Σ_k Σ y_k · c_k with fixed coefficients per output. */
function coefficients(shapes: readonly (readonly number[])[]): number[][] {
  return shapes.map((s, k) =>
    Array.from(
      lcg(
        s.reduce((a, b) => a * b, 1),
        50 + k,
        -1,
        1,
      ),
    ),
  );
}

function theirPenalties(weights: readonly tf.Tensor[], outputs: readonly tf.Tensor[]): tf.Scalar {
  const [k, u, b] = weights as [tf.Tensor, tf.Tensor, tf.Tensor];
  let total = tf.addN([
    tf.mul(KC, tf.sum(tf.square(k))),
    tf.mul(RC, tf.sum(tf.square(u))),
    tf.mul(BC, tf.sum(tf.abs(b))),
  ]) as tf.Scalar;
  for (const y of outputs) total = tf.add(total, tf.div(tf.mul(AC, tf.sum(tf.square(y))), B));
  return total;
}

function worst(a: ArrayLike<number>, e: ArrayLike<number>): number {
  assert.equal(a.length, e.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) {
    w = Math.max(w, Math.abs(Number(a[i]) - Number(e[i])) / Math.max(Math.abs(Number(e[i])), 1));
  }
  return w;
}

const COMBOS: Flags[] = [];
for (const returnSequences of [false, true]) {
  for (const returnState of [false, true]) {
    for (const goBackwards of [false, true]) {
      for (const mask of [false, true])
        COMBOS.push({ returnSequences, returnState, goBackwards, mask });
    }
  }
}

for (const kind of ['simpleRNN', 'lstm', 'gru'] as const) {
  test(`${kind}: forward and gradients (four regularizer kinds) match TF.js over returnSequences × returnState × goBackwards × mask`, () => {
    const x = inputs();
    for (const flags of COMBOS) {
      const what = `${kind} ${JSON.stringify(flags)}`;
      const layer = ourLayer(kind, flags);
      const ours = ourModel(layer, flags.mask);
      const tl = theirLayer(kind, flags);
      const theirs = theirModel(tl, flags.mask);
      tl.setWeights(layer.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));

      const xo = sn.tensor(x, [B, T, F]);
      const outs = [ours.apply(xo)].flat() as sn.Tensor[];
      const xt = tf.tensor(x, [B, T, F]);
      const theirOuts = [theirs.apply(xt)].flat() as tf.Tensor[];
      assert.equal(outs.length, flags.returnState ? (kind === 'lstm' ? 3 : 2) : 1, what);
      outs.forEach((y, i) => {
        assert.deepEqual([...y.shape], theirOuts[i]!.shape, what);
        assert.ok(
          worst(y.dataSync() as Float32Array, theirOuts[i]!.dataSync()) < 1e-5,
          `${what} output ${i}`,
        );
      });

      // Gradients of Σ y·c + every penalty.
      const cs = coefficients(outs.map((y) => y.shape));
      const weights = layer.trainableWeights;
      const { value, grads } = sn.valueAndGrads(() => {
        const ys = [ours.apply(xo)].flat() as sn.Tensor[];
        const data = sn.addN(ys.map((y, i) => sn.sum(sn.mul(y, sn.tensor(cs[i]!, [...y.shape])))));
        return sn.add(data, sn.addN(ours.losses));
      }, weights);
      const names = Object.keys(ours.regularizationLosses()).sort();
      const n = layer.name;
      assert.deepEqual(
        names,
        [`${n}/activity`, `${n}/bias`, `${n}/kernel`, `${n}/recurrent_kernel`],
        what,
      );

      const vars = tl.trainableWeights.map((w) => w.read() as tf.Variable);
      const their = tf.variableGrads(() => {
        const ys = [theirs.apply(xt)].flat() as tf.Tensor[];
        const data = tf.addN(ys.map((y, i) => tf.sum(tf.mul(y, tf.tensor(cs[i]!, y.shape)))));
        return tf.add(data, theirPenalties(vars, ys)) as tf.Scalar;
      }, vars);
      assert.ok(Math.abs(value.item() - their.value.dataSync()[0]!) < 1e-4, `${what} loss`);
      weights.forEach((w, i) => {
        const g = their.grads[vars[i]!.name]!;
        assert.ok(
          worst(grads.get(w)!.dataSync() as Float32Array, g.dataSync()) < 1e-4,
          `${what} grad of ${w.name}`,
        );
      });
    }
  });
}

test('20 training steps of a masked sequence classifier match TF.js (lstm and gru, four regularizer kinds)', async () => {
  const x = inputs();
  const y = Array.from(lcg(B * 2, 61, 0, 1));
  for (const kind of ['lstm', 'gru'] as const) {
    const flags = { returnSequences: false, returnState: false, goBackwards: true, mask: true };
    const layer = ourLayer(kind, flags);
    const dense = sn.layers.dense({ units: 2, name: 'head' });
    const xi = sn.input({ shape: [T, F] });
    const ours = sn.model({
      inputs: xi,
      outputs: dense.apply(layer.apply(sn.layers.masking().apply(xi))),
    });
    const tl = theirLayer(kind, flags);
    const td = tf.layers.dense({ units: 2 });
    const xt = tf.input({ shape: [T, F] });
    const theirs = tf.model({
      inputs: xt,
      outputs: td.apply(
        tl.apply(tf.layers.masking({ maskValue: 0 }).apply(xt)),
      ) as tf.SymbolicTensor,
    });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));

    ours.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    const history = await ours.fit(sn.tensor(x, [B, T, F]), sn.tensor(y, [B, 2]), {
      epochs: 20,
      batchSize: B,
      shuffle: false,
      verbose: 0,
    });

    // TF.js: the same step by hand (its layers refuse activity regularizers).
    const optimizer = tf.train.sgd(0.1);
    const vars = theirs.trainableWeights.map((w) => w.read() as tf.Variable);
    const rnnVars = tl.trainableWeights.map((w) => w.read() as tf.Variable);
    const xs = tf.tensor(x, [B, T, F]);
    const ys = tf.tensor(y, [B, 2]);
    const inner = tf.model({ inputs: theirs.inputs, outputs: tl.output as tf.SymbolicTensor });
    const theirLosses: number[] = [];
    for (let step = 0; step < 20; step++) {
      const loss = optimizer.minimize(
        () => {
          const h = inner.apply(xs) as tf.Tensor;
          const p = td.apply(h) as tf.Tensor;
          const data = tf.mean(tf.square(tf.sub(p, ys)));
          return tf.add(data, theirPenalties(rnnVars, [h])) as tf.Scalar;
        },
        true,
        vars,
      )!;
      theirLosses.push(loss.dataSync()[0]!);
    }
    const ourLosses = history.history.loss as number[];
    ourLosses.forEach((l, i) =>
      assert.ok(
        Math.abs(l - theirLosses[i]!) < 1e-4 * Math.max(1, Math.abs(l)),
        `${kind} step ${i}: ${l} vs ${theirLosses[i]}`,
      ),
    );
    assert.ok(ourLosses[19]! < ourLosses[0]!, `${kind}: the loss falls`);
    const finals = theirs.getWeights();
    ours
      .getWeights()
      .forEach((w, i) =>
        assert.ok(
          worst(w.dataSync() as Float32Array, finals[i]!.dataSync()) < 1e-4,
          `${kind} weight ${i}`,
        ),
      );
  }
});

for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
  test(`bidirectional lstm (mergeMode ${mergeMode}): forward and gradients match TF.js, with and without returnSequences / returnState / mask`, () => {
    const x = inputs();
    for (const flags of COMBOS.filter((f) => !f.goBackwards)) {
      const what = `bidirectional ${mergeMode} ${JSON.stringify(flags)}`;
      const inner = sn.layers.lstm({
        units: U,
        name: 'enc',
        returnSequences: flags.returnSequences,
        returnState: flags.returnState,
        biasInitializer: 'glorotUniform',
      });
      const bi = sn.layers.bidirectional({ layer: inner, mergeMode });
      const ours = ourModel(bi, flags.mask);
      const tbi = tf.layers.bidirectional({
        layer: tf.layers.lstm({
          units: U,
          returnSequences: flags.returnSequences,
          returnState: flags.returnState,
          recurrentActivation: 'sigmoid',
        }) as tf.RNN,
        // TF.js reads null as "return both", as Keras.
        mergeMode: mergeMode as 'concat',
      });
      const theirs = theirModel(tbi, flags.mask);
      tbi.setWeights(bi.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
      assert.deepEqual(
        bi.weights.map((w) => w.name),
        ['forward_enc', 'backward_enc'].flatMap((p) => [
          `${p}/kernel`,
          `${p}/recurrent_kernel`,
          `${p}/bias`,
        ]),
      );
      const xo = sn.tensor(x, [B, T, F]);
      const xt = tf.tensor(x, [B, T, F]);
      const outs = [ours.apply(xo)].flat() as sn.Tensor[];
      const theirOuts = [theirs.apply(xt)].flat() as tf.Tensor[];
      assert.equal(outs.length, theirOuts.length, what);
      // TF.js keeps the previous output at masked steps of a bidirectional sequence; Keras
      // (and sinew) output zeros there. Compare the unmasked steps only in that case.
      const zeroed = flags.mask && flags.returnSequences;
      outs.forEach((y, i) => {
        assert.deepEqual([...y.shape], theirOuts[i]!.shape, what);
        const a = y.dataSync() as Float32Array;
        const e = theirOuts[i]!.dataSync();
        if (zeroed && y.rank === 3) {
          const per = y.shape[2]!;
          for (let b = 0; b < B; b++) {
            for (let t = 0; t < T; t++) {
              const masked = x.slice((b * T + t) * F, (b * T + t + 1) * F).every((v) => v === 0);
              for (let j = 0; j < per; j++) {
                const at = (b * T + t) * per + j;
                if (masked) assert.equal(a[at], 0, `${what}: a masked step outputs 0`);
                else assert.ok(Math.abs(a[at]! - e[at]!) < 1e-5, `${what} output ${i} at ${at}`);
              }
            }
          }
        } else {
          assert.ok(worst(a, e) < 1e-5, `${what} output ${i}`);
        }
      });
      if (zeroed) continue;
      const cs = coefficients(outs.map((y) => y.shape));
      const weights = bi.trainableWeights;
      const { grads } = sn.valueAndGrads(() => {
        const ys = [ours.apply(xo)].flat() as sn.Tensor[];
        return sn.addN(ys.map((y, i) => sn.sum(sn.mul(y, sn.tensor(cs[i]!, [...y.shape])))));
      }, weights);
      const vars = tbi.trainableWeights.map((w) => w.read() as tf.Variable);
      const their = tf.variableGrads(() => {
        const ys = [theirs.apply(xt)].flat() as tf.Tensor[];
        return tf.addN(
          ys.map((y, i) => tf.sum(tf.mul(y, tf.tensor(cs[i]!, y.shape)))),
        ) as tf.Scalar;
      }, vars);
      weights.forEach((w, i) => {
        const g = their.grads[vars[i]!.name]!;
        assert.ok(
          worst(grads.get(w)!.dataSync() as Float32Array, g.dataSync()) < 1e-4,
          `${what} grad of ${w.name}`,
        );
      });
    }
  });
}

test('initial states (apply(x, { initialState }) and apply([x, ...states])) match TF.js for lstm, gru and simpleRNN, in a functional model too', () => {
  const x = inputs();
  for (const kind of ['simpleRNN', 'lstm', 'gru'] as const) {
    const flags = { returnSequences: true, returnState: true, goBackwards: false, mask: false };
    const layer = ourLayer(kind, flags);
    const tl = theirLayer(kind, flags);
    const n = kind === 'lstm' ? 2 : 1;
    const states = Array.from({ length: n }, (_, i) => Array.from(lcg(B * U, 90 + i, -1, 1)));
    const ours = [
      layer.apply(sn.tensor(x, [B, T, F]), {
        initialState: states.map((s) => sn.tensor(s, [B, U])),
      }),
    ].flat() as sn.Tensor[];
    tl.apply(tf.zeros([B, T, F]));
    tl.setWeights(layer.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const theirs = [
      tl.apply(tf.tensor(x, [B, T, F]), {
        initialState: states.map((s) => tf.tensor(s, [B, U])),
      }),
    ].flat() as tf.Tensor[];
    assert.equal(ours.length, theirs.length);
    ours.forEach((y, i) =>
      assert.ok(worst(y.dataSync() as Float32Array, theirs[i]!.dataSync()) < 1e-5, `${kind} ${i}`),
    );
    // The same through a functional model with the states as inputs.
    const xi = sn.input({ shape: [T, F] });
    const si = states.map(() => sn.input({ shape: [U] }));
    const model = sn.model({
      inputs: [xi, ...si],
      outputs: layer.apply(xi, { initialState: si }) as unknown as sn.SymbolicTensor[],
    });
    const viaModel = model.apply([
      sn.tensor(x, [B, T, F]),
      ...states.map((s) => sn.tensor(s, [B, U])),
    ]) as sn.Tensor[];
    viaModel.forEach((y, i) =>
      assert.ok(
        worst(y.dataSync() as Float32Array, theirs[i]!.dataSync()) < 1e-5,
        `${kind} model ${i}`,
      ),
    );
  }
});
