// Learning-rate schedules against hand-computed values of Keras 3's formulas
// (keras/src/optimizers/schedules/learning_rate_schedule.py) and the documented warmup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import * as opt from './index.js';

const { schedules } = opt;

function close(actual: number, expected: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
    `${what}: got ${actual}, expected ${expected}`,
  );
}

test('exponentialDecay: lr·rate^(step/decaySteps), floored with staircase', () => {
  const s = schedules.exponentialDecay({
    initialLearningRate: 0.1,
    decaySteps: 10,
    decayRate: 0.5,
  });
  close(s.at(0), 0.1, 'step 0');
  close(s.at(5), 0.1 * Math.SQRT1_2, 'step 5: 0.1·0.5^0.5');
  close(s.at(10), 0.05, 'step 10: 0.1·0.5');
  close(s.at(25), 0.1 * 0.5 ** 2.5, 'step 25');
  const st = schedules.exponentialDecay({
    initialLearningRate: 0.1,
    decaySteps: 10,
    decayRate: 0.5,
    staircase: true,
  });
  close(st.at(9), 0.1, 'staircase step 9: floor(0.9) = 0');
  close(st.at(10), 0.05, 'staircase step 10: floor(1) = 1');
  close(st.at(19), 0.05, 'staircase step 19');
  close(st.at(20), 0.025, 'staircase step 20');
});

test('cosineDecay: (1 − α)·½(1 + cos(π·min(step, D)/D)) + α, times the initial rate', () => {
  const s = schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 0.1 });
  close(s.at(0), 1, 'step 0: cos 0 = 1');
  close(s.at(5), 0.9 * 0.5 + 0.1, 'step 5: cos(π/2) = 0 → 0.55');
  close(s.at(10), 0.1, 'step 10: cos π = −1 → α');
  close(s.at(40), 0.1, 'after decaySteps it stays at α');
  close(s.at(2), 0.9 * 0.5 * (1 + Math.cos(Math.PI / 5)) + 0.1, 'step 2');
});

test('cosineDecay with warmup: linear from the initial rate to warmupTarget, then cosine', () => {
  const s = schedules.cosineDecay({
    initialLearningRate: 0,
    decaySteps: 10,
    warmupTarget: 1,
    warmupSteps: 4,
  });
  close(s.at(0), 0, 'step 0');
  close(s.at(2), 0.5, 'step 2: (1 − 0)·2/4');
  close(s.at(3), 0.75, 'step 3');
  close(s.at(4), 1, 'step 4: the decay starts at warmupTarget');
  close(s.at(9), 0.5, 'step 9: decay step 5 of 10 → ½(1 + cos(π/2))');
  close(s.at(14), 0, 'step 14: end of the decay');
  close(s.at(100), 0, 'clamped');
});

test('piecewiseConstant: values[i] while boundaries[i−1] < step <= boundaries[i]', () => {
  const s = schedules.piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
  const at = [0, 10, 11, 20, 21, 1000].map((step) => s.at(step));
  assert.deepEqual(at, [1, 1, 0.5, 0.5, 0.1, 0.1]);
});

test('warmup: linear ramp to the target, which then starts at its own step 0', () => {
  const constant = schedules.warmup({ warmupSteps: 4, target: 0.2 });
  // initialLearningRate 0: 0.2·step/4 while step < 4, then 0.2
  const values = [0, 1, 3, 4, 100].map((s) => constant.at(s));
  [0, 0.05, 0.15, 0.2, 0.2].forEach((want, i) => close(values[i]!, want, `step ${i}`));

  const decay = schedules.exponentialDecay({
    initialLearningRate: 0.2,
    decaySteps: 10,
    decayRate: 0.5,
  });
  const wrapped = schedules.warmup({ warmupSteps: 4, target: decay, initialLearningRate: 0.1 });
  close(wrapped.at(0), 0.1, 'step 0 is the initial rate');
  close(wrapped.at(2), 0.1 + (0.2 - 0.1) * 0.5, 'step 2: halfway to target.at(0) = 0.2');
  close(wrapped.at(4), 0.2, 'step 4: target.at(0)');
  close(wrapped.at(14), 0.1, 'step 14: target.at(10) = 0.2·0.5');

  // The documented identity with Keras's CosineDecay warmup.
  const keras = schedules.cosineDecay({
    initialLearningRate: 0.01,
    decaySteps: 20,
    alpha: 0.05,
    warmupTarget: 0.3,
    warmupSteps: 6,
  });
  const ours = schedules.warmup({
    warmupSteps: 6,
    initialLearningRate: 0.01,
    target: schedules.cosineDecay({ initialLearningRate: 0.3, decaySteps: 20, alpha: 0.05 }),
  });
  for (let step = 0; step <= 40; step++) close(ours.at(step), keras.at(step), `step ${step}`);
});

