// learningRate 0 (issue 10.10): accepted by every optimizer, as Keras, TensorFlow.js and
// PyTorch accept it (a schedule returning 0 already was); a step then leaves the weights as
// they were (the oracle: the values before the step). A negative rate is still refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sn from '../index.js';

const makers: [string, (o: { learningRate: number }) => sn.optimizers.Optimizer][] = [
  ['sgd', (o) => sn.optimizers.sgd({ ...o, momentum: 0.9 })],
  ['adam', (o) => sn.optimizers.adam(o)],
  ['adamw', (o) => sn.optimizers.adamw(o)],
  ['rmsprop', (o) => sn.optimizers.rmsprop(o)],
  ['adagrad', (o) => sn.optimizers.adagrad(o)],
  ['adamax', (o) => sn.optimizers.adamax(o)],
  ['nadam', (o) => sn.optimizers.nadam(o)],
];

test('every optimizer accepts learningRate 0, and its steps leave the weights unchanged', () => {
  for (const [name, make] of makers) {
    const opt = make({ learningRate: 0 });
    assert.equal(opt.learningRate, 0, name);
    const w = sn.variable(sn.tensor([0.5, -1.5, 2]));
    for (let step = 0; step < 3; step++) {
      opt.applyGradients([[w, sn.tensor([0.3, -0.7, 1.1])]]);
    }
    assert.deepEqual(Array.from(w.dataSync()), [0.5, -1.5, 2], name);
  }
});

test('learningRate 0 is accepted by the setter and from a config; a negative rate is refused', () => {
  const opt = sn.optimizers.adam();
  opt.learningRate = 0;
  assert.equal(opt.learningRate, 0);
  const loaded = sn.optimizers.getOptimizer({ className: 'Adam', config: { learningRate: 0 } });
  assert.equal(loaded.learningRate, 0);
  assert.throws(() => sn.optimizers.sgd({ learningRate: -0.1 }), sn.ConfigError);
  assert.throws(() => (opt.learningRate = -1), sn.ConfigError);
});
