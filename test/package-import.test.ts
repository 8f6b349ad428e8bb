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

/**
 * package.json declares `sideEffects`: only ops/methods.js (which adds the ops to Tensor as
 * methods) runs for its effect, so a bundler may drop every other module a program does not
 * use. Bundled with esbuild (which honours the field) from the built package, a program that
 * uses two exports must still work (methods kept, registries filled where they are read) and
 * must come out smaller than one that keeps the whole library.
 */
test('a bundler that honours sideEffects shakes the package and the result still runs', async () => {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'sinew-shake-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'sinew'), 'dir');
    const small = [
      "import { tensor, layers, sequential, io } from 'sinew';",
      'const t = tensor([1, 2, 3]).add(1).square();',
      "const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], kernelRegularizer: 'l1', kernelInitializer: 'orthogonal' })] });",
      'const back = await io.fromMemory(await io.toMemory(m));',
      'const config = back.layers[0].getConfig();',
      'console.log(JSON.stringify({ t: Array.from(t.dataSync()), reg: config.kernelRegularizer, init: config.kernelInitializer }));',
    ].join('\n');
    const whole = "import * as sn from 'sinew';\nconsole.log(Object.keys(sn).length);";
    const sizes: number[] = [];
    for (const [name, source] of [
      ['small', small],
      ['whole', whole],
    ] as const) {
      writeFileSync(join(dir, `${name}.mjs`), source);
      const result = await build({
        entryPoints: [join(dir, `${name}.mjs`)],
        outfile: join(dir, `${name}.bundle.mjs`),
        bundle: true,
        format: 'esm',
        platform: 'node',
        metafile: true,
        logLevel: 'silent',
      });
      sizes.push(Object.values(result.metafile.outputs)[0]!.bytes);
    }
    // The oracle: the same program run on the package itself, unbundled.
    const run = (file: string) =>
      JSON.parse(
        execFileSync(process.execPath, [file], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, SINEW_BACKEND: 'cpu' },
        }),
      ) as { t: number[]; reg: unknown; init: unknown };
    const bundled = run('small.bundle.mjs');
    assert.deepEqual(bundled, run('small.mjs'));
    assert.deepEqual(bundled.t, [4, 9, 16]);
    assert.ok(
      sizes[0]! < sizes[1]!,
      `the two-export bundle (${sizes[0]} bytes) is not smaller than the whole library (${sizes[1]} bytes)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