test('schedules round-trip through JSON and the registry', () => {
  const all = [
    schedules.exponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 7,
      decayRate: 0.9,
      staircase: true,
    }),
    schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 50, alpha: 0.2 }),
    schedules.cosineDecay({
      initialLearningRate: 0,
      decaySteps: 50,
      warmupTarget: 0.1,
      warmupSteps: 5,
    }),
    schedules.piecewiseConstant({ boundaries: [3, 8], values: [0.3, 0.2, 0.1] }),
    schedules.warmup({
      warmupSteps: 3,
      target: schedules.exponentialDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5 }),
    }),
    schedules.warmup({ warmupSteps: 3, target: 0.5, initialLearningRate: 0.1 }),
  ];
  for (const s of all) {
    const json = JSON.parse(JSON.stringify(schedules.scheduleRegistry.serialize(s)));
    const back = schedules.scheduleRegistry.deserialize(json);
    assert.equal(back.constructor, s.constructor);
    assert.deepEqual(back.getConfig(), s.getConfig());
    for (const step of [0, 1, 2, 3, 5, 9, 60]) assert.equal(back.at(step), s.at(step));
  }
  assert.equal(schedules.PiecewiseConstantDecay.className, 'PiecewiseConstantDecay');
  // A Keras config (its `name` key, null warmupTarget) loads too.
  const k = schedules.CosineDecay.fromConfig({
    initialLearningRate: 0.1,
    decaySteps: 10,
    alpha: 0,
    name: 'CosineDecay',
    warmupTarget: null,
    warmupSteps: 0,
  });
  close(k.at(5), 0.05, 'Keras config, step 5');
});

test('bad schedule options are ConfigErrors naming the option and value', () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }),
      /exponentialDecay: decaySteps must be a finite number > 0, received 0/,
    ],
    [
      () =>
        schedules.exponentialDecay({
          initialLearningRate: '0.1' as unknown as number,
          decaySteps: 10,
          decayRate: 0.5,
        }),
      /initialLearningRate must be .* received "0.1" \(a string\)/,
    ],
    [
      () => schedules.exponentialDecay({ decaySteps: 10, decayRate: 0.5 } as never),
      /initialLearningRate is required/,
    ],
    [
      () => schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 10, alpha: 2 }),
      /cosineDecay: alpha must be a finite number in \[0, 1\], received 2/,
    ],
    [
      () => schedules.piecewiseConstant({ boundaries: [10, 5], values: [1, 2, 3] }),
      /boundaries must be strictly increasing, received \[10, 5\]/,
    ],
    [
      () => schedules.piecewiseConstant({ boundaries: [10], values: [1, 2, 3] }),
      /one more element than boundaries, received 1 boundaries and 3 values/,
    ],
    [() => schedules.warmup({ warmupSteps: 5 } as never), /warmup: target is required/],
    [
      () => schedules.warmup({ warmupSteps: 2.5, target: 0.1 }),
      /warmupSteps must be an integer >= 0, received 2.5/,
    ],
    [
      () => schedules.warmup({ warmupSteps: 2, target: -1 }),
      /warmup: target must be a finite number > 0 or a learning-rate schedule, received -1/,
    ],
    [
      () => schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 5, steps: 3 } as never),
      /cosineDecay: unknown option "steps"; accepted options: initialLearningRate, decaySteps/,
    ],
  ];
  for (const [fn, message] of cases) {
    assert.throws(fn, (e: unknown) => e instanceof sn.ConfigError && message.test(e.message));
  }
  assert.throws(
    () => schedules.scheduleRegistry.deserialize({ className: 'Nope', config: {} }),
    /Unknown learning rate schedule class "Nope"; registered .*CosineDecay/,
  );
});
