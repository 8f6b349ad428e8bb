import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sn from '../src/index.js';
import { VARIANTS } from '../cli/lab/variants.js';
import { runPythonFile } from './fixtures/torch.js';

/**
 * The exported train.py trains as sinew's fit: 20 steps of each lab variant from the same
 * initial weights, the same batches (train.py draws sinew's shuffle order from the seed), the
 * same optimizer; the loss and each named penalty agree within 1e-5 relative at every step.
 * The oracle is PyTorch's autograd and train.py's transcription of the update rules.
 */

const STEPS = 20;
const BATCH = 32;
const SAMPLES = 320; // 10 steps per epoch: the second epoch's order is checked too

/**
 * The variant in float64 (both sides then compute in double): in float32 the saturation
 * variant's inputs (x 50) make Adam's normalised steps amplify rounding differences between
 * any two implementations to ~1e-4 within 20 steps, which says nothing about the formulas.
 */
function float64(model: sn.Sequential): sn.Sequential {
  const layers = model.layers.map((l) =>
    sn.layers.layerRegistry.deserialize({
      className: (l.constructor as typeof sn.layers.Layer).className,
      config: { ...l.getConfig(), dtype: 'float64' },
    }),
  );
  const copy = sn.sequential({ layers });
  copy.weights.forEach((w, i) => w.assign(sn.cast(model.weights[i]!, 'float64')));
  return copy;
}

interface StepLog {
  loss: number;
  regularization_loss: number;
  terms: Record<string, number>;
}

/** fit's per-step values: the batch loss from the epoch's running means, penalties by name. */
async function sinewSteps(model: sn.Sequential, x: sn.Tensor, seed: number): Promise<StepLog[]> {
  const out: StepLog[] = [];
  let before: Record<string, number> = {};
  let previous = { loss: 0, regularization_loss: 0, seen: 0 };
  const callback = sn.callbacks.lambdaCallback({
    onEpochBegin: () => {
      previous = { loss: 0, regularization_loss: 0, seen: 0 };
    },
    // Weight penalties as the step computes them: before its update.
    onBatchBegin: () => {
      before = model.regularizationLosses();
    },
    onBatchEnd: (_batch, logs) => {
      const size = logs!.size as number;
      const seen = previous.seen + size;
      const batchValue = (k: 'loss' | 'regularization_loss') =>
        ((logs![k] as number) * seen - previous[k] * previous.seen) / size;
      const after = model.regularizationLosses();
      const terms: Record<string, number> = {};
      for (const k of Object.keys(after))
        terms[k] = k.endsWith('/activity') ? after[k]! : before[k]!;
      out.push({
        loss: batchValue('loss'),
        regularization_loss: batchValue('regularization_loss'),
        terms,
      });
      previous = {
        loss: logs!.loss as number,
        regularization_loss: logs!.regularization_loss as number,
        seen,
      };
    },
  });
  await model.fit(x, x, {
    epochs: STEPS / (SAMPLES / BATCH),
    batchSize: BATCH,
    seed,
    verbose: 0,
    callbacks: [callback],
  });
  return out;
}

function close(a: number, b: number, what: string): void {
  assert.ok(
    Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b), 1e-12),
    `${what}: sinew ${a}, torch ${b}`,
  );
}

test('train.py reproduces 20 steps of sinew fit for each lab variant (loss and each named penalty)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sinew-torch-train-'));
  for (const [i, variant] of VARIANTS.entries()) {
    const seed = 40 + i;
    sn.setSeed(seed);
    const x = sn.cast(
      sn.mul(sn.randomUniform([SAMPLES, 784], { seed }), variant.inputScale),
      'float64',
    );
    const model = float64(variant.build(seed));
    assert.ok(model.weights.every((w) => w.dtype === 'float64'));
    model.compile({ optimizer: sn.optimizers.adam({ learningRate: 1e-3 }), loss: 'mse' });
    const dir = join(root, variant.name);
    await sn.io.exportPyTorch(model, dir, { fit: { batchSize: BATCH, seed, epochs: 2 } });
    await sn.io.saveNpy(x, join(dir, 'x.npy'));
    const mine = await sinewSteps(model, x, seed);
    // x is the target too (an autoencoder); the data folder holds x.npy and y.npy.
    await sn.io.saveNpy(x, join(dir, 'y.npy'));
    const log = join(dir, 'steps.jsonl');
    runPythonFile(join(dir, 'train.py'), {
      args: ['--data', dir, '--max-steps', String(STEPS), '--log-steps', log],
    });
    const theirs = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as StepLog);
    assert.equal(theirs.length, STEPS);
    assert.equal(mine.length, STEPS);
    mine.forEach((m, s) => {
      const t = theirs[s]!;
      close(m.loss, t.loss, `${variant.name} step ${s} loss`);
      close(
        m.regularization_loss,
        t.regularization_loss,
        `${variant.name} step ${s} regularization_loss`,
      );
      assert.deepEqual(
        Object.keys(t.terms).sort(),
        Object.keys(m.terms).sort(),
        `${variant.name} penalty names`,
      );
      for (const [k, v] of Object.entries(m.terms))
        close(v, t.terms[k]!, `${variant.name} step ${s} ${k}`);
    });
  }
});
