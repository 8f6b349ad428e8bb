// `npx tsx bench/softmax.ts`: the softmax / logSoftmax kernel (Backend.softmax) against the
// composition it replaced (max, sub, exp, sum, div / log: five kernels and four intermediate
// tensors), and a general broadcast (the strided wasm kernel) against the cpu backend, which
// is what such a broadcast ran on before. Medians of ms per call, forward only, on the wasm
// and the cpu backend. A program, never a test.
import * as sn from '../src/index.js';

function composedSoftmax(x: sn.Tensor): sn.Tensor {
  return sn.noGrad(() => {
    const e = sn.exp(sn.sub(x, sn.max(x, -1, { keepDims: true })));
    return sn.div(e, sn.sum(e, -1, { keepDims: true }));
  });
}

function composedLogSoftmax(x: sn.Tensor): sn.Tensor {
  return sn.noGrad(() => {
    const shifted = sn.sub(x, sn.max(x, -1, { keepDims: true }));
    return sn.sub(shifted, sn.log(sn.sum(sn.exp(shifted), -1, { keepDims: true })));
  });
}

/** Median ms of `f` over `reps` calls (after a warm-up), reading the result each time. */
function median(f: () => sn.Tensor, reps: number): number {
  for (let i = 0; i < 20; i++) f().dataSync();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f().dataSync();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(reps / 2)]!;
}

const fmt = (ms: number): string => ms.toFixed(4).padStart(9);
const random = (shape: number[]): sn.Tensor =>
  sn.randomNormal(shape, { mean: 0, stddev: 3, seed: 7 });

for (const name of ['wasm', 'cpu']) {
  sn.setBackend(name);
  if (sn.getBackend() !== name) continue;
  console.log(`\n${name} backend: ms per call (median)      composed    kernel   speed-up`);
  for (const shape of [
    [128, 784],
    [128, 10],
  ]) {
    const x = random(shape);
    const reps = name === 'cpu' ? 50 : 300;
    for (const [label, old, now] of [
      ['softmax', composedSoftmax, sn.softmax],
      ['logSoftmax', composedLogSoftmax, sn.logSoftmax],
    ] as const) {
      const a = median(() => old(x), reps);
      const b = median(() => now(x), reps);
      const what = `${label} [${shape.join(', ')}]`.padEnd(34);
      console.log(`  ${what}${fmt(a)} ${fmt(b)}   ${(a / b).toFixed(1)}×`);
    }
  }
}

console.log('\nGeneral broadcast, add: ms per call (median)   cpu      wasm   speed-up');
for (const [sa, sb] of [
  [
    [32, 1, 256],
    [1, 64, 1],
  ],
  [
    [64, 32, 64],
    [64, 1, 64],
  ],
]) {
  const ms = ['cpu', 'wasm'].map((name) => {
    sn.setBackend(name);
    const a = random(sa!);
    const b = random(sb!);
    return median(() => sn.add(a, b), 100);
  });
  const what = `[${sa!.join(', ')}] + [${sb!.join(', ')}]`.padEnd(40);
  console.log(`  ${what}${fmt(ms[0]!)} ${fmt(ms[1]!)}   ${(ms[0]! / ms[1]!).toFixed(1)}×`);
}
sn.setBackend('cpu');
