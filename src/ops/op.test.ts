import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sn from '../index.js';
import { defineGradients } from './op.js';

// Oracles: hand-computed gradients (d/dx Σ 3x = 3, d/dx Σ x·y = y) and the tape's shape check,
// whose message names the op as recorded. The compile-time cases are checked by tsc (npm run
// typecheck): each @ts-expect-error fails the typecheck if its error goes away.

interface ScaleSaved {
  triple: object;
  times: { other: sn.Tensor };
  broken: object;
}
const recordScale = defineGradients<ScaleSaved>({
  triple: ([dy]) => [sn.mul(dy, 3)],
  times: ([dy], { other }) => [sn.mul(dy, other), undefined],
  // A wrong rule on purpose: its gradient has the output's shape reduced away.
  broken: ([dy]) => [sn.sum(dy)],
});

/** 3x, computed without recording, with its gradient recorded through the table. */
function triple(x: sn.Tensor): sn.Tensor {
  const y = sn.noGrad(() => sn.mul(x, 3));
  recordScale('triple', [x], [y], {});
  return y;
}

test('defineGradients: the rule of the recorded op name gives the gradient', () => {
  const x = sn.tensor([1, -2, 0.5], undefined, 'float64');
  const dx = sn.grad((t) => sn.sum(triple(t)))(x);
  assert.deepEqual(Array.from(dx.dataSync()), [3, 3, 3]);
});

test('defineGradients: a rule reads what the forward saved; undefined gives no gradient', () => {
  const x = sn.tensor([1, 2], undefined, 'float64');
  const other = sn.tensor([5, -7], undefined, 'float64');
  const times = (a: sn.Tensor, b: sn.Tensor): sn.Tensor => {
    const y = sn.noGrad(() => sn.mul(a, b));
    recordScale('times', [a, b], [y], { other: b });
    return y;
  };
  const [dx, dOther] = sn.grads((a, b) => sn.sum(times(a!, b!)))([x, other]);
  assert.deepEqual(Array.from(dx!.dataSync()), [5, -7]);
  // No rule output for `other`: its gradient is the zeros grads() fills in.
  assert.deepEqual(Array.from(dOther!.dataSync()), [0, 0]);
});

test('defineGradients: the op is recorded on the tape under its name', () => {
  const x = sn.tensor([1, 2, 3]);
  const broken = (t: sn.Tensor): sn.Tensor => {
    const y = sn.noGrad(() => sn.mul(t, 1));
    recordScale('broken', [t], [y], {});
    return y;
  };
  assert.throws(
    () => sn.grad((t) => sn.sum(broken(t)))(x),
    (e) => e instanceof sn.SinewError && /gradient of 'broken'/.test(e.message),
  );
});

test('defineGradients: a missing rule, an undeclared op or wrong saved values do not compile', () => {
  interface TwoOps {
    double: { x: sn.Tensor };
    half: { x: sn.Tensor };
  }
  // @ts-expect-error 'half' is declared but has no gradient rule
  const recordTwo = defineGradients<TwoOps>({ double: ([dy]) => [sn.mul(dy, 2)] });
  defineGradients<TwoOps>({
    double: ([dy]) => [sn.mul(dy, 2)],
    half: ([dy]) => [sn.mul(dy, 0.5)],
    // @ts-expect-error a rule for an op name the family does not declare
    third: ([dy]) => [sn.div(dy, 3)],
  });
  const x = sn.tensor([1]);
  // Nothing is recorded here (no tape is open), so these calls are only checked by tsc.
  // @ts-expect-error an op name the family does not declare
  recordTwo('quarter', [x], [x], { x });
  // @ts-expect-error what 'double' saves is missing
  recordTwo('double', [x], [x], {});
  assert.equal(typeof recordTwo, 'function');
});
