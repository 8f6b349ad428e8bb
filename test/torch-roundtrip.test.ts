import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sn from '../src/index.js';
import { lastJson, runPython, runPythonFile } from './fixtures/torch.js';

/**
 * The way back, through the command line: `sinew export pytorch` a saved model, train it with
 * train.py, `sinew import pytorch` the trained weights; the imported model predicts as
 * PyTorch's module with those weights (the oracle), batch normalization's moving statistics
 * included. `sinew export data` writes numpy files numpy reads.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sinew = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli', 'sinew.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });

test('sinew export pytorch, train.py, sinew import pytorch: the imported model predicts as PyTorch', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sinew-torch-cli-'));
  sn.setSeed(21);
  const model = sn.sequential({
    layers: [
      sn.layers.dense({
        name: 'enc',
        units: 12,
        inputShape: [10],
        activation: 'relu',
        kernelRegularizer: sn.regularizers.l1(1e-3),
      }),
      sn.layers.batchNormalization({ name: 'bn', momentum: 0.8 }),
      sn.layers.kSparse({ name: 'code', k: 6, alpha: 1.5 }),
      sn.layers.dense({
        name: 'dec',
        units: 10,
        activation: 'sigmoid',
        activityRegularizer: sn.regularizers.l2(1e-4),
      }),
    ],
  });
  model.compile({ optimizer: sn.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
  await sn.io.save(model, join(dir, 'saved'), { includeOptimizer: true });
  const x = sn.randomUniform([96, 10], { seed: 4 });
  const out = join(dir, 'torch');
  await mkdir(out);
  await writeFile(join(out, 'notes.txt'), 'keep');
  // A non-empty folder is refused without --force.
  const refused = sinew([
    'export',
    'pytorch',
    join(dir, 'saved'),
    out,
    '--epochs',
    '3',
    '--batch-size',
    '16',
    '--seed',
    '2',
  ]);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /exists and is not empty \(notes\.txt\).*--force/);
  const exported = sinew([
    'export',
    'pytorch',
    join(dir, 'saved'),
    out,
    '--epochs',
    '3',
    '--batch-size',
    '16',
    '--seed',
    '2',
    '--force',
  ]);
  assert.equal(exported.status, 0, exported.stderr);
  for (const f of ['model.py', 'weights.safetensors', 'train.py', 'training.json']) {
    assert.ok(existsSync(join(out, f)), f);
  }
  assert.ok(!existsSync(join(out, 'notes.txt')));
  await sn.io.saveNpy(x, join(out, 'x.npy'));
  await sn.io.saveNpy(x, join(out, 'y.npy'));
  const trainLog = runPythonFile(join(out, 'train.py'), { args: ['--data', out] });
  assert.match(trainLog, /epoch 3\/3 - loss: [\d.e-]+ - regularization_loss: [\d.e-]+/);
  // PyTorch's predictions with the trained weights (inference: moving statistics, alpha·k).
  const torchOut = lastJson<{ y: number[] }>(
    runPython(
      `import json, sys, numpy as np, torch
sys.path.insert(0, sys.argv[1])
import model as m
net = m.load_model(sys.argv[1] + '/trained.safetensors'); net.eval()
x = torch.from_numpy(np.load(sys.argv[1] + '/x.npy'))
print(json.dumps({'y': net(x).detach().reshape(-1).tolist()}))`,
      { args: [out] },
    ),
  );
  const imported = sinew([
    'import',
    'pytorch',
    join(dir, 'saved'),
    join(out, 'trained.safetensors'),
    join(dir, 'imported'),
  ]);
  assert.equal(imported.status, 0, imported.stderr);
  const back = await sn.io.load(join(dir, 'imported'));
  const y = Array.from((back.predict(x) as sn.Tensor).dataSync());
  assert.equal(y.length, torchOut.y.length);
  y.forEach((v, i) =>
    assert.ok(
      Math.abs(v - torchOut.y[i]!) < 1e-5,
      `output ${i}: sinew ${v}, torch ${torchOut.y[i]}`,
    ),
  );
  // The weights changed in training (the test would be empty otherwise), the moving mean too.
  const before = model.getLayer('bn').weights.find((w) => w.name.endsWith('moving_mean'))!;
  const after = back.getLayer('bn').weights.find((w) => w.name.endsWith('moving_mean'))!;
  assert.notDeepEqual(Array.from(after.dataSync()), Array.from(before.dataSync()));
});

test('sinew export data writes the lab digits as numpy files; bad arguments are usage errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sinew-torch-data-'));
  const r = sinew(['export', 'data', dir, '--limit', '50', '--input-scale', '2']);
  assert.equal(r.status, 0, r.stderr);
  const got = lastJson<{ x: number[]; y: number[]; max: number[] }>(
    runPython(
      `import json, sys, numpy as np
x = np.load(sys.argv[1] + '/x.npy'); y = np.load(sys.argv[1] + '/y.npy')
print(json.dumps({'x': list(x.shape), 'y': list(y.shape), 'max': [float(x.max()), float(y.max())], 'same': bool(np.allclose(x, 2 * y))}))`,
      { args: [dir] },
    ),
  );
  assert.deepEqual(got.x, [50, 784]);
  assert.deepEqual(got.y, [50, 784]);
  assert.deepEqual(got.max, [2, 1]);
  const bad = sinew(['export', 'data', dir, '--limit', 'many']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--limit must be an integer, received "many"/);
});
