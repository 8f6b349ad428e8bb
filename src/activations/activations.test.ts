import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as sn from '../index.js';
import { assertClose } from '../../test/helpers.js';
import * as activations from './index.js';

const XS = [-7, -3, -2.5, -1, -0.3, 0, 0.4, 1, 2.5, 3, 6.5];
const x = sn.tensor(XS);

/** Applies the named activation to XS. */
function run(name: string): sn.Tensor {
  return activations.getActivation(name).apply(x);
}

/** erf by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7), independent of sn.erf. */
function erf(v: number): number {
  const s = Math.sign(v);
  const a = Math.abs(v);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-a * a);
  return s * y;
}

test('each activation matches its formula (Keras 3 semantics)', () => {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const SELU_A = 1.6732632423543772;
  const SELU_S = 1.0507009873554805;
  const formulas: Record<string, (v: number) => number> = {
    linear: (v) => v,
    relu: (v) => Math.max(v, 0),
    relu6: (v) => Math.min(Math.max(v, 0), 6),
    sigmoid: sig,
    // Keras 3: relu6(x + 3)/6 → 0 at x <= −3, 1 at x >= 3, x/6 + 0.5 between (e.g. −1 → 1/3)
    hard_sigmoid: (v) => Math.min(Math.max(v + 3, 0), 6) / 6,
    tanh: Math.tanh,
    softplus: (v) => Math.log1p(Math.exp(v)),
    softsign: (v) => v / (1 + Math.abs(v)),
    elu: (v) => (v > 0 ? v : Math.expm1(v)),
    selu: (v) => SELU_S * (v > 0 ? v : SELU_A * Math.expm1(v)),
    gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
    // keras.activations.leaky_relu: negative_slope 0.2
    leaky_relu: (v) => (v > 0 ? v : 0.2 * v),
    swish: (v) => v * sig(v),
    silu: (v) => v * sig(v),
    mish: (v) => v * Math.tanh(Math.log1p(Math.exp(v))),
    hardSigmoid: (v) => Math.min(Math.max(v + 3, 0), 6) / 6,
    leakyRelu: (v) => (v > 0 ? v : 0.2 * v),
  };
  for (const [name, f] of Object.entries(formulas)) {
    assertClose(run(name), XS.map(f), 1e-6, [XS.length]);
  }
  // hard_sigmoid hand values: −3 → 0, −1 → 2/6, 0 → 0.5, 1 → 4/6, 3 → 1
  assertClose(activations.getActivation('hard_sigmoid').apply(sn.tensor([-3, -1, 0, 1, 3])), [
    0,
    1 / 3,
    0.5,
    2 / 3,
    1,
  ]);
});

test('softmax: over the last axis by default, rows sum to 1', () => {
  const m = sn.tensor([
    [1, 2, 3],
    [0, 0, 0],
  ]);
  const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
  const z = e[0]! + e[1]! + e[2]!;
  assertClose(
    run2('softmax', m),
    [e[0]! / z, e[1]! / z, e[2]! / z, 1 / 3, 1 / 3, 1 / 3],
    1e-6,
    [2, 3],
  );
  // axis 0: columns [1, 0], [2, 0], [3, 0]
  const col = (a: number) => [Math.exp(a) / (Math.exp(a) + 1), 1 / (Math.exp(a) + 1)];
  const [c1, c2, c3] = [col(1), col(2), col(3)];
  assertClose(new activations.Softmax({ axis: 0 }).apply(m), [
    c1[0]!,
    c2[0]!,
    c3[0]!,
    c1[1]!,
    c2[1]!,
    c3[1]!,
  ]);
});

test('mish: x·tanh(softplus(x)) (hand values)', () => {
  // softplus(1) = log(1 + e) = 1.3132617, tanh → 0.8650984; softplus(−1) = log(1 + 1/e) =
  // 0.3132617, tanh → 0.3034015, times −1; large |x|: x·tanh(x) → x, and x·e^x → 0.
  assertClose(
    activations.getActivation('mish').apply(sn.tensor([0, 1, -1, 30, -30])),
    [0, 0.8650984, -0.3034015, 30, -30 * Math.exp(-30)],
    1e-6,
    [5],
  );
});

