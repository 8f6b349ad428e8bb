import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sn from '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sinew = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli', 'sinew.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });

test('sinew inspect summarizes a saved model: layers, parameters, regularizers, optimizer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sinew-inspect-'));
  try {
    const model = sn.sequential({
      layers: [
        sn.layers.dense({
          name: 'encoder',
          units: 16,
          inputShape: [8],
          kernelRegularizer: sn.regularizers.l2(0.01),
          activation: 'relu',
        }),
        sn.layers.dense({ name: 'decoder', units: 8 }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    await sn.io.save(model, dir, { includeOptimizer: true });
    const r = sinew(['inspect', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /encoder/);
    assert.match(r.stdout, /decoder/);
    assert.match(r.stdout, /144/); // encoder: 8·16 + 16
    assert.match(r.stdout, /L1L2|L2/);
    assert.match(r.stdout, /[Aa]dam/);
    const missing = sinew(['inspect', join(dir, 'nope')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sinew with an unknown command says which commands exist', () => {
  const r = sinew(['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /the commands are lab, inspect and help/);
  assert.equal(sinew(['help']).status, 0);
});
