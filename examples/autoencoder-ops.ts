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
  meanAbsCode: number;
}

export function trainAutoencoder(steps = 300, learningRate = 0.5): TrainResult {
  // 128 samples of 64 features that really live on 8 hidden factors, squashed into (0, 1).
  const factors = sn.randomNormal([128, 8], { seed: 1 });
  const mixing = sn.randomNormal([8, 64], { seed: 2 });
  const x = sn.sigmoid(sn.matmul(factors, mixing));

  const init = (shape: number[], seed: number) => sn.randomNormal(shape, { stddev: 0.1, seed });
  const w1 = sn.variable(init([64, 16], 3), { name: 'encoder/kernel' });
  const b1 = sn.variable(sn.zeros([16]), { name: 'encoder/bias' });
  const w2 = sn.variable(init([16, 64], 4), { name: 'decoder/kernel' });
  const b2 = sn.variable(sn.zeros([64]), { name: 'decoder/bias' });

  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = sn.valueAndGrads(() => {
      const codings = sn.sigmoid(sn.add(sn.matmul(x, w1), b1));
      const reconstruction = sn.sigmoid(sn.add(sn.matmul(codings, w2), b2));
      const mse = sn.mean(sn.square(sn.sub(reconstruction, x)));
      // Summed over the whole batch, exactly as the PyTorch loop does it.
      return sn.add(mse, sn.mul(1e-3, sn.sum(sn.abs(codings))));
    });
    for (const [v, g] of grads) v.assign(sn.sub(v, sn.mul(g, learningRate)));
    losses.push(value.item());
  }
  const codings = sn.sigmoid(sn.add(sn.matmul(x, w1), b1));
  return { losses, meanAbsCode: sn.mean(sn.abs(codings)).item() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const { losses, meanAbsCode } = trainAutoencoder();
  losses.forEach((loss, step) => {
    if (step % 50 === 0 || step === losses.length - 1) console.log(`step ${String(step).padStart(3)}  loss ${loss.toFixed(5)}`);
  });
  console.log(`mean |code| ${meanAbsCode.toFixed(4)}; ${losses.length} steps in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log('The regularization lab (kernel vs activity penalties on MNIST) arrives with the layers API.');
}
