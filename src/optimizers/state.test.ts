// Optimizer state (getSlots/setSlots), serialization, getOptimizer and option validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import * as opt from './index.js';

/** A small two-variable problem; each call builds fresh variables with fixed names. */
function problem(): {
  kernel: sn.Variable;
  bias: sn.Variable;
  grads: (step: number) => Map<sn.Variable, sn.Tensor>;
} {
  const kernel = sn.variable(
    sn.tensor([
      [0.5, -1],
      [2, 0.25],
    ]),
    { name: 'dense/kernel' },
  );
  const bias = sn.variable(sn.tensor([0.1, -0.3]), { name: 'dense/bias' });
  // Gradients that change sign and size from step to step.
  const grads = (step: number): Map<sn.Variable, sn.Tensor> =>
    new Map([
      [kernel, sn.add(sn.mul(kernel, 0.5), Math.sin(step))],
      [bias, sn.tensor([Math.cos(step), 0.1 * step - 0.5])],
    ]);
  return { kernel, bias, grads };
}

const configured: [string, () => opt.Optimizer][] = [
  ['sgd', () => opt.sgd({ learningRate: 0.05, momentum: 0.8, nesterov: true })],
  ['adam', () => opt.adam({ learningRate: 0.01, amsgrad: true, clipnorm: 1 })],
  ['adamw', () => opt.adamw({ learningRate: 0.01, excludeFromWeightDecay: ['bias'] })],
  ['rmsprop', () => opt.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
  ['adagrad', () => opt.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2 })],
  ['adamax', () => opt.adamax({ learningRate: 0.01, globalClipnorm: 2 })],
  ['nadam', () => opt.nadam({ learningRate: 0.01, clipvalue: 0.5 })],
  [
    'sgd with schedule',
    () =>
      opt.sgd({
        learningRate: opt.schedules.warmup({
          warmupSteps: 3,
          target: opt.schedules.exponentialDecay({
            initialLearningRate: 0.1,
            decaySteps: 4,
            decayRate: 0.5,
          }),
        }),
      }),
  ],
];

test("a second optimizer restored from the first one's slots continues bit-identically", () => {
  for (const [label, make] of configured) {
    // Reference: one optimizer, 10 steps.
    const ref = problem();
    const a = make();
    for (let s = 0; s < 10; s++) a.applyGradients(ref.grads(s));

    // Checkpoint after 5 steps, restore into a fresh optimizer and fresh variables.
    const first = problem();
    const b = make();
    for (let s = 0; s < 5; s++) b.applyGradients(first.grads(s));
    const slots = b.getSlots();
    const second = problem();
    second.kernel.assign(sn.tensor(first.kernel.dataSync(), [2, 2]));
    second.bias.assign(sn.tensor(first.bias.dataSync(), [2]));
    const c = make();
    c.setSlots(slots);
    assert.equal(c.iterations, 5, label);
    for (let s = 5; s < 10; s++) c.applyGradients(second.grads(s));

    assert.deepEqual(second.kernel.dataSync(), ref.kernel.dataSync(), `${label}: kernel`);
    assert.deepEqual(second.bias.dataSync(), ref.bias.dataSync(), `${label}: bias`);
    // And the restored optimizer's slots equal the uninterrupted one's.
    const names = (o: opt.Optimizer): string[] =>
      o
        .getSlots()
        .map((s) => s.name)
        .sort();
    assert.deepEqual(names(c), names(a), label);
  }
});

test('slot names: iterations, optimizer-wide slots, then <variable>/<slot>', () => {
  const { grads } = problem();
  const names = (o: opt.Optimizer): string[] => {
    o.applyGradients(grads(0));
    return o.getSlots().map((s) => s.name);
  };
  assert.deepEqual(names(opt.adam()), [
    'iterations',
    'dense/kernel/m',
    'dense/kernel/v',
    'dense/bias/m',
    'dense/bias/v',
  ]);
  assert.deepEqual(names(opt.sgd()), ['iterations']);
  assert.deepEqual(names(opt.nadam()).slice(0, 2), ['iterations', 'uProduct']);
  assert.deepEqual(names(opt.rmsprop({ momentum: 0.9, centered: true })).slice(1, 4), [
    'dense/kernel/rms',
    'dense/kernel/momentum',
    'dense/kernel/mg',
  ]);
  // Adagrad's accumulator starts at initialAccumulatorValue: 0.2 + g² after one step.
  const o = opt.adagrad({ initialAccumulatorValue: 0.2 });
  o.applyGradients(new Map([[sn.variable(sn.tensor([1]), { name: 'w' }), sn.tensor([3])]]));
  assert.deepEqual(Array.from(o.getSlots()[1]!.tensor.dataSync()), [Math.fround(0.2 + 9)]);
});

