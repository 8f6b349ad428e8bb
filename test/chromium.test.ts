/**
 * How the browser tests find Chromium (test/fixtures/chromium.ts): on Linux x64 the binary that
 * the devDependency @sparticuz/chromium ships in its npm tarball, so `npm ci && npm test` needs
 * nothing but Node; without any browser, an error that says how to get one (never a skip).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromiumPath } from './fixtures/chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const packageDir = join(root, 'node_modules', '@sparticuz', 'chromium');
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

test(
  'on Linux x64 the Chromium inside @sparticuz/chromium is unpacked and runs',
  { skip: linuxX64 ? false : `the packaged Chromium is Linux x64 only (this is ${process.arch})` },
  async () => {
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      version: string;
    };
    const path = await chromiumPath('this test', { env: {} });
    const cache = join(root, 'node_modules', '.cache', 'sinew-chromium', version) + sep;
    assert.ok(path.startsWith(cache), `${path} is under ${cache}`);
    const run = spawnSync(path, ['--version'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    // The package's major version is the Chromium major version it ships.
    assert.match(run.stdout, new RegExp(`^Chromium ${version.split('.')[0]}\\.`));
    // Unpacked once, then reused: a second lookup leaves the same file (inode and time) in place.
    const before = statSync(path);
    assert.equal(await chromiumPath('this test', { env: {} }), path);
    const after = statSync(path);
    assert.deepEqual(
      [after.ino, after.mtimeMs],
      [before.ino, before.mtimeMs],
      'not unpacked again',
    );
  },
);

test('SINEW_CHROMIUM names the binary, and one that does not exist fails naming it', async () => {
  assert.equal(
    await chromiumPath('t', { env: { SINEW_CHROMIUM: process.execPath } }),
    process.execPath,
  );
  await assert.rejects(chromiumPath('t', { env: { SINEW_CHROMIUM: '/nowhere/chrome' } }), {
    message: 'SINEW_CHROMIUM=/nowhere/chrome does not exist: t needs a Chromium binary.',
  });
});

test('with no browser at all, the error says how to get one', async () => {
  const none = { env: {}, packageDir: undefined, systemBrowsers: ['/nowhere/chromium'] };
  await assert.rejects(
    chromiumPath('the browser test', { ...none, platform: 'linux', arch: 'x64' }),
    (error: Error) => {
      assert.match(error.message, /^No Chromium for the browser test: /);
      assert.match(error.message, /@sparticuz\/chromium is not installed \(run `npm ci`\)/);
      assert.match(error.message, /none of \/nowhere\/chromium exists/);
      assert.match(error.message, /`apt-get install chromium`.*SINEW_CHROMIUM=/);
      return true;
    },
  );
  await assert.rejects(
    chromiumPath('t', { ...none, packageDir, platform: 'darwin', arch: 'arm64' }),
    /ships Linux x64 only, this is darwin-arm64/,
  );
});

test('where the packaged binary cannot run, a system browser is used', async () => {
  const got = await chromiumPath('t', {
    env: {},
    packageDir,
    platform: 'darwin',
    arch: 'arm64',
    systemBrowsers: ['/nowhere/chromium', process.execPath],
  });
  assert.equal(got, process.execPath);
});
