import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { backend } from '../backends/index.js';
import { FUSED_ACTIVATIONS, type Backend, type FusedActivation } from '../backends/backend.js';
import { withTap } from './taps.js';
import { lcg as values } from '../../test/helpers.js';

// When the Dense layer takes the fused op (one kernel, one tape node) and when it keeps the
// unfused ops (a diagnostics tap wants the pre-activation; an activation that is not one of the
// built-in FUSED_ACTIVATIONS), and that both give the unfused result.

/** Runs fn counting the active backend's fused dense calls. */
function countingDense<T>(fn: () => T): { result: T; calls: number } {
  const be = backend() as Backend & { dense: Backend['dense'] };
  const original = be.dense;
  let calls = 0;
  be.dense = (...args) => {
    calls++;
    return original.apply(be, args);
  };
  try {
    return { result: fn(), calls };
  } finally {
    delete (be as Partial<Backend>).dense; // the prototype's method again (cpu)
    if (be.dense !== original) be.dense = original; // the kernel is an own property (wasm)
  }
}

const x = sn.tensor(values(6 * 5, 1), [6, 5]);

/** A dense layer's output written with the separate ops, from its weights. */
function byHand(layer: sn.layers.Dense, input: sn.Tensor, act: (t: sn.Tensor) => sn.Tensor) {
  const { kernel, bias } = layer; // the variables themselves, so gradients reach them
  const flat = sn.reshape(input, [-1, 5]);
  const z = bias ? sn.add(sn.matmul(flat, kernel!), bias) : sn.matmul(flat, kernel!);
  return act(sn.reshape(z, [...input.shape.slice(0, -1), layer.units]));
}

test('Dense with a fusable activation runs one fused kernel and equals the separate ops', () => {
  // Every fused activation (a Record: one added to FUSED_ACTIVATIONS needs its case here).
  const ops: Record<FusedActivation, (t: sn.Tensor) => sn.Tensor> = {
    sigmoid: sn.sigmoid,
    relu: sn.relu,
    relu6: sn.relu6,
    tanh: sn.tanh,
    linear: (t) => t,
  };
  for (const activation of FUSED_ACTIVATIONS) {
    const act = ops[activation];
    for (const useBias of [true, false]) {
      const layer = sn.layers.dense({ units: 7, activation, useBias });
      layer.apply(x); // builds it
      const { result, calls } = countingDense(() => layer.apply(x));
      assert.equal(calls, 1, `${activation}: fused`);
      assert.deepEqual(result.dataSync(), byHand(layer, x, act).dataSync(), activation);
    }
  }
});

test('Dense on a rank-3 input: fused on the flattened rows, reshaped back', () => {
  const layer = sn.layers.dense({ units: 3, activation: 'tanh' });
  const x3 = sn.reshape(x, [2, 3, 5]);
  const { result, calls } = countingDense(() => layer.apply(x3));
  assert.equal(calls, 1);
  assert.deepEqual(result.shape, [2, 3, 3]);
  assert.deepEqual(result.dataSync(), byHand(layer, x3, sn.tanh).dataSync());
});

test('Dense: gradients of the fused layer equal those of the separate ops', () => {
  const layer = sn.layers.dense({ units: 4, activation: 'sigmoid' });
  layer.apply(x);
  const target = sn.tensor(values(24, 9), [6, 4]);
  const loss = (y: sn.Tensor): sn.Tensor => sn.mean(sn.square(sn.sub(y, target)));
  const fused = sn.valueAndGrads(() => loss(layer.apply(x)));
  const plain = sn.valueAndGrads(() => loss(byHand(layer, x, sn.sigmoid)));
  assert.equal(fused.value.dataSync()[0], plain.value.dataSync()[0]);
  for (const w of [layer.kernel!, layer.bias!]) {
    const got = fused.grads.get(w)!.dataSync();
    const want = plain.grads.get(w)!.dataSync();
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-7, `${w.name}[${i}]`));
  }
});

test('Dense keeps the unfused path when a tap wants the pre-activation', () => {
  const layer = sn.layers.dense({ units: 4, activation: 'relu' });
  layer.apply(x);
  const seen: sn.Tensor[] = [];
  const { result, calls } = countingDense(() =>
    withTap({ onPreActivation: (_layer, pre) => seen.push(pre) }, () => layer.apply(x)),
  );
  assert.equal(calls, 0);
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0]!.dataSync(), byHand(layer, x, (t) => t).dataSync());
  assert.deepEqual(result.dataSync(), byHand(layer, x, sn.relu).dataSync());
  // A tap that only watches outputs does not need the pre-activation: still fused.
  const outputsOnly = countingDense(() => withTap({ onOutput: () => {} }, () => layer.apply(x)));
  assert.equal(outputsOnly.calls, 1);
});

test('Dense never fuses a custom activation, a subclass of a built-in, or a non-fusable one', () => {
  class Doubled extends sn.activations.Sigmoid {
    override apply(t: sn.Tensor): sn.Tensor {
      return sn.mul(sn.sigmoid(t), 2);
    }
  }
  class Cube extends sn.activations.Activation {
    apply(t: sn.Tensor): sn.Tensor {
      return sn.mul(t, sn.square(t));
    }
  }
  const cases: [sn.activations.Activation | string, (t: sn.Tensor) => sn.Tensor][] = [
    [new Doubled(), (t) => sn.mul(sn.sigmoid(t), 2)],
    [new Cube(), (t) => sn.mul(t, sn.square(t))],
    ['softplus', sn.softplus],
    [new sn.activations.Elu({ alpha: 0.5 }), (t) => sn.elu(t, { alpha: 0.5 })],
  ];
  for (const [activation, act] of cases) {
    const layer = sn.layers.dense({ units: 3, activation });
    layer.apply(x);
    const { result, calls } = countingDense(() => layer.apply(x));
    assert.equal(calls, 0, String(activation));
    assert.deepEqual(result.dataSync(), byHand(layer, x, act).dataSync());
  }
});