test('setSlots rejects unknown slots and mismatched shapes; getSlots rejects duplicate names', () => {
  const o = opt.adam();
  assert.throws(
    () => o.setSlots([{ name: 'dense/kernel/momentum', tensor: sn.zeros([2]) }]),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /adam.setSlots: unknown slot "dense\/kernel\/momentum".*one of: m, v/.test(e.message),
  );
  const w = sn.variable(sn.zeros([3]), { name: 'w' });
  o.setSlots([{ name: 'w/m', tensor: sn.zeros([2]) }]);
  assert.throws(
    () => o.applyGradients(new Map([[w, sn.ones([3])]])),
    (e: unknown) => e instanceof sn.ShapeError && /slot 'w\/m' has shape \[2\]/.test(e.message),
  );
  const p = opt.sgd({ momentum: 0.5 });
  const x = sn.variable(sn.zeros([1]), { name: 'same' });
  const y = sn.variable(sn.zeros([1]), { name: 'same' });
  p.applyGradients(
    new Map([
      [x, sn.ones([1])],
      [y, sn.ones([1])],
    ]),
  );
  assert.throws(() => p.getSlots(), /two different variables are both named 'same'/);
});

test('getConfig → JSON → fromConfig round trip for every optimizer', () => {
  for (const [label, make] of configured) {
    const o = make();
    const json = JSON.parse(JSON.stringify(opt.optimizerRegistry.serialize(o)));
    const back = opt.optimizerRegistry.deserialize(json);
    assert.equal(back.constructor, o.constructor, label);
    assert.deepEqual(back.getConfig(), o.getConfig(), label);
    // Same behaviour: 4 steps each on their own copy of the problem.
    const p1 = problem();
    const p2 = problem();
    for (let s = 0; s < 4; s++) {
      o.applyGradients(p1.grads(s));
      back.applyGradients(p2.grads(s));
    }
    assert.deepEqual(p2.kernel.dataSync(), p1.kernel.dataSync(), label);
  }
  // The class names are Keras's.
  const classNames = [
    opt.SGD,
    opt.Adam,
    opt.AdamW,
    opt.RMSprop,
    opt.Adagrad,
    opt.Adamax,
    opt.Nadam,
  ].map((c) => c.className);
  assert.deepEqual(classNames, ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adamax', 'Nadam']);
  // A schedule is written as { className, config }.
  const withSchedule = configured.at(-1)![1]().getConfig();
  assert.equal((withSchedule.learningRate as { className: string }).className, 'LinearWarmup');
});

test('fromConfig reads a Keras 3 config (camelCase) and refuses options sinew lacks', () => {
  const keras = {
    name: 'adam',
    learningRate: 0.002,
    weightDecay: null,
    clipnorm: null,
    globalClipnorm: null,
    clipvalue: null,
    useEma: false,
    emaMomentum: 0.99,
    emaOverwriteFrequency: null,
    lossScaleFactor: null,
    gradientAccumulationSteps: null,
    beta1: 0.8,
    beta2: 0.99,
    epsilon: 1e-7,
    amsgrad: false,
  };
  const a = opt.Adam.fromConfig(keras);
  assert.ok(a instanceof opt.Adam);
  assert.equal(a.currentLearningRate(), 0.002);
  assert.equal(a.beta1, 0.8);
  assert.equal(a.weightDecay, undefined);
  assert.throws(
    () => opt.Adam.fromConfig({ ...keras, useEma: true }),
    (e: unknown) =>
      e instanceof sn.NotImplementedError && /Adam.fromConfig: useEma = true/.test(e.message),
  );
});

test('getOptimizer: names in any case, instances, serialized objects; unknown names listed', () => {
  const expected: [string, unknown][] = [
    ['sgd', opt.SGD],
    ['Adam', opt.Adam],
    ['ADAMW', opt.AdamW],
    ['RMSprop', opt.RMSprop],
    ['adagrad', opt.Adagrad],
    ['adamax', opt.Adamax],
    ['nadam', opt.Nadam],
  ];
  for (const [name, cls] of expected) assert.equal(opt.getOptimizer(name).constructor, cls);
  assert.notEqual(opt.getOptimizer('adam'), opt.getOptimizer('adam'), 'a new instance each time');
  const mine = opt.adam();
  assert.equal(opt.getOptimizer(mine), mine);
  const fromObject = opt.getOptimizer({ className: 'SGD', config: { learningRate: 0.3 } });
  assert.equal(fromObject.currentLearningRate(), 0.3);
  assert.throws(
    () => opt.getOptimizer('adamm'),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /Unknown optimizer "adamm"; use one of 'sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adamax', 'nadam'/.test(
        e.message,
      ),
  );
  // Defaults are Keras's.
  assert.equal(opt.getOptimizer('sgd').currentLearningRate(), 0.01);
  assert.equal(opt.getOptimizer('adam').currentLearningRate(), 0.001);
});

test('bad options are ConfigErrors naming the option and the value', () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => opt.sgd({ learningRate: '0.01' as never }),
      /sgd: learningRate must be a finite number >= 0 or a learning-rate schedule, received "0.01" \(a string\)/,
    ],
    [() => opt.adam({ learningRate: -0.001 }), /adam: learningRate .* received -0.001/],
    [() => opt.adam({ learningRate: NaN }), /adam: learningRate .* received NaN/],
    [() => opt.adam({ beta1: 1 }), /adam: beta1 must be a finite number in \[0, 1\), received 1/],
    [
      () => opt.nadam({ beta2: -0.1 }),
      /nadam: beta2 must be a finite number in \[0, 1\), received -0.1/,
    ],
    [() => opt.adamw({ epsilon: -1 }), /adamw: epsilon must be a finite number >= 0, received -1/],
    [
      () => opt.sgd({ momentum: 1.5 }),
      /sgd: momentum must be a finite number in \[0, 1\], received 1.5/,
    ],
    [
      () => opt.sgd({ nesterov: 'yes' as never }),
      /sgd: nesterov must be true or false, received "yes"/,
    ],
    [() => opt.rmsprop({ rho: 1 }), /rmsprop: rho must be a finite number in \[0, 1\), received 1/],
    [
      () => opt.adagrad({ initialAccumulatorValue: -0.1 }),
      /initialAccumulatorValue must be .*>= 0, received -0.1/,
    ],
    [() => opt.adam({ clipnorm: -1 }), /adam: clipnorm must be a finite number > 0, received -1/],
    [() => opt.adam({ clipvalue: 0 }), /adam: clipvalue must be a finite number > 0, received 0/],
    [
      () => opt.adam({ weightDecay: -0.01 }),
      /adam: weightDecay must be a finite number >= 0, received -0.01/,
    ],
    [
      () => opt.adam({ clipnorm: 1, clipvalue: 1 }),
      /only one of clipnorm, clipvalue and globalClipnorm .* clipnorm: 1, clipvalue: 1/,
    ],
    [
      () => opt.adam({ lr: 0.1 } as never),
      /adam: unknown option "lr"; accepted options: learningRate/,
    ],
    [
      () => opt.adam({ excludeFromWeightDecay: 'bias' as never }),
      /excludeFromWeightDecay must be an array .* received "bias"/,
    ],
    [() => opt.adam(0.01 as never), /adam: expected an options object, received 0.01/],
  ];
  for (const [fn, message] of cases) {
    assert.throws(
      fn,
      (e: unknown) => e instanceof sn.ConfigError && message.test(e.message),
      String(message),
    );
  }
});

