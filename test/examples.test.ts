import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeData,
  trainByHand,
  trainWithActivityRegularizer,
} from '../examples/sparse-autoencoder-loop.js';
// Sequence autoencoder example
import * as sn from '../src/index.js';
import { mnistRows, trainSequenceAutoencoder } from '../examples/sequence-autoencoder.js';

test('the custom-loop example: the hand-written penalty and the declared activity regularizer train identically', () => {
  const x = makeData();
  const byHand = trainByHand(x, 20);
  const declared = trainWithActivityRegularizer(x, 20);
  // Same seeds, same loss formula (reduction 'sum' on the regularizer): the same run.
  byHand.forEach((l, i) =>
    assert.ok(
      Math.abs(l - declared[i]!) <= 1e-5 * Math.abs(l),
      `step ${i}: ${l} vs ${declared[i]}`,
    ),
  );
  assert.ok(byHand.at(-1)! < byHand[0]!, 'the loss goes down');
  // Forgetting model.losses drops the penalty: the reported loss is the mse alone.
  const forgotten = trainWithActivityRegularizer(x, 20, false);
  assert.ok(forgotten[0]! < declared[0]! - 1e-3, `${forgotten[0]} vs ${declared[0]}`);
});

// Sequence autoencoder example
test('the sequence-autoencoder example: MNIST rows through LSTM → repeatVector → LSTM, activity penalty on the code', async () => {
  // Few digits and epochs under test: the shapes, the penalty and the training are checked.
  const r = await trainSequenceAutoencoder({ trainSize: 128, valSize: 64, epochs: 2, units: 8 });
  const { model } = r;
  assert.deepEqual(model.outputs[0]!.shape, [null, 28, 28]);
  const losses = r.history.loss!;
  assert.equal(losses.length, 2);
  assert.ok(losses[1]! < losses[0]!, `loss ${losses}`);
  // The activity penalty by hand: l2(1e-3) on the code (the encoder's last state), per docs/semantics.md
  // summed over units and divided by the batch size; the 64 validation digits are one batch.
  const { xVal } = mnistRows(128, 64);
  const encoder = model.getLayer('encoder');
  const code = sn.sequential({ layers: [encoder] }).predict(xVal) as sn.Tensor;
  assert.deepEqual(code.shape, [64, 8]);
  const penalty = (1e-3 * sn.sum(sn.square(code)).item()) / 64;
  const logged = r.history.val_regularization_loss!.at(-1)!;
  assert.ok(Math.abs(logged - penalty) <= 1e-5 * penalty + 1e-9, `${logged} vs ${penalty}`);
  // The monitor recorded the encoder's gates (undefined when it did not see an LSTM).
  assert.ok(r.gateSaturation !== undefined, 'no gate saturation recorded');
  // The example's mse (predict, then a mean by hand) is fit's validation data loss: the
  // logged val_loss less its regularization part, computed by fit's own loss path.
  const dataLoss = r.history.val_loss!.at(-1)! - logged;
  assert.ok(Math.abs(dataLoss - r.valMse) <= 1e-5, `${dataLoss} vs ${r.valMse}`);
});