test('log_softmax: x − log Σ exp(x) over the last axis, finite for large logits', () => {
  // log(e + e² + e³) = 3.4076059; rows of zeros give log(1/3)
  const m = sn.tensor([
    [1, 2, 3],
    [0, 0, 0],
  ]);
  const lse = 3.4076059;
  const third = -Math.log(3);
  assertClose(
    run2('log_softmax', m),
    [1 - lse, 2 - lse, 3 - lse, third, third, third],
    1e-6,
    [2, 3],
  );
  // axis 0: columns [1, 0], [2, 0], [3, 0]: log(e^a / (e^a + 1)) and log(1 / (e^a + 1))
  const col = (a: number) => [a - Math.log1p(Math.exp(a)), -Math.log1p(Math.exp(a))];
  const [c1, c2, c3] = [col(1), col(2), col(3)];
  assertClose(
    new activations.LogSoftmax({ axis: 0 }).apply(m),
    [c1[0]!, c2[0]!, c3[0]!, c1[1]!, c2[1]!, c3[1]!],
    1e-6,
  );
  // log(softmax([1000, 0])) would be [0, −Infinity]; the stable form gives [0, −1000]
  assertClose(run2('logSoftmax', sn.tensor([[1000, 0]])), [0, -1000], 1e-6, [1, 2]);
});

function run2(name: string, t: sn.Tensor): sn.Tensor {
  return activations.getActivation(name).apply(t);
}

test('options: elu alpha, leaky_relu negativeSlope, gelu approximate', () => {
  assertClose(
    new activations.Elu({ alpha: 0.5 }).apply(x),
    XS.map((v) => (v > 0 ? v : 0.5 * Math.expm1(v))),
  );
  assertClose(
    new activations.LeakyRelu({ negativeSlope: 0.3 }).apply(x),
    XS.map((v) => (v > 0 ? v : 0.3 * v)),
  );
  const tanhGelu = (v: number) =>
    0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  assertClose(new activations.Gelu({ approximate: true }).apply(x), XS.map(tanhGelu), 1e-6);
});

test('TensorFlow.js parity where tfjs implements the Keras semantics', async () => {
  await tf.setBackend('cpu');
  const tx = tf.tensor(XS);
  const pairs: [string, tf.Tensor][] = [
    ['relu', tf.relu(tx)],
    ['relu6', tf.relu6(tx)],
    ['sigmoid', tf.sigmoid(tx)],
    ['tanh', tf.tanh(tx)],
    ['softplus', tf.softplus(tx)],
    ['elu', tf.elu(tx)],
    ['selu', tf.selu(tx)],
    ['leaky_relu', tf.leakyRelu(tx, 0.2)],
    ['softmax', tf.softmax(tx)],
    ['log_softmax', tf.logSoftmax(tx)],
  ];
  for (const [name, want] of pairs) assertClose(run(name), Array.from(want.dataSync()), 1e-5);
  // tfjs's own activation objects, by their tfjs names: 'mish' and 'logSoftmax' (on rows;
  // tfjs registers logSoftmax but its identifier type leaves it out, hence the cast)
  const rows = [XS.slice(0, 5), XS.slice(5, 10)];
  for (const name of ['mish', 'logSoftmax']) {
    const layer = tf.layers.activation({ activation: name as 'mish' });
    const want = (layer.apply(tf.tensor(rows)) as tf.Tensor).dataSync();
    assertClose(run2(name, sn.tensor(rows)), Array.from(want), 1e-5, [2, 5]);
  }
  // tfjs's hardSigmoid is the old Keras 2 0.2·x + 0.5: at x = 1 it gives 0.7, Keras 3 gives 2/3.
  const old = tf.layers
    .activation({ activation: 'hardSigmoid' })
    .apply(tf.tensor([1])) as tf.Tensor;
  assert.ok(Math.abs(old.dataSync()[0]! - 0.7) < 1e-6);
  assertClose(run2('hard_sigmoid', sn.tensor([1])), [2 / 3]);
});

test('gradients of every activation match finite differences', () => {
  // points away from the kinks of relu, relu6, hard_sigmoid, leaky_relu
  const pts = sn.tensor([-3.7, -1.3, -0.4, 0.6, 1.7, 4.2, 7.1], undefined, 'float64');
  const names = [
    'linear',
    'relu',
    'relu6',
    'sigmoid',
    'hard_sigmoid',
    'tanh',
    'softmax',
    'softplus',
    'softsign',
    'elu',
    'selu',
    'gelu',
    'leaky_relu',
    'swish',
    'mish',
    'log_softmax',
  ];
  for (const name of names) {
    const act = activations.getActivation(name);
    assert.doesNotThrow(() => sn.testing.gradCheck((t) => act.apply(t), [pts]), name);
  }
});

