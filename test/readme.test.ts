import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

test("the README's fifteen-line example runs and its loss goes down", async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(code, 'README.md has a ```ts block');
  assert.ok(code.includes("from 'sinew'"), 'the example imports sinew by its package name');
  const program = code.replace(
    "from 'sinew'",
    `from ${JSON.stringify(join(root, 'src', 'index.ts'))}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'sinew-readme-'));
  const printed: unknown[][] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args);
  try {
    writeFileSync(join(dir, 'example.ts'), program);
    await import(pathToFileURL(join(dir, 'example.ts')).href);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
  const losses = printed.map(([, loss]) => loss as number);
  assert.equal(losses.length, 6, `printed ${JSON.stringify(printed)}`);
  assert.ok(losses.every(Number.isFinite));
  assert.ok(losses.at(-1)! < 0.5 * losses[0]!, `losses ${losses.join(', ')}`);
});

test("the README's conv autoencoder runs: its loss goes down and its activity penalty is logged", async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Convolutional networks'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'the conv section has a ```ts block');
  assert.ok(code.includes("from 'sinew'"), 'the example imports sinew by its package name');
  const program = code.replace(
    "from 'sinew'",
    `from ${JSON.stringify(join(root, 'src', 'index.ts'))}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'sinew-readme-conv-'));
  const printed: unknown[][] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args);
  try {
    writeFileSync(join(dir, 'conv.mts'), program);
    await import(pathToFileURL(join(dir, 'conv.mts')).href);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(printed.length, 1, `printed ${JSON.stringify(printed)}`);
  const [loss, regularization] = printed[0] as [number[], number[]];
  assert.ok(loss.length > 1 && loss.every(Number.isFinite), `loss ${loss.join(', ')}`);
  assert.ok(loss.at(-1)! < loss[0]!, `loss ${loss.join(', ')}`);
  // The penalty 1e-4·Σ|code| per digit is part of the loss: positive, and below it.
  regularization.forEach((r, i) => assert.ok(r > 0 && r < loss[i]!, `epoch ${i}: ${r}`));
});
