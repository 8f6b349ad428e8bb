/**
 * The PyTorch sparse-autoencoder loop, in sinew, twice.
 *
 * Version 1 writes the penalty into the loss by hand, exactly as the PyTorch loop does:
 *     loss = mse(reconstruction, x) + 1e-3 · Σ|codings|
 *
 * Version 2 declares the penalty where it belongs, as the encoder's activityRegularizer, and
 * the loop adds `model.losses`. That one line matters: a custom loop that computes only the
 * data loss silently drops every regularizer (activity AND kernel), and nothing warns you.
 * It is the most common way TensorFlow users lose their regularization; fit() adds
 * model.losses for you.
 *
 * Note the reduction: the hand-written penalty sums over the batch; an activity regularizer
 * is divided by the batch size by default (as tf.keras). `activityRegularizerReduction:
 * 'sum'` makes version 2 compute exactly version 1's loss.
 *
 * Run: npx tsx examples/sparse-autoencoder-loop.ts
 */
import { pathToFileURL } from 'node:url';
import * as sn from '../src/index.js';

/** 256 samples of 64 features in (0, 1) that really live on 8 factors. */
export function makeData(): sn.Tensor {
  return sn.sigmoid(
    sn.matmul(sn.randomNormal([256, 8], { seed: 1 }), sn.randomNormal([8, 64], { seed: 2 })),
  );
}

function makeModels(activityRegularizer?: sn.regularizers.Regularizer) {
  const encoder = sn.sequential({
    layers: [
      sn.layers.dense({
        units: 32,
        activation: 'sigmoid',
        inputShape: [64],
        kernelInitializer: sn.initializers.glorotUniform({ seed: 3 }),
        ...(activityRegularizer
          ? { activityRegularizer, activityRegularizerReduction: 'sum' as const }
          : {}),
      }),
    ],
  });
  const decoder = sn.sequential({
    layers: [
      sn.layers.dense({
        units: 64,
        activation: 'sigmoid',
        inputShape: [32],
        kernelInitializer: sn.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
  return { encoder, decoder };
}

/** Version 1: the penalty written into the loss, as in PyTorch. Returns the loss per step. */
export function trainByHand(x: sn.Tensor, steps = 100): number[] {
  const { encoder, decoder } = makeModels();
  const optimizer = sn.optimizers.adam({ learningRate: 1e-2 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = sn.valueAndGrads(() => {
      const codings = encoder.apply(x, { training: true });
      const reconstruction = decoder.apply(codings, { training: true });
      const mse = sn.mean(sn.square(sn.sub(reconstruction, x)));
      return sn.add(mse, sn.mul(1e-3, sn.sum(sn.abs(codings))));
    });
    optimizer.applyGradients(grads);
    losses.push(value.item());
  }
  return losses;
}

/**
 * Version 2: the penalty is the encoder's activity regularizer; the loop adds model.losses.
 * With `addModelLosses: false` it shows the bug: the penalty is computed and then ignored.
 */
export function trainWithActivityRegularizer(
  x: sn.Tensor,
  steps = 100,
  addModelLosses = true,
): number[] {
  const { encoder, decoder } = makeModels(sn.regularizers.l1(1e-3));
  const optimizer = sn.optimizers.adam({ learningRate: 1e-2 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = sn.valueAndGrads(() => {
      const reconstruction = decoder.apply(encoder.apply(x, { training: true }), {
        training: true,
      });
      const mse = sn.mean(sn.square(sn.sub(reconstruction, x)));
      // THE line: every activity and weight penalty of this forward pass.
      return addModelLosses ? sn.addN([mse, ...encoder.losses, ...decoder.losses]) : mse;
    });
    optimizer.applyGradients(grads);
    losses.push(value.item());
  }
  return losses;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const x = makeData();
  const byHand = trainByHand(x);
  const declared = trainWithActivityRegularizer(x);
  const forgotten = trainWithActivityRegularizer(x, 100, false);
  const show = (name: string, l: number[]) =>
    console.log(`${name.padEnd(44)} loss ${l[0]!.toFixed(5)} → ${l.at(-1)!.toFixed(5)}`);
  show('1. penalty written into the loss', byHand);
  show('2. activityRegularizer + model.losses', declared);
  show('2. without model.losses (the silent bug)', forgotten);
}
