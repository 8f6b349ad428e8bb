/**
 * A sparse autoencoder from nothing but variables and ops: the computation every PyTorch
 * tutorial on sparse autoencoders writes,
 *
 *   loss = mse(reconstruction, x) + 1e-3 · Σ|codings|
 *
 * trained with valueAndGrads and plain gradient descent. The L1 term is an ACTIVITY penalty:
 * it is computed from the codings (a layer's outputs), not from any weight.
 *
 * Run: npx tsx examples/autoencoder-ops.ts   (npm start runs it too)
 */
import { pathToFileURL } from 'node:url';
import * as sn from '../src/index.js';

export interface TrainResult {
  /** Total loss (reconstruction + penalty) before each step. */
  losses: number[];
  /** After training: the reconstruction error, the activity penalty, the mean |code|. */
  mse: number;
  penalty: number;
  meanAbsCode: number;
}

export interface TrainOptions {
  steps?: number;
  learningRate?: number;
  /** Coefficient of the L1 activity penalty on the codings (default 1e-3; 0 turns it off). */
  l1?: number;
}

export function trainAutoencoder(options: TrainOptions = {}): TrainResult {
  // The mse averages over 128·64 values, so its gradients are small: plain gradient descent
  // wants a large step.
  const { steps = 300, learningRate = 10, l1 = 1e-3 } = options;
  // 128 samples of 64 features that really live on 8 hidden factors, squashed into (0, 1).
  const factors = sn.randomNormal([128, 8], { seed: 1 });
  const mixing = sn.randomNormal([8, 64], { seed: 2 });
  const x = sn.sigmoid(sn.matmul(factors, mixing));

  const init = (shape: number[], seed: number) => sn.randomNormal(shape, { stddev: 0.1, seed });
  const w1 = sn.variable(init([64, 16], 3), { name: 'encoder/kernel' });
  const b1 = sn.variable(sn.zeros([16]), { name: 'encoder/bias' });
  const w2 = sn.variable(init([16, 64], 4), { name: 'decoder/kernel' });
  const b2 = sn.variable(sn.zeros([64]), { name: 'decoder/bias' });

  const forward = () => {
    const codings = sn.sigmoid(sn.add(sn.matmul(x, w1), b1));
    const reconstruction = sn.sigmoid(sn.add(sn.matmul(codings, w2), b2));
    const mse = sn.mean(sn.square(sn.sub(reconstruction, x)));
    // Summed over the whole batch, exactly as the PyTorch loop does it.
    const penalty = sn.mul(l1, sn.sum(sn.abs(codings)));
    return { codings, mse, penalty };
  };

  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = sn.valueAndGrads(() => {
      const { mse, penalty } = forward();
      return sn.add(mse, penalty);
    });
    for (const [v, g] of grads) v.assign(sn.sub(v, sn.mul(g, learningRate)));
    losses.push(value.item());
  }
  const { codings, mse, penalty } = forward();
  return {
    losses,
    mse: mse.item(),
    penalty: penalty.item(),
    meanAbsCode: sn.mean(sn.abs(codings)).item(),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const l1 of [1e-3, 0]) {
    const started = performance.now();
    const { losses, mse, penalty, meanAbsCode } = trainAutoencoder({ l1 });
    console.log(`\nL1 activity penalty ${l1} · Σ|codings|`);
    losses.forEach((loss, step) => {
      if (step % 100 === 0 || step === losses.length - 1)
        console.log(`  step ${String(step).padStart(3)}  loss ${loss.toFixed(5)}`);
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `  after ${losses.length} steps (${seconds} s): reconstruction mse ${mse.toFixed(5)}, ` +
        `penalty ${penalty.toFixed(5)}, mean |code| ${meanAbsCode.toFixed(4)}`,
    );
  }
  console.log(
    '\nSummed over the batch, as in the PyTorch loop, the penalty grows with the batch size: at 1e-3 it\n' +
      "outweighs the reconstruction error and shuts almost every code unit off. sinew's layers (next\n" +
      'version) divide activity penalties by the batch size instead, as tf.keras does.',
  );
}
