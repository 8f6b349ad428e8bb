import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

test('a plain .mjs file outside the repo imports the built package through its exports map', () => {
  assert.ok(
    existsSync(join(root, 'dist', 'index.js')),
    'dist/index.js is missing: run `npm run build` first (npm test does)',
  );
  const dir = mkdtempSync(join(tmpdir(), 'sinew-consumer-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'sinew'), 'dir');
    writeFileSync(
      join(dir, 'main.mjs'),
      [
        "import * as sn from 'sinew';",
        'const w = sn.variable(sn.tensor([1, 2, 3]));',
        'const { value, grads } = sn.valueAndGrads(() => sn.sum(sn.square(w)));',
        'console.log(JSON.stringify({ value: value.item(), grad: Array.from(grads.get(w).dataSync()), backend: sn.getBackend() }));',
      ].join('\n'),
    );
    const out = execFileSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8' });
    // The built package loads its own wasm kernels from dist/ (or cpu when SINEW_BACKEND says so).
    assert.deepEqual(JSON.parse(out), {
      value: 14,
      grad: [2, 4, 6],
      backend: process.env.SINEW_BACKEND || 'wasm',
    });
    // A path that the exports map does not list is refused.
    writeFileSync(join(dir, 'deep.mjs'), "import 'sinew/dist/tensor/tensor.js';");
    assert.throws(
      () => execFileSync(process.execPath, ['deep.mjs'], { cwd: dir, stdio: 'pipe' }),
      /ERR_PACKAGE_PATH_NOT_EXPORTED/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
