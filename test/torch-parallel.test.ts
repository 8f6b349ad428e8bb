import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { VARIANTS } from '../cli/lab/variants.js';
import { runPythonFile } from './fixtures/torch.js';

/**
 * Data parallel: train.py on 2 processes (DistributedDataParallel over gloo on the loopback,
 * started with --processes 2) with a local batch of 64 matches one process with a batch of
 * 128 within 1e-5 over 20 steps, for every lab variant whose penalties are batch means (all
 * but 'kl', whose rho-hat is a per-process statistic). The oracle is the one-process run.
 */

interface StepLog {
  loss: number;
  regularization_loss: number;
  terms: Record<string, number>;
}

function close(a: number, b: number, what: string): void {
  assert.ok(
    Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b), 1e-12),
    `${what}: 1 process ${a}, 2 processes ${b}`,
  );
}

// Only PyTorch runs here (sinew just exports): scripts/run-tests.mjs runs the torch suites in
// one backend pass.
test('2 processes x local batch 64 train as 1 process x batch 128 (20 steps, mean-reduced variants)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sinew-torch-ddp-'));
  const variants = VARIANTS.filter((v) => v.name !== 'kl');
  assert.equal(variants.length, 6);
  for (const [i, variant] of variants.entries()) {
    const dir = join(root, variant.name);
    const model = variant.build(60 + i);
    model.compile({ optimizer: sn.optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });
    await sn.io.exportPyTorch(model, dir, { fit: { batchSize: 128, seed: 7, epochs: 2 } });
    // 1280 samples: 10 global batches per epoch, two epochs.
    const x = sn.mul(sn.randomUniform([1280, 784], { seed: i }), variant.inputScale);
    await sn.io.saveNpy(x, join(dir, 'x.npy'));
    await sn.io.saveNpy(x, join(dir, 'y.npy'));
    const run = (processes: number, port: number): void => {
      const log = join(dir, `steps-${processes}.jsonl`);
      const out = join(dir, `trained-${processes}.safetensors`);
      const args = ['--data', dir, '--max-steps', '20', '--log-steps', log, '--out', out];
      if (processes > 1) args.push('--processes', String(processes), '--port', String(port));
      const stdout = runPythonFile(join(dir, 'train.py'), { args });
      assert.match(stdout, /epoch 2\/2 - loss: [\d.e-]+ - regularization_loss: /);
    };
    run(1, 0);
    run(2, 29600 + i + (process.pid % 200) * 7);
    const read = async (n: number) =>
      (await readFile(join(dir, `steps-${n}.jsonl`), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as StepLog);
    const one = await read(1);
    const two = await read(2);
    assert.equal(one.length, 20);
    assert.equal(two.length, 20);
    one.forEach((a, s) => {
      const b = two[s]!;
      close(a.loss, b.loss, `${variant.name} step ${s} loss`);
      close(
        a.regularization_loss,
        b.regularization_loss,
        `${variant.name} step ${s} regularization_loss`,
      );
      assert.deepEqual(Object.keys(b.terms).sort(), Object.keys(a.terms).sort());
      for (const [k, v] of Object.entries(a.terms))
        close(v, b.terms[k]!, `${variant.name} step ${s} ${k}`);
    });
    // The trained weights agree too.
    const trained1 = variant.build(60 + i);
    const trained2 = variant.build(60 + i);
    await sn.io.loadSafetensors(trained1, join(dir, 'trained-1.safetensors'));
    await sn.io.loadSafetensors(trained2, join(dir, 'trained-2.safetensors'));
    trained1.weights.forEach((w, k) => {
      const a = w.dataSync();
      const b = trained2.weights[k]!.dataSync();
      let worst = 0;
      for (let j = 0; j < a.length; j++)
        worst = Math.max(worst, Math.abs(Number(a[j]) - Number(b[j])));
      assert.ok(worst < 1e-5, `${variant.name} ${w.name}: weights differ by ${worst}`);
    });
  }
});
