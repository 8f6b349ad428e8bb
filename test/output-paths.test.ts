import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sn from '../src/index.js';
import { prepareOut } from '../cli/lab/out.js';

/**
 * Output folders that cannot be written (under /proc and /sys, through a file or a dangling
 * symbolic link) are a SerializationError naming the folder, before any training; nothing
 * overwrites a user's file unasked. Calls that used to spin forever (Node's recursive mkdir
 * under /proc) run in a child process with a generous kill time, so a regression fails the
 * test instead of hanging the run.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'sinew-out-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const linux = existsSync('/proc/self') && existsSync('/sys/kernel');

interface Outcome {
  error: string | null;
  message?: string;
  batches: number;
}

function child(kind: string, path: string): Outcome {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/fixtures/output-path-case.ts'), kind, path],
    { cwd: root, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
  );
  assert.equal(r.signal, null, `${kind} ${path} did not finish (killed); stderr ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Outcome;
}

test(
  'save, a fit checkpoint, writeReport and tensorBoard under /proc and /sys fail at once, typed',
  { skip: !linux },
  () => {
    for (const path of ['/proc/x', '/proc/x/y/z', '/sys/x']) {
      for (const kind of ['save', 'checkpoint', 'report', 'tensorBoard']) {
        const r = child(kind, path);
        assert.equal(r.error, 'SerializationError', `${kind} ${path}: ${r.message}`);
        assert.match(
          r.message!,
          /cannot write to the folder \/(proc|sys)\/x.*: the file system refuses to create \/(proc|sys)\/x \((ENOENT|EPERM|EROFS|EACCES)/,
        );
        assert.match(r.message!, /Fix: choose a folder you can write/);
        // Only a fit trains: its checkpoint folder is probed before the first step.
        if (kind === 'checkpoint') assert.equal(r.batches, 0, 'no step trained before the error');
      }
    }
  },
);

test('save or a checkpoint dir onto a file, below a file or a dangling symbolic link is a SerializationError', async () => {
  const model = sn.sequential({ layers: [sn.layers.dense({ units: 1, inputShape: [2] })] });
  const file = join(tmp, 'a-file');
  writeFileSync(file, 'user data');
  const dangling = join(tmp, 'dangling');
  symlinkSync(join(tmp, 'nowhere', 'target'), dangling);
  const cases: [string, RegExp][] = [
    [file, /is a file, not a folder/],
    [join(file, 'sub'), /a-file is a file, not a folder/],
    [dangling, /dangling exists but is not a folder \(a broken symbolic link\?\)/],
    [join(dangling, 'sub'), /dangling exists but is not a folder/],
  ];
  for (const [path, pattern] of cases) {
    await assert.rejects(
      sn.io.save(model, path),
      (e: unknown) =>
        e instanceof sn.SerializationError &&
        e.message.startsWith(`save: cannot write to the folder ${path}: `) &&
        pattern.test(e.message),
      path,
    );
  }
  // fit's checkpoint dir: the same checks, before the first step.
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  let batches = 0;
  for (const [dir, pattern] of cases) {
    await assert.rejects(
      model.fit(sn.ones([4, 2]), sn.ones([4, 1]), {
        verbose: 0,
        checkpoint: { dir },
        callbacks: [{ onBatchEnd: async () => void (batches += 1) }],
      }),
      (e: unknown) =>
        e instanceof sn.SerializationError &&
        e.message.startsWith(`fit: checkpoint: cannot write to the folder ${dir}: `) &&
        pattern.test(e.message),
      dir,
    );
  }
  assert.equal(batches, 0);
  assert.equal(readFileSync(file, 'utf8'), 'user data');
});

test('save replaces a saved model by default (as Keras), and refuses with overwrite: false', async () => {
  const dir = join(tmp, 'model');
  const first = sn.sequential({
    layers: [sn.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })],
  });
  const second = sn.sequential({
    layers: [sn.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' })],
  });
  await sn.io.save(first, dir);
  await assert.rejects(
    sn.io.save(second, dir, { overwrite: false }),
    (e: unknown) =>
      e instanceof sn.SerializationError &&
      /model\.json and .*weights\.bin already exist and overwrite is false/.test(e.message),
  );
  // A string is not a flag: 'false' must not read as "replace".
  await assert.rejects(
    sn.io.save(second, dir, { overwrite: 'false' as never }),
    (e: unknown) =>
      e instanceof sn.ConfigError &&
      /overwrite must be true or false, received "false"/.test(e.message),
  );
  assert.deepEqual(Array.from((await sn.io.load(dir)).weights[0]!.dataSync()), [1, 1]);
  await sn.io.save(second, dir);
  assert.deepEqual(Array.from((await sn.io.load(dir)).weights[0]!.dataSync()), [0, 0]);
});

/** Runs `sinew lab` in a child process and returns its exit code and output. */
function lab(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'cli', 'sinew.ts'), 'lab', ...args],
    { cwd: root, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
  );
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

test(
  'sinew lab checks --out before training: system folders, files, an existing report',
  { skip: !linux },
  () => {
    const file = join(tmp, 'lab-file');
    writeFileSync(file, 'x');
    const existing = join(tmp, 'old-report');
    mkdirSync(existing);
    writeFileSync(join(existing, 'index.html'), 'my report');
    const cases: [string, RegExp][] = [
      ['/proc/x', /--out: cannot write to the folder \/proc\/x: the file system refuses/],
      ['/sys/x', /--out: cannot write to the folder \/sys\/x: the file system refuses/],
      [join(file, 'report'), /lab-file is a file, not a folder/],
      [
        existing,
        /already holds an index\.html that is not a sinew report \(.*index\.html\); pass --force to replace it/,
      ],
    ];
    for (const [out, pattern] of cases) {
      const r = lab(['--quick', '--variants', 'none', '--epochs', '1', '--out', out]);
      assert.equal(r.status, 2, `--out ${out}: exit ${r.status}, stderr ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(r.stdout, '', 'nothing loaded nor trained');
    }
    assert.equal(readFileSync(join(existing, 'index.html'), 'utf8'), 'my report');
  },
);

test('prepareOut with force accepts a folder holding a report, and leaves nothing behind', async () => {
  const existing = join(tmp, 'forced');
  mkdirSync(existing);
  writeFileSync(join(existing, 'index.html'), 'old');
  await prepareOut(existing, true);
  assert.deepEqual(
    (await import('node:fs')).readdirSync(existing),
    ['index.html'],
    'the probe file is removed',
  );
  // A report sinew wrote (an earlier lab run: npm start twice) is replaced with a notice.
  const earlier = join(tmp, 'earlier-run');
  mkdirSync(earlier);
  const html = sn.diagnostics.renderReport({
    title: 'lab',
    table: { columns: [], rows: [] },
    verdicts: [],
    advice: [],
    variants: [],
  });
  writeFileSync(join(earlier, 'index.html'), html);
  assert.match((await prepareOut(earlier, false)) ?? '', /Replacing the report already in/);
  const fresh = join(tmp, 'made', 'by', 'probe');
  await prepareOut(fresh, false);
  assert.ok(existsSync(fresh));
});
