// Writes the inputs file every training child reads: the 10,000 MNIST digits as sinew's
// sn.data.mnist serves them (shuffled with seed 0, all of them in the training set) and the
// initial weights of sinew's autoencoder (glorot-uniform kernels with fixed seeds, zero biases),
// so that TensorFlow.js starts from exactly sinew's weights. Written atomically.
import * as fs from 'node:fs';
import * as sn from '../src/index.js';
import { writeFileAtomicSync } from '../src/util/atomic.js';
import { CONV_KERNELS, CONV_SEEDS } from './conv-workload.js';
import { CLASSES, PIXELS, UNITS, inputSizes } from './workload.js';

/** Writes the one-hot labels [n, 10] (float32) of the same digits, for the LSTM classifier. */
export function writeLabels(path: string): void {
  const { yTrain } = sn.data.mnist({ seed: 0, testSize: 0 });
  const labels = yTrain.dataSync();
  const out = new Float32Array(labels.length * CLASSES);
  labels.forEach((c, i) => (out[i * CLASSES + Number(c)] = 1));
  writeFileAtomicSync(fs, path, new Uint8Array(out.buffer));
}

export function writeInputs(path: string): number {
  const { xTrain } = sn.data.mnist({ seed: 0, testSize: 0 });
  const n = xTrain.shape[0]!;
  const glorot = (shape: number[], seed: number): Float32Array =>
    sn.initializers.glorotUniform({ seed }).apply(shape).dataSync() as Float32Array;
  const parts = [
    xTrain.dataSync() as Float32Array,
    glorot([PIXELS, UNITS], 1),
    new Float32Array(UNITS),
    glorot([UNITS, PIXELS], 2),
    new Float32Array(PIXELS),
  ];
  const sizes = inputSizes(n);
  parts.forEach((p, i) => {
    if (p.length !== sizes[i]) throw new Error(`inputs part ${i}: ${p.length} != ${sizes[i]}`);
  });
  const all = new Float32Array(1 + sizes.reduce((a, b) => a + b, 0));
  all[0] = n;
  let offset = 1;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  writeFileAtomicSync(fs, path, new Uint8Array(all.buffer));
  return n;
}

/**
 * Writes the conv autoencoder's initial weights (bench/conv-workload.ts): each kernel
 * glorot-uniform with its seed, each bias zero, in layer order. Written atomically.
 */
export function writeConvInputs(path: string): void {
  const parts = CONV_KERNELS.flatMap((shape, i) => [
    sn.initializers
      .glorotUniform({ seed: CONV_SEEDS[i]! })
      .apply([...shape])
      .dataSync() as Float32Array,
    new Float32Array(shape[3]),
  ]);
  const all = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  writeFileAtomicSync(fs, path, new Uint8Array(all.buffer));
}