test('bad gradients are typed errors', () => {
  const w = sn.variable(sn.zeros([2]), { name: 'w' });
  const o = opt.sgd();
  assert.throws(
    () => o.applyGradients(new Map([[w, sn.zeros([3])]])),
    (e: unknown) =>
      e instanceof sn.ShapeError &&
      /sgd.applyGradients: the gradient of variable 'w' has shape \[3\], the variable has shape \[2\]/.test(
        e.message,
      ),
  );
  assert.throws(
    () => o.applyGradients(new Map([[sn.zeros([2]) as sn.Variable, sn.zeros([2])]])),
    (e: unknown) =>
      e instanceof sn.ConfigError && /each entry must be \[Variable, Tensor\]/.test(e.message),
  );
  assert.throws(
    () => o.applyGradients(5 as never),
    (e: unknown) =>
      e instanceof sn.ConfigError && /expected a Map from variable to gradient/.test(e.message),
  );
  assert.throws(
    () =>
      o.applyGradients([
        [w, sn.zeros([2])],
        [w, sn.zeros([2])],
      ]),
    /variable 'w' has two gradients/,
  );
  // A schedule returning nonsense is caught at the step that uses it.
  class Broken extends opt.LearningRateSchedule {
    at(): number {
      return NaN;
    }
    getConfig(): Record<string, never> {
      return {};
    }
  }
  const b = opt.sgd({ learningRate: new Broken() });
  assert.throws(
    () => b.applyGradients(new Map([[w, sn.zeros([2])]])),
    /schedule returned NaN at step 0/,
  );
  assert.equal(b.iterations, 0);
});