test('getActivation: undefined/null → linear, instances kept, names resolved', () => {
  assert.ok(activations.getActivation() instanceof activations.Linear);
  assert.ok(activations.getActivation(null) instanceof activations.Linear);
  const elu = new activations.Elu({ alpha: 2 });
  assert.equal(activations.getActivation(elu), elu);
  const table: [string, unknown][] = [
    ['hard_sigmoid', activations.HardSigmoid],
    ['hardSigmoid', activations.HardSigmoid],
    ['leaky_relu', activations.LeakyRelu],
    ['leakyRelu', activations.LeakyRelu],
    ['silu', activations.Swish],
    ['swish', activations.Swish],
    ['gelu', activations.Gelu],
    ['mish', activations.Mish],
    ['log_softmax', activations.LogSoftmax],
    ['logSoftmax', activations.LogSoftmax],
  ];
  for (const [id, cls] of table) assert.equal(activations.getActivation(id).constructor, cls, id);
});

test('activationName: the Keras snake_case name of each activation', () => {
  const want: Record<string, string> = {
    linear: 'linear',
    relu: 'relu',
    relu6: 'relu6',
    sigmoid: 'sigmoid',
    hardSigmoid: 'hard_sigmoid',
    hard_sigmoid: 'hard_sigmoid',
    tanh: 'tanh',
    softmax: 'softmax',
    softplus: 'softplus',
    softsign: 'softsign',
    elu: 'elu',
    selu: 'selu',
    gelu: 'gelu',
    leakyRelu: 'leaky_relu',
    leaky_relu: 'leaky_relu',
    swish: 'swish',
    silu: 'swish',
    mish: 'mish',
    logSoftmax: 'log_softmax',
    log_softmax: 'log_softmax',
  };
  for (const [id, name] of Object.entries(want)) {
    assert.equal(activations.activationName(activations.getActivation(id)), name, id);
  }
  class Cube extends activations.Activation {
    static readonly className = 'Cube';
    apply(t: sn.Tensor): sn.Tensor {
      return sn.pow(t, 3);
    }
  }
  assert.equal(activations.activationName(new Cube()), 'Cube');
});

test('unknown names and bad options are ConfigErrors listing the valid names', () => {
  assert.throws(
    () => activations.getActivation('rleu'),
    (e: Error) =>
      e instanceof sn.ConfigError &&
      e.message.includes('"rleu"') &&
      e.message.includes('hard_sigmoid') &&
      e.message.includes('leakyRelu') &&
      e.message.includes('relu'),
  );
  assert.throws(() => activations.getActivation(3 as unknown as string), sn.ConfigError);
  assert.throws(
    () => new activations.Elu({ alpha: NaN }),
    /elu: alpha must be a finite number, received NaN/,
  );
  assert.throws(
    () => new activations.LeakyRelu({ negativeSlope: '0.1' as unknown as number }),
    /negativeSlope must be a finite number, received "0.1"/,
  );
  assert.throws(
    () => new activations.Gelu({ approximate: 1 as unknown as boolean }),
    /approximate must be true or false/,
  );
  assert.throws(() => new activations.Softmax({ axis: 1.5 }), /softmax: axis must be an integer/);
  assert.throws(
    () => new activations.LogSoftmax({ axis: 'last' as unknown as number }),
    /log_softmax: axis must be an integer/,
  );
});

test('config round trip through the registry', () => {
  for (const a of [
    new activations.Elu({ alpha: 0.7 }),
    new activations.LeakyRelu({ negativeSlope: 0.1 }),
    new activations.Gelu({ approximate: true }),
    new activations.Softmax({ axis: 0 }),
    new activations.LogSoftmax({ axis: 0 }),
    new activations.Mish(),
    new activations.Relu(),
  ]) {
    const ser = activations.activationRegistry.serialize(a);
    const back = activations.activationRegistry.deserialize(JSON.parse(JSON.stringify(ser)));
    assert.equal(back.constructor, a.constructor);
    assert.deepEqual(back.getConfig(), a.getConfig());
  }
  assert.deepEqual(activations.activationRegistry.serialize(new activations.LeakyRelu()), {
    className: 'leakyRelu',
    config: { negativeSlope: 0.2 },
  });
  // tfjs's class names: 'logSoftmax' and 'mish' (Keras's 'log_softmax' is an accepted alias)
  assert.deepEqual(activations.activationRegistry.serialize(new activations.LogSoftmax()), {
    className: 'logSoftmax',
    config: { axis: -1 },
  });
  assert.deepEqual(activations.activationRegistry.serialize(new activations.Mish()), {
    className: 'mish',
    config: {},
  });
  assert.ok(
    activations.activationRegistry.deserialize({ className: 'log_softmax', config: {} }) instanceof
      activations.LogSoftmax,
  );
});
